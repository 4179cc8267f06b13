// CommandWriter.swift: builds command lines byte by byte, and checks values before they are written.

/// Appends the parts of a command line; `finish()` adds the CR that ends it.
public struct ATCommandWriter: Sendable {
    /// The bytes so far.
    public private(set) var bytes: [UInt8]

    /// Starts a line with its prefix (`AT+CMQTTCONNECT=`).
    public init(_ prefix: String) {
        bytes = Array(prefix.utf8)
        bytes.reserveCapacity(bytes.count + 64)
    }

    /// Appends `,`.
    public mutating func comma() { bytes.append(UInt8(ascii: ",")) }

    /// Appends literal text (a tag such as `"checkUTF8"`, quotes included).
    public mutating func literal(_ text: String) { bytes.append(contentsOf: text.utf8) }

    /// Appends a decimal integer.
    public mutating func integer(_ value: Int) { bytes.append(contentsOf: String(value).utf8) }

    /// Appends a flag as `0` or `1`.
    public mutating func flag(_ value: Bool) { bytes.append(value ? UInt8(ascii: "1") : UInt8(ascii: "0")) }

    /// Appends a string within quotes. The value was checked at construction.
    public mutating func quoted(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: value.utf8)
        bytes.append(UInt8(ascii: "\""))
    }

    /// Appends a string without quotes. The value was checked at construction.
    public mutating func bare(_ value: String) { bytes.append(contentsOf: value.utf8) }

    /// The finished line, ending in CR.
    public func finish() -> [UInt8] { bytes + [UInt8(ascii: "\r")] }
}

/// Checks values against what the spec allows, throwing ``ATParameterError``.
public struct ATValidator: Sendable {
    /// The command (`AT+CMQTTCONNECT`).
    public var command: String
    /// The spec and section that define it.
    public var source: String

    /// Creates a validator for one command.
    public init(command: String, source: String) {
        self.command = command
        self.source = source
    }

    /// `value` lies in one of `ranges` (written `allowed` in messages).
    public func integer(_ value: Int, _ parameter: String, in ranges: [ClosedRange<Int>], _ allowed: String) throws(ATParameterError) {
        guard ranges.contains(where: { $0.contains(value) }) else {
            throw ATParameterError(command: command, parameter: parameter, reason: .outOfRange(value: value, allowed: allowed), source: source)
        }
    }

    /// The characters a module reads as the end of a line, the end of data, or an escape; never allowed.
    static let alwaysForbidden: Set<UInt8> = [0x00, 0x0A, 0x0D, 0x1A, 0x1B]

    /// A string is safe to send: no byte ends the line or the command, its length and
    /// character set are as documented. `quoted` strings may not hold `"`; bare ones may not hold
    /// `,` or `;`, and may not be empty (the line could not tell an empty value from a missing one).
    public func string(
        _ value: String, _ parameter: String, quoted: Bool, length: [ClosedRange<Int>]?, _ allowedLength: String,
        charset: String?, countsCharacters: Bool = false
    ) throws(ATParameterError) {
        if !quoted, value.utf8.isEmpty {
            throw ATParameterError(command: command, parameter: parameter, reason: .emptyUnquoted, source: source)
        }
        var offset = 0
        for byte in value.utf8 {
            let forbidden = Self.alwaysForbidden.contains(byte) || (quoted ? byte == UInt8(ascii: "\"") : (byte == UInt8(ascii: ",") || byte == UInt8(ascii: ";") || byte == UInt8(ascii: "\"")))
            if forbidden {
                throw ATParameterError(command: command, parameter: parameter, reason: .forbiddenByte(byte, offset: offset), source: source)
            }
            if charset == "ascii", byte < 0x20 || byte > 0x7E {
                throw ATParameterError(command: command, parameter: parameter, reason: .notInCharset("printable ASCII", offset: offset), source: source)
            }
            offset += 1
        }
        if countsCharacters {
            if let length, !length.contains(where: { $0.contains(value.count) }) {
                throw ATParameterError(command: command, parameter: parameter, reason: .characterCountOutOfRange(characters: value.count, allowed: allowedLength), source: source)
            }
            return
        }
        try self.length(value.utf8.count, parameter, length, allowedLength)
    }

