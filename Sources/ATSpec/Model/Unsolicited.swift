// Unsolicited.swift: URCs, final result codes, error tables, rules and examples.

import ATRuntime

/// One part of a multi-part URC.
public struct URCPart: Sendable, Hashable {
    /// The part's line.
    public var syntax: SyntaxString
    /// `start`, `part` or `end`.
    public var role: String
    /// True when the part may come several times.
    public var repeats: Bool
    /// True when the part may be absent.
    public var optional: Bool
    /// The parameter holding the length of raw bytes that follow the line.
    public var dataLength: Located<String>?
    /// The name the raw bytes are collected into.
    public var dataInto: Located<String>?
    /// Prose and citations.
    public var annotations: Annotations
}

/// An unsolicited result code.
public struct URC: Sendable, Hashable {
    /// The id.
    public var id: String
    /// Where the id is written.
    public var location: SourceLocation
    /// The manual's title.
    public var title: String
    /// The line, for a single-line URC.
    public var syntax: SyntaxString?
    /// The parts, for a multi-part URC.
    public var parts: [URCPart]
    /// The parameters.
    public var parameters: [Parameter]
    /// Commands whose responses have this URC's prefix.
    public var sharesPrefixWith: [Located<String>]
    /// Prose and citations.
    public var annotations: Annotations
    /// v2: replaces the base spec's URC of the same id (`overrides: true`).
    public var overrides = false
    /// The module of the base spec the URC comes from, in a composed spec; nil for the spec's own.
    public var origin: String?

    /// Every line syntax of the URC.
    public var lines: [SyntaxString] {
        (syntax.map { [$0] } ?? []) + parts.map(\.syntax)
    }
}

/// A final result code.
public struct FinalResult: Sendable, Hashable {
    /// The name.
    public var name: Located<String>
    /// The line.
    public var syntax: SyntaxString
    /// `success` or `error`.
    public var kind: String
    /// The parameters of the line.
    public var parameters: [Parameter]
    /// Prose and citations.
    public var annotations: Annotations
    /// v2: replaces the base spec's final result of the same name (`overrides: true`).
    public var overrides = false
    /// The module of the base spec the final result comes from, in a composed spec; nil for the spec's own.
    public var origin: String?
}

/// One code of an error table.
public struct ErrorCode: Sendable, Hashable {
    /// The code.
    public var code: Int
    /// The name (snake_case).
    public var name: String?
    /// The manual's text.
    public var text: String
    /// Further description.
    public var description: String?
    /// Our remark.
    public var note: String?
    /// The Swift identifier to use instead of the derived one.
    public var swiftName: Located<String>?
    /// Where the code is written.
    public var location: SourceLocation
}

/// A range of codes a table reserves.
public struct ReservedCodes: Sendable, Hashable {
    /// The codes.
    public var range: RangeSet
    /// The manual's text (`Reserved`).
    public var text: String
    /// Where the range is written.
    public var location: SourceLocation
}

/// A table of error codes and their meanings.
public struct ErrorTable: Sendable, Hashable {
    /// The id.
    public var id: String
    /// Where the id is written.
    public var location: SourceLocation
    /// The manual's title.
    public var title: String
    /// The codes, in the order written.
    public var codes: [ErrorCode]
    /// Code ranges the manual reserves (`8-255`), with its text.
    public var reserved: [ReservedCodes] = []
    /// Prose and citations.
    public var annotations: Annotations
    /// v2: the field may hold the code's text instead of its number (`+CME ERROR: SIM not
    /// inserted` after `AT+CMEE=2`); the text is matched without regard to case.
    public var verbose = false
    /// v2: replaces the base spec's table of the same id (`overrides: true`).
    public var overrides = false
    /// v2: adds codes to the base spec's table of the same id (`extends: true`): the composed
    /// table holds the base's codes and these.
    public var extends = false
    /// The module of the base spec the table comes from, in a composed spec; nil for the spec's own.
    public var origin: String?
}

