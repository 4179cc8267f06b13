// FieldReader.swift: typed access to the fields captured from a received line.

/// Reads typed values out of a matched line's fields, throwing ``ATDecodingError``.
public struct ATFieldReader: Sendable {
    /// The fields, by parameter name.
    public let fields: [CapturedField]
    /// The line's syntax, for messages.
    public let expected: String

    /// Creates a reader.
    public init(_ fields: [CapturedField], expected: String) {
        self.fields = fields
        self.expected = expected
    }

    func text(_ name: String) -> String? {
        fields.first { $0.name == name }?.text
    }

    /// The groups of a repeated parameter (`<topic>,<qos>` once per group), each typed by
    /// `build` from a reader of that group's fields; a new group starts where a name comes again.
    public func groups<T>(_ names: [String], _ build: (ATFieldReader) throws(ATDecodingError) -> T) throws(ATDecodingError) -> [T] {
        var groups: [[CapturedField]] = []
        var current: [CapturedField] = []
        for field in fields where names.contains(field.name) {
            if current.contains(where: { $0.name == field.name }) {
                groups.append(current)
                current = []
            }
            current.append(field)
        }
        if !current.isEmpty { groups.append(current) }
        var values: [T] = []
        values.reserveCapacity(groups.count)
        for group in groups { values.append(try build(ATFieldReader(group, expected: expected))) }
        return values
    }

    /// The groups of a repeated parameter in an optional group; nil when none came.
    public func optionalGroups<T>(_ names: [String], _ build: (ATFieldReader) throws(ATDecodingError) -> T) throws(ATDecodingError) -> [T]? {
        let values = try groups(names, build)
        return values.isEmpty ? nil : values
    }

    /// A present integer field.
    public func integer(_ name: String) throws(ATDecodingError) -> Int {
        guard let text = text(name) else { throw ATDecodingError(expected: expected, field: name, reason: "missing") }
        guard let value = Int(text) else { throw ATDecodingError(expected: expected, field: name, reason: "'\(text)' is not an integer") }
        return value
    }

    /// An integer field in an optional group.
    public func optionalInteger(_ name: String) throws(ATDecodingError) -> Int? {
        guard text(name) != nil else { return nil }
        return try integer(name)
    }

    /// A present flag field (`0` or `1`).
    public func flag(_ name: String) throws(ATDecodingError) -> Bool {
        switch try integer(name) {
        case 0: return false
        case 1: return true
        case let other: throw ATDecodingError(expected: expected, field: name, reason: "\(other) is neither 0 nor 1")
        }
    }

    /// A flag field in an optional group.
    public func optionalFlag(_ name: String) throws(ATDecodingError) -> Bool? {
        guard text(name) != nil else { return nil }
        return try flag(name)
    }

    /// A present string field.
    public func string(_ name: String) throws(ATDecodingError) -> String {
        guard let text = text(name) else { throw ATDecodingError(expected: expected, field: name, reason: "missing") }
        return text
    }

    /// A string field in an optional group.
    public func optionalString(_ name: String) -> String? {
        text(name)
    }

    /// A field's bytes as they came (a value framed by a declared length keeps any byte),
    /// else its text's UTF-8.
    public func bytes(_ name: String) throws(ATDecodingError) -> [UInt8] {
        guard let bytes = optionalBytes(name) else { throw ATDecodingError(expected: expected, field: name, reason: "missing") }
        return bytes
    }

    /// The bytes of a field in an optional group.
    public func optionalBytes(_ name: String) -> [UInt8]? {
        guard let field = fields.first(where: { $0.name == name }) else { return nil }
        return field.bytes ?? Array(field.text.utf8)
    }
}

extension String {
    /// The string without the spaces and tabs at its start and end (a verbose error text as some
    /// firmware pads it).
    public func trimmingASCIISpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
