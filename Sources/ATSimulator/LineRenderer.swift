// LineRenderer.swift: a line of the spec written out with values: the inverse of matching it.

import ATRuntime

/// A value to write into a line: its bytes, and whether it goes in quotes (nil: as the line's shape says).
struct RenderValue: Sendable, Hashable {
    var bytes: [UInt8]
    var quoted: Bool?

    init(_ text: String, quoted: Bool? = nil) {
        bytes = Array(text.utf8)
        self.quoted = quoted
    }

    init(bytes: [UInt8], quoted: Bool? = nil) {
        self.bytes = bytes
        self.quoted = quoted
    }

    init(_ number: Int) {
        bytes = Array(String(number).utf8)
        quoted = false
    }

    var text: String { String(decoding: bytes, as: UTF8.self) }
}

enum LineRenderer {
    /// `line` with `values` in its parameters: literals as written, a parameter quoted where its
    /// shape is quoted (or its value says so), a length field filled with its string's byte count,
    /// and an optional group only where every parameter in it has a value.
    static func render(_ line: LineDescriptor, _ values: [String: RenderValue]) -> [UInt8] {
        var values = values
        for (field, lengthField) in line.lengthFields where values[lengthField] == nil {
            if let value = values[field] { values[lengthField] = RenderValue(value.bytes.count) }
        }
        var out = Array(line.syntax.prefix.utf8)
        if line.syntax.prefix.hasSuffix(":"), !line.syntax.tokens.isEmpty { out.append(0x20) }
        var written: Set<String> = []
        write(line.syntax.tokens, line, values, written: &written, into: &out)
        return out
    }

    /// True when every parameter outside optional groups of `line` has a value.
    static func complete(_ line: LineDescriptor, _ values: [String: RenderValue]) -> Bool {
        func required(_ tokens: [SyntaxToken]) -> [String] {
            tokens.compactMap {
                switch $0 {
                case .parameter(let name), .parameterList(let name): name
                default: nil
                }
            }
        }
        return required(line.syntax.tokens).allSatisfy { values[$0] != nil || line.lengthFields.values.contains($0) }
    }

    /// Writes `tokens`; an optional group is written only when every parameter in it has a value
    /// and one of them is not written yet (a repeated item, `[,<qos>[,<qos>...]]`, is written once).
    private static func write(_ tokens: [SyntaxToken], _ line: LineDescriptor, _ values: [String: RenderValue], written: inout Set<String>, into out: inout [UInt8]) {
        for token in tokens {
            switch token {
            case .parameter(let name):
                guard let value = values[name] else { continue }
                written.insert(name)
                let quoted = value.quoted ?? (line.shapes[name] == .quoted)
                if quoted { out.append(0x22) }
                out += value.bytes
                if quoted { out.append(0x22) }
            case .parameterList(let name):
                out.append(0x28)
                out += values[name]?.bytes ?? []
                out.append(0x29)
            case .quotedLiteral(let text):
                out += [0x22] + Array(text.utf8) + [0x22]
            case .literal(let text), .valueList(let text):
                out += Array(text.utf8)
            case .comma:
                out.append(0x2C)
            case .optional(let inner):
                let names = Syntax(prefix: "", tokens: inner).parameterNames
                guard !names.isEmpty, names.allSatisfy({ values[$0] != nil }), names.contains(where: { !written.contains($0) }) else { continue }
                write(inner, line, values, written: &written, into: &out)
            }
        }
    }
}
