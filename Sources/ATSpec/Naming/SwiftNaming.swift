// SwiftNaming.swift: Swift identifiers derived from the spec's names (`keepalive_time` → `keepaliveTime`).

/// Derives Swift identifiers from spec names, following the Swift API design guidelines.
public enum SwiftNaming {
    /// Swift's reserved words, which need backticks as identifiers.
    public static let keywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init", "inout",
        "internal", "let", "operator", "private", "protocol", "public", "rethrows", "static", "struct",
        "subscript", "typealias", "var", "break", "case", "catch", "continue", "default", "defer", "do", "else",
        "fallthrough", "for", "guard", "if", "in", "repeat", "return", "throw", "switch", "where", "while", "as",
        "false", "is", "nil", "self", "Self", "super", "throws", "true", "try", "Any", "Type", "some", "any",
    ]

    /// Type names the generated code cannot declare inside its namespaces: Swift's own
    /// (`Self`, `Type`, `Protocol`, `Any`) and those the generator declares itself.
    public static let reservedTypeNames: Set<String> = ["Self", "Type", "Protocol", "Any", "URC", "FinalResult", "Descriptor"]

    /// Member names the generated types declare or use themselves (requests, responses,
    /// enums, the locals of their methods): a spec item with one of them is renamed.
    public static let reservedMemberNames: Set<String> = [
        "descriptor", "description", "debugDescription", "encode", "promptData", "response", "write", "rawValue",
        "unrecognized", "isSuccess", "decode", "init", "hashValue", "w", "r", "fields", "validator", "redacting", "collected",
        "match", "text",
    ]

    /// A type name the generated code can declare: a reserved one or a keyword gets `_` after it (`Type` → `Type_`).
    public static func safeType(_ name: String) -> String {
        keywords.contains(name) || reservedTypeNames.contains(name) ? name + "_" : name
    }

    /// A member name the generated code can declare: a keyword or a reserved member name
    /// gets `_` after it (`default` → `default_`, `descriptor` → `descriptor_`).
    public static func safeMember(_ name: String) -> String {
        keywords.contains(name) || reservedMemberNames.contains(name) ? name + "_" : name
    }

    /// Acronyms kept upper-case inside identifiers (`clientID`, `serverURL`).
    static let acronyms: [String: String] = [
        "ID": "ID", "URL": "URL", "IP": "IP", "SSL": "SSL", "TLS": "TLS", "TCP": "TCP", "QOS": "QoS", "UTF8": "UTF8",
        "MQTT": "MQTT", "PDP": "PDP", "PIN": "PIN", "PUK": "PUK", "IMSI": "IMSI", "GPRS": "GPRS", "EPS": "EPS", "SIM": "SIM", "PS": "PS", "APN": "APN", "IMEI": "IMEI", "CA": "CA", "DNS": "DNS", "URC": "URC", "CME": "CME", "CMS": "CMS",
    ]

    /// The words of a name: split at `_`, spaces, punctuation and lower-to-upper case changes.
    /// Only ASCII letters and digits make up words; anything else separates them.
    static func words(_ name: String) -> [String] {
        var words: [String] = []
        var current: [UInt8] = []
        var previousLower = false
        var ascii = true
        for byte in name.utf8 {
            guard byte < 0x80 else {
                ascii = false
                break
            }
            let isUpper = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")
            let isLower = byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")
            guard isUpper || isLower || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) else {
                if !current.isEmpty { words.append(String(decoding: current, as: UTF8.self)) }
                current.removeAll(keepingCapacity: true)
                previousLower = false
                continue
            }
            if previousLower, isUpper {
                words.append(String(decoding: current, as: UTF8.self))
                current.removeAll(keepingCapacity: true)
            }
            current.append(byte)
            previousLower = isLower
        }
        guard ascii else { return unicodeWords(name) }
        if !current.isEmpty { words.append(String(decoding: current, as: UTF8.self)) }
        return words
    }

    /// ``words(_:)`` for names with non-ASCII text, character by character (a non-ASCII
    /// character, even one that starts with an ASCII letter, separates words).
    static func unicodeWords(_ name: String) -> [String] {
        var words: [String] = []
        var current = ""
        var previous: Character?
        for character in name {
            if !(character.isLetter || character.isNumber) || !character.isASCII {
                if !current.isEmpty { words.append(current) }
                current = ""
                previous = nil
                continue
            }
            if let last = previous, last.isLowercase, character.isUppercase {
                words.append(current)
                current = ""
            }
            current.append(character)
            previous = character
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// A lowerCamelCase identifier (`keepalive_time` → `keepaliveTime`, `client_id` → `clientID`).
    public static func lowerCamel(_ name: String) -> String {
        let parts = words(name)
        guard let first = parts.first else { return "_" }
        var result = Array(first.utf8).map(lower)
        for word in parts.dropFirst() {
            result += capitalized(Array(word.utf8))
        }
        return identifier(result)
    }

    /// An UpperCamelCase identifier (`connection_status` → `ConnectionStatus`).
    public static func upperCamel(_ name: String) -> String {
        var result: [UInt8] = []
        for word in words(name) { result += capitalized(Array(word.utf8)) }
        guard !result.isEmpty else { return "_" }
        return identifier(result)
    }

    /// The bytes as a string, with `_` in front when they start with a digit.
    static func identifier(_ bytes: [UInt8]) -> String {
        let text = String(decoding: bytes, as: UTF8.self)
        if let initial = bytes.first, initial >= UInt8(ascii: "0"), initial <= UInt8(ascii: "9") { return "_" + text }
        return text
    }

    /// A word (ASCII letters and digits) with its first letter upper-cased, an all-upper-case
    /// word lower-cased after that, and known acronyms spelled their way.
    static func capitalized(_ word: [UInt8]) -> [UInt8] {
        if let spelling = acronyms[String(decoding: word.map(upper), as: UTF8.self)] { return Array(spelling.utf8) }
        guard let first = word.first else { return word }
        let rest = word.dropFirst()
        let restIsUpper = !rest.contains { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }
        return [upper(first)] + (restIsUpper ? rest.map(lower) : Array(rest))
    }

    static func upper(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") ? byte - 32 : byte
    }

    static func lower(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
    }
}