    /// A list has a documented number of groups.
    public func count(_ count: Int, _ parameter: String, in ranges: [ClosedRange<Int>], _ allowed: String) throws(ATParameterError) {
        guard ranges.contains(where: { $0.contains(count) }) else {
            throw ATParameterError(command: command, parameter: parameter, reason: .countOutOfRange(count: count, allowed: allowed), source: source)
        }
    }

    /// Data ended by a terminator (Ctrl-Z) may hold neither the terminator nor the byte that cancels it (ESC).
    public func terminated(_ value: [UInt8], _ parameter: String, terminator: UInt8, cancel: UInt8?) throws(ATParameterError) {
        if let offset = value.firstIndex(where: { $0 == terminator || $0 == cancel }) {
            throw ATParameterError(command: command, parameter: parameter, reason: .forbiddenByte(value[offset], offset: offset), source: source)
        }
    }

    /// A constraint between parameters holds; `violation` says what is wrong when it does not.
    public func constraint(_ holds: Bool, _ parameter: String, _ text: String, _ violation: String) throws(ATParameterError) {
        guard holds else {
            throw ATParameterError(command: command, parameter: parameter, reason: .constraint(text: text, violation: violation), source: source)
        }
    }

    /// Data sent after a prompt has a documented length.
    public func data(_ value: [UInt8], _ parameter: String, length: [ClosedRange<Int>]?, _ allowedLength: String) throws(ATParameterError) {
        try self.length(value.count, parameter, length, allowedLength)
    }

    /// Hexadecimal text holds only `0-9`, `A-F`, `a-f`.
    public func hex(_ value: String, _ parameter: String, quoted: Bool, length: [ClosedRange<Int>]?, _ allowedLength: String) throws(ATParameterError) {
        if !quoted, value.utf8.isEmpty {
            throw ATParameterError(command: command, parameter: parameter, reason: .emptyUnquoted, source: source)
        }
        for (offset, byte) in value.utf8.enumerated() {
            let isHex = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66)
            if !isHex {
                throw ATParameterError(command: command, parameter: parameter, reason: .notInCharset("hexadecimal", offset: offset), source: source)
            }
        }
        try self.length(value.utf8.count, parameter, length, allowedLength)
    }

    /// A URL starts with its scheme (`tcp://`).
    public func scheme(_ value: String, _ parameter: String, _ scheme: String) throws(ATParameterError) {
        guard value.utf8.starts(with: scheme.utf8) else {
            throw ATParameterError(command: command, parameter: parameter, reason: .invalidFormat("\(scheme)host[:port]"), source: source)
        }
    }

    /// An optional parameter is only given together with the one it depends on.
    public func requires(_ present: Bool, _ parameter: String, _ other: String) throws(ATParameterError) {
        guard present else {
            throw ATParameterError(command: command, parameter: parameter, reason: .requires(other), source: source)
        }
    }

    func length(_ count: Int, _ parameter: String, _ ranges: [ClosedRange<Int>]?, _ allowed: String) throws(ATParameterError) {
        if let ranges, !ranges.contains(where: { $0.contains(count) }) {
            throw ATParameterError(command: command, parameter: parameter, reason: .lengthOutOfRange(bytes: count, allowed: allowed), source: source)
        }
    }
}

/// Hexadecimal text for data that a module takes as hex digits.
public enum ATHex {
    /// Two upper-case hex digits per byte.
    public static func encode(_ bytes: [UInt8]) -> [UInt8] {
        let digits = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return out
    }

    /// The bytes of hexadecimal text (either case); nil when it has an odd number of digits or
    /// a character that is not a hex digit.
    public static func decode(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        func value(_ digit: UInt8) -> UInt8? {
            switch digit {
            case 0x30...0x39: digit - 0x30
            case 0x41...0x46: digit - 0x41 + 10
            case 0x61...0x66: digit - 0x61 + 10
            default: nil
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = value(digits[index]), let low = value(digits[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }
}