/// An ordering or lifetime rule the manuals state.
public struct Rule: Sendable, Hashable {
    /// `must_precede`, `must_follow`, `precedes_if_used`, `clears` or `cleared_by`.
    public var kind: String
    /// The command the rule is about (`CMQTTSUB`, or one form of it: `CMQTTSUB.multi_topic`).
    public var command: Located<String>
    /// The other commands (`*` for all), each maybe naming one form.
    public var others: [Located<String>]
    /// The manual's modal verb: `must`, `should` or `can`.
    public var strength: String = "must"
    /// The parameter the rule holds per value of (`client_index`), if any.
    public var scope: Located<String>?
    /// Where the commands name the scope differently: command id → its parameter (`CMQTTSSLCFG` → `session_id`).
    public var scopeByCommand: [String: Located<String>] = [:]

    /// The parameter of `command` that scopes the rule, if the rule is scoped.
    public func scopeParameter(_ command: String) -> Located<String>? {
        scopeByCommand[command] ?? scope
    }
    /// The manual's words.
    public var text: String
    /// Where it says so.
    public var source: SourceCitation?
    /// Our remark.
    public var note: String?
    /// True when the rule is our inference, not the manual's statement.
    public var inferred: Bool = false
    /// Other readings of the rule.
    public var conflicts: [Conflict] = []
    /// Where the rule is written.
    /// The module of the base spec the rule comes from, in a composed spec; nil for the spec's own.
    public var origin: String?
    public var location: SourceLocation
}

extension Rule {
    /// A rule reference split into its command id and form name (`CMQTTSUB.multi_topic`).
    public static func split(_ reference: String) -> (command: String, form: String?) {
        guard let dot = reference.firstIndex(of: ".") else { return (reference, nil) }
        return (String(reference[..<dot]), String(reference[reference.index(after: dot)...]))
    }
}

/// A document example transcript.
public struct Example: Sendable, Hashable {
    /// The id.
    public var id: String
    /// The manual's title.
    public var title: String
    /// The transcript text.
    public var transcript: String
    /// Where each transcript line is written in the spec, by index.
    public var lineLocations: [SourceLocation]
    /// True when `\xNN` in the transcript stands for a raw byte.
    public var byteEscapes: Bool
    /// True when the transcript begins with a freshly started module (a whole session), so
    /// every command the ordering rules require must be in it; else it is a fragment.
    public var fromStart: Bool = false
    /// Where the example is written.
    public var location: SourceLocation
    /// Prose and citations.
    public var annotations: Annotations

    /// The transcript's lines.
    public var lines: [String] {
        transcript.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The transcript as the serial line carries it: each non-empty line (by its index in
    /// ``lines``) with CR LF after it; after the data shown on the prompt line of a form whose
    /// data ends with a terminator (Ctrl-Z), that terminator, which documents do not print.
    public func wireLines(_ module: ModuleDescriptor) -> [(index: Int, bytes: [UInt8])] {
        var result: [(index: Int, bytes: [UInt8])] = []
        var terminator: UInt8?
        for (index, line) in lines.enumerated() where !line.isEmpty {
            var bytes = self.bytes(of: line)
            if bytes.count >= 2, bytes[0] | 0x20 == UInt8(ascii: "a"), bytes[1] | 0x20 == UInt8(ascii: "t") {
                terminator = module.form(matching: line)?.0.promptTerminator
            } else if bytes.first == UInt8(ascii: ">"), let end = terminator {
                if !bytes.contains(end) { bytes.append(end) }
                terminator = nil
            }
            result.append((index, bytes + [0x0D, 0x0A]))
        }
        return result
    }

    /// The bytes of one transcript line: `\xNN` stands for a raw byte when `byteEscapes` is set.
    public func bytes(of line: String) -> [UInt8] {
        let bytes = Array(line.utf8)
        guard byteEscapes else { return bytes }
        var result: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "\\"), index + 3 < bytes.count, bytes[index + 1] == UInt8(ascii: "x"),
                let value = UInt8(String(decoding: bytes[(index + 2)...(index + 3)], as: UTF8.self), radix: 16)
            {
                result.append(value)
                index += 4
            } else {
                result.append(bytes[index])
                index += 1
            }
        }
        return result
    }
}
