// ParameterError.swift: the typed errors of building requests and decoding lines.

/// Why a request could not be built: which parameter, which value, what is allowed, and where the manual says so.
public struct ATParameterError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong with the value.
    public enum Reason: Sendable, Hashable {
        /// An integer outside its documented range.
        case outOfRange(value: Int, allowed: String)
        /// A string or data whose byte count is outside its documented length.
        case lengthOutOfRange(bytes: Int, allowed: String)
        /// A byte that would end the command or start another one (CR, LF, `"`, Ctrl-Z, ESC, ...).
        case forbiddenByte(UInt8, offset: Int)
        /// A byte outside the parameter's character set.
        case notInCharset(String, offset: Int)
        /// A value that does not have the documented shape (`tcp://host:port`).
        case invalidFormat(String)
        /// An optional parameter given without the one it depends on.
        case requires(String)
        /// An empty value for a parameter written without quotes: `AT+X=` cannot be told from a missing value.
        case emptyUnquoted
        /// A string whose character count (the manual counts characters) is outside its documented length.
        case characterCountOutOfRange(characters: Int, allowed: String)
        /// A list with a number of groups outside its documented count.
        case countOutOfRange(count: Int, allowed: String)
        /// A constraint between parameters the manual states does not hold: its words, and what is wrong.
        case constraint(text: String, violation: String)
    }

    /// The command (`AT+CMQTTCONNECT`).
    public var command: String
    /// The parameter as the manual names it (`keepalive_time`).
    public var parameter: String
    /// What is wrong.
    public var reason: Reason
    /// Where the manual defines the parameter (`SIM7672X.yaml: an 2.2.8`).
    public var source: String

    /// Creates an error.
    public init(command: String, parameter: String, reason: Reason, source: String) {
        self.command = command
        self.parameter = parameter
        self.reason = reason
        self.source = source
    }

    /// A sentence naming the parameter, the value, what is allowed and the source.
    public var description: String {
        let what: String
        switch reason {
        case .outOfRange(let value, let allowed):
            what = "\(parameter) = \(value) is outside the allowed range \(allowed)"
        case .lengthOutOfRange(let bytes, let allowed):
            what = "\(parameter) is \(bytes) bytes; allowed length is \(allowed) bytes"
        case .forbiddenByte(let byte, let offset):
            what = "\(parameter) holds byte 0x\(String(byte, radix: 16, uppercase: true)) at offset \(offset), which the module has no escape for"
        case .notInCharset(let charset, let offset):
            what = "\(parameter) is not \(charset) at byte offset \(offset)"
        case .invalidFormat(let expected):
            what = "\(parameter) must look like \(expected)"
        case .requires(let other):
            what = "\(parameter) can only be given together with \(other)"
        case .emptyUnquoted:
            what = "\(parameter) is empty; a value written without quotes needs at least one byte"
        case .characterCountOutOfRange(let characters, let allowed):
            what = "\(parameter) is \(characters) characters; allowed length is \(allowed) characters"
        case .countOutOfRange(let count, let allowed):
            what = "\(parameter) has \(count) entries; allowed are \(allowed)"
        case .constraint(let text, let violation):
            what = "\(violation) (\"\(text)\")"
        }
        return "\(command): \(what) (\(source))"
    }
}

/// Why a received line could not be turned into its typed value.
public struct ATDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What the line was expected to be (`+CMQTTCONNECT: <client_index>,<err>`).
    public var expected: String
    /// The field that failed, if one did.
    public var field: String?
    /// What is wrong.
    public var reason: String

    /// Creates an error.
    public init(expected: String, field: String?, reason: String) {
        self.expected = expected
        self.field = field
        self.reason = reason
    }

    /// A sentence naming the line, the field and the problem.
    public var description: String {
        "cannot decode \(expected)" + (field.map { ", field \($0)" } ?? "") + ": " + reason
    }
}
