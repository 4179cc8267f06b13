// JSONSchemaCheck.swift: a strict JSON reader and a checker for the part of JSON Schema the decode output's schema uses.

/// A JSON value, as read by ``JSONValue/parse(_:)``.
indirect enum JSONValue: Equatable, CustomStringConvertible {
    case null
    case bool(Bool)
    /// A number; `integer` when it was written without fraction or exponent.
    case number(Double, integer: Bool)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    var description: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return String(value)
        case .number(let value, let integer): return integer ? String(Int64(value)) : String(value)
        case .string(let value): return "\"\(value)\""
        case .array(let values): return "[" + values.map(\.description).joined(separator: ",") + "]"
        case .object(let members): return "{" + members.keys.sorted().map { "\"\($0)\":\(members[$0] ?? .null)" }.joined(separator: ",") + "}"
        }
    }

    subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    struct ParseError: Error, CustomStringConvertible {
        let offset: Int
        let message: String
        var description: String { "offset \(offset): \(message)" }
    }

    /// Parses one JSON text (RFC 8259), rejecting trailing content and duplicate keys.
    static func parse(_ text: String) throws(ParseError) -> JSONValue {
        var reader = Reader(bytes: Array(text.utf8))
        let value = try reader.value()
        reader.skipBlanks()
        guard reader.index == reader.bytes.count else { throw ParseError(offset: reader.index, message: "content after the value") }
        return value
    }

    private struct Reader {
        let bytes: [UInt8]
        var index = 0

        mutating func skipBlanks() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        func fail(_ message: String) -> ParseError { ParseError(offset: index, message: message) }

        mutating func literal(_ word: String, _ value: JSONValue) throws(ParseError) -> JSONValue {
            let expected = Array(word.utf8)
            guard bytes.count - index >= expected.count, Array(bytes[index..<(index + expected.count)]) == expected else { throw fail("expected \(word)") }
            index += expected.count
            return value
        }

        mutating func value() throws(ParseError) -> JSONValue {
            skipBlanks()
            guard index < bytes.count else { throw fail("unexpected end") }
            switch bytes[index] {
            case UInt8(ascii: "n"): return try literal("null", .null)
            case UInt8(ascii: "t"): return try literal("true", .bool(true))
            case UInt8(ascii: "f"): return try literal("false", .bool(false))
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "["):
                index += 1
                var values: [JSONValue] = []
                skipBlanks()
                if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                    index += 1
                    return .array(values)
                }
                while true {
                    values.append(try value())
                    skipBlanks()
                    guard index < bytes.count else { throw fail("unterminated array") }
                    index += 1
                    if bytes[index - 1] == UInt8(ascii: "]") { return .array(values) }
                    guard bytes[index - 1] == UInt8(ascii: ",") else { throw fail("expected , or ]") }
                }
            case UInt8(ascii: "{"):
                index += 1
                var members: [String: JSONValue] = [:]
                skipBlanks()
                if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                    index += 1
                    return .object(members)
                }
                while true {
                    skipBlanks()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail("expected a key") }
                    let key = try string()
                    guard members[key] == nil else { throw fail("duplicate key \(key)") }
                    skipBlanks()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail("expected :") }
                    index += 1
                    members[key] = try value()
                    skipBlanks()
                    guard index < bytes.count else { throw fail("unterminated object") }
                    index += 1
                    if bytes[index - 1] == UInt8(ascii: "}") { return .object(members) }
                    guard bytes[index - 1] == UInt8(ascii: ",") else { throw fail("expected , or }") }
                }
            default:
                return try number()
            }
        }

        mutating func number() throws(ParseError) -> JSONValue {
            let start = index
            var integer = true
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
            let digits = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            guard index > digits else { throw fail("expected a value") }
            guard !(bytes[digits] == UInt8(ascii: "0") && index - digits > 1) else { throw fail("leading zero") }
            while index < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "+"), UInt8(ascii: "-")].contains(bytes[index])
                || (!integer && (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]))
            {
                integer = false
                index += 1
            }
            guard let value = Double(String(decoding: bytes[start..<index], as: UTF8.self)) else { throw fail("bad number") }
            return .number(value, integer: integer)
        }

        mutating func string() throws(ParseError) -> String {
            index += 1
            var scalars = String.UnicodeScalarView()
            var raw: [UInt8] = []
            func flush() {
                scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars)
                raw.removeAll()
            }
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                switch byte {
                case UInt8(ascii: "\""):
                    flush()
                    return String(scalars)
                case UInt8(ascii: "\\"):
                    flush()
                    guard index < bytes.count else { throw fail("unterminated escape") }
                    let escape = bytes[index]
                    index += 1
                    switch escape {
                    case UInt8(ascii: "\""): scalars.append("\"")
                    case UInt8(ascii: "\\"): scalars.append("\\")
                    case UInt8(ascii: "/"): scalars.append("/")
                    case UInt8(ascii: "n"): scalars.append("\n")
                    case UInt8(ascii: "r"): scalars.append("\r")
                    case UInt8(ascii: "t"): scalars.append("\t")
                    case UInt8(ascii: "b"): scalars.append("\u{8}")
                    case UInt8(ascii: "f"): scalars.append("\u{C}")
                    case UInt8(ascii: "u"):
                        guard bytes.count - index >= 4, let code = UInt32(String(decoding: bytes[index..<(index + 4)], as: UTF8.self), radix: 16),
                            let scalar = Unicode.Scalar(code)
                        else { throw fail("bad \\u escape") }
                        index += 4
                        scalars.append(scalar)
                    default: throw fail("bad escape")
                    }
                default:
                    guard byte >= 0x20 else { throw fail("control character in a string") }
                    raw.append(byte)
                }
            }
            throw fail("unterminated string")
        }
    }
}

