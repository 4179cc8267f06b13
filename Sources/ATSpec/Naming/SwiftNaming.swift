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

    /// Acronyms kept upper-case inside identifiers (`clientID`, `serverURL`).
    static let acronyms: [String: String] = [
        "ID": "ID", "URL": "URL", "IP": "IP", "SSL": "SSL", "TLS": "TLS", "TCP": "TCP", "QOS": "QoS", "UTF8": "UTF8",
        "MQTT": "MQTT", "PDP": "PDP", "APN": "APN", "IMEI": "IMEI", "CA": "CA", "DNS": "DNS", "URC": "URC", "CME": "CME", "CMS": "CMS",
    ]

    /// The words of a name: split at `_`, spaces, punctuation and lower-to-upper case changes.
    static func words(_ name: String) -> [String] {
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
        var result = first.lowercased()
        for word in parts.dropFirst() {
            result += capitalized(word)
        }
        if let initial = result.first, initial.isNumber { result = "_" + result }
        return result
    }

    /// An UpperCamelCase identifier (`connection_status` → `ConnectionStatus`).
    public static func upperCamel(_ name: String) -> String {
        let result = words(name).map(capitalized).joined()
        guard let initial = result.first else { return "_" }
        return initial.isNumber ? "_" + result : result
    }

    static func capitalized(_ word: String) -> String {
        if let spelling = acronyms[word.uppercased()] { return spelling }
        guard let first = word.first else { return word }
        let rest = word.dropFirst()
        let restIsUpper = rest.allSatisfy { !$0.isLowercase }
        return first.uppercased() + (restIsUpper ? rest.lowercased() : String(rest))
    }
}