/// Checks a JSON value against a schema that uses `type`, `const`, `enum`, `properties`,
/// `required`, `additionalProperties`, `oneOf`, `minimum` and local `$ref`s
/// (`#/$defs/name`). Any other keyword is reported, so the schema cannot outgrow the checker.
struct JSONSchemaCheck {
    let root: JSONValue

    static let known: Set<String> = [
        "$schema", "$id", "title", "description", "$defs", "type", "const", "enum", "properties", "required",
        "additionalProperties", "oneOf", "minimum", "$ref", "items",
    ]

    /// The problems of `value` against the root schema; empty when it conforms.
    func problems(_ value: JSONValue) -> [String] {
        check(value, root, at: "$")
    }

    private func resolve(_ schema: JSONValue) -> JSONValue {
        guard let ref = schema["$ref"]?.string, ref.hasPrefix("#/$defs/") else { return schema }
        return root["$defs"]?[String(ref.dropFirst("#/$defs/".count))] ?? .object(["unresolved": .string(ref)])
    }

    private func check(_ value: JSONValue, _ raw: JSONValue, at path: String) -> [String] {
        let schema = resolve(raw)
        guard case .object(let keywords) = schema else { return ["\(path): the schema is not an object"] }
        var problems: [String] = []
        for key in keywords.keys where !Self.known.contains(key) { problems.append("\(path): schema keyword \(key) is not checked") }
        if let types = keywords["type"] {
            let allowed: [String]
            if case .array(let list) = types { allowed = list.compactMap(\.string) } else { allowed = [types.string ?? ""] }
            if !allowed.contains(where: { Self.isType(value, $0) }) { problems.append("\(path): \(value) is not of type \(allowed)") }
        }
        if let constant = keywords["const"], value != constant { problems.append("\(path): \(value) is not \(constant)") }
        if case .array(let options)? = keywords["enum"], !options.contains(value) { problems.append("\(path): \(value) is not one of \(options)") }
        if case .number(let minimum, _)? = keywords["minimum"], case .number(let number, _) = value, number < minimum {
            problems.append("\(path): \(number) is below \(minimum)")
        }
        if case .object(let members) = value {
            let properties: [String: JSONValue]
            if case .object(let declared)? = keywords["properties"] { properties = declared } else { properties = [:] }
            if case .array(let required)? = keywords["required"] {
                for name in required.compactMap(\.string) where members[name] == nil { problems.append("\(path): \(name) is missing") }
            }
            for (name, member) in members {
                if let property = properties[name] {
                    problems += check(member, property, at: path + "." + name)
                } else if let additional = keywords["additional" + "Properties"] {
                    if case .bool(let allowed) = additional {
                        if !allowed { problems.append("\(path): \(name) is not allowed") }
                    } else {
                        problems += check(member, additional, at: path + "." + name)
                    }
                }
            }
        }
        if case .array(let values) = value, let items = keywords["items"] {
            for (index, item) in values.enumerated() { problems += check(item, items, at: path + "[\(index)]") }
        }
        if case .array(let options)? = keywords["oneOf"] {
            let matching = options.filter { check(value, $0, at: path).isEmpty }.count
            if matching != 1 { problems.append("\(path): \(value) matches \(matching) of the oneOf schemas, not exactly one") }
        }
        return problems
    }

    static func isType(_ value: JSONValue, _ type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("number", .number), ("string", .string), ("object", .object), ("array", .array): return true
        case ("integer", .number(_, let integer)): return integer
        default: return false
        }
    }
}
