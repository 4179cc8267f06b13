// Syntax.swift: a parsed syntax string (`AT+X=<a>[,<b>]`, `+X: <a>,<b>`), as the manuals write them.

/// One element of a syntax string after its prefix.
public indirect enum SyntaxToken: Sendable, Hashable {
    /// `<name>`: a parameter.
    case parameter(String)
    /// `"text"`: a quoted literal, such as a tag.
    case quotedLiteral(String)
    /// `text`: a bare literal (`0`, `READY`).
    case literal(String)
    /// `(0-1)`: a literal list of supported values, as test responses print them.
    case valueList(String)
    /// `(<name>)`: a parameter that holds a list of supported values.
    case parameterList(String)
    /// `,`.
    case comma
    /// `[...]`: an optional group.
    case optional([SyntaxToken])
}

/// A parsed syntax string: the fixed prefix and the items after it.
public struct Syntax: Sendable, Hashable {
    /// What a command line asks for, from its suffix.
    public enum CommandKind: String, Sendable, Hashable {
        /// `AT+X=?`
        case test
        /// `AT+X?`
        case read
        /// `AT+X=...`
        case write
        /// `AT+X`
        case execute
    }

    /// The text before the items: `AT+CMQTTCONNECT=`, `+CMQTTCONNECT:`, `OK`, or empty.
    public var prefix: String
    /// For command lines: the command (`+CMQTTCONNECT`, `&W`), upper-cased.
    public var command: String?
    /// For command lines: which kind the suffix says it is.
    public var commandKind: CommandKind?
    /// The items after the prefix.
    public var tokens: [SyntaxToken]

    /// Creates a syntax from its parts.
    public init(prefix: String, command: String? = nil, commandKind: CommandKind? = nil, tokens: [SyntaxToken]) {
        self.prefix = prefix
        self.command = command
        self.commandKind = commandKind
        self.tokens = tokens
    }

    /// The parameters named anywhere in the syntax, in order.
    public var parameterNames: [String] {
        var names: [String] = []
        func walk(_ tokens: [SyntaxToken]) {
            for token in tokens {
                switch token {
                case .parameter(let name), .parameterList(let name): names.append(name)
                case .optional(let inner): walk(inner)
                default: break
                }
            }
        }
        walk(tokens)
        return names
    }

    /// The index of the first optional group at the top level (`[,<keep_alive_time>]` of
    /// `"keepalive",<client_idx>[,<keep_alive_time>]`), where a form whose omitted value means
    /// "query" separates what it queries by from what it sets.
    public var firstOptionalGroup: Int? {
        tokens.firstIndex { if case .optional = $0 { return true } else { return false } }
    }

    /// The items of a write that sets the value: the first optional group made required.
    public var settingTokens: [SyntaxToken] {
        guard let index = firstOptionalGroup, case .optional(let inner) = tokens[index] else { return tokens }
        return Array(tokens[..<index]) + inner + Array(tokens[(index + 1)...])
    }

    /// The items of the query: everything before the first optional group.
    public var queryTokens: [SyntaxToken] {
        guard let index = firstOptionalGroup else { return tokens }
        return Array(tokens[..<index])
    }

    /// The literals the syntax starts with (a tag such as `"checkUTF8"`), if any.
    public var leadingQuotedLiteral: String? {
        if case .quotedLiteral(let text)? = tokens.first { return text }
        return nil
    }
}

/// A problem in a syntax string, with the byte offset where it was found.
public struct SyntaxError: Error, Sendable, Hashable {
    /// What is wrong.
    public var message: String
    /// Byte offset in the syntax string.
    public var offset: Int
}

/// Parses syntax strings.
public enum SyntaxParser {
    /// Parses a command line syntax (`AT+CMQTTCONNECT=<client_index>,...`).
    public static func parseCommand(_ text: String) throws(SyntaxError) -> Syntax {
        let bytes = Array(text.utf8)
        guard bytes.count >= 2, bytes[0] | 0x20 == UInt8(ascii: "a"), bytes[1] | 0x20 == UInt8(ascii: "t") else {
            throw SyntaxError(message: "a command syntax starts with 'AT'", offset: 0)
        }
        var index = 2
        let nameStart = index
        if index < bytes.count, "+&$#^%*".utf8.contains(bytes[index]) { index += 1 }
        while index < bytes.count, isNameByte(bytes[index]) { index += 1 }
        let name = String(decoding: bytes[nameStart..<index], as: UTF8.self).uppercased()
        let kind: Syntax.CommandKind
        var itemsStart = index
        if index == bytes.count {
            kind = .execute
        } else if bytes[index] == UInt8(ascii: "=") {
            if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "?") {
                guard index + 2 == bytes.count else {
                    throw SyntaxError(message: "nothing may follow '=?'", offset: index + 2)
                }
                kind = .test
                itemsStart = bytes.count
            } else {
                kind = .write
                itemsStart = index + 1
            }
        } else if bytes[index] == UInt8(ascii: "?"), index + 1 == bytes.count {
            kind = .read
            itemsStart = bytes.count
        } else {
            throw SyntaxError(message: "unexpected '\(character(at: index, in: bytes))' after the command name; expected '=', '=?', '?' or the end", offset: index)
        }
        guard name.count > 0 || kind == .execute else {
            throw SyntaxError(message: "missing command name after 'AT'", offset: 2)
        }
        let prefix = String(decoding: bytes[0..<itemsStart], as: UTF8.self)
        var tokenizer = Tokenizer(bytes: bytes, index: itemsStart)
        let tokens = try tokenizer.items()
        if kind == .write, tokens.isEmpty {
            throw SyntaxError(message: "a write command has parameters after '='", offset: itemsStart)
        }
        return Syntax(prefix: prefix, command: name, commandKind: kind, tokens: tokens)
    }

    /// Parses a response, result or URC line syntax (`+CMQTTCONNECT: <client_index>,<err>`, `OK`, `<topic>,<payload>`).
    public static func parseLine(_ text: String) throws(SyntaxError) -> Syntax {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { throw SyntaxError(message: "empty syntax", offset: 0) }
        let first = bytes[0]
        if first == UInt8(ascii: "<") || first == UInt8(ascii: "\"") || first == UInt8(ascii: "(") || first == UInt8(ascii: "[") {
            var tokenizer = Tokenizer(bytes: bytes, index: 0)
            return Syntax(prefix: "", command: nil, commandKind: nil, tokens: try tokenizer.items())
        }
        if let colon = bytes.firstIndex(of: UInt8(ascii: ":")),
            !bytes[..<colon].contains(where: { "<\"([,".utf8.contains($0) })
        {
            var index = colon + 1
            while index < bytes.count, bytes[index] == UInt8(ascii: " ") { index += 1 }
            let prefix = String(decoding: bytes[...colon], as: UTF8.self)
            var tokenizer = Tokenizer(bytes: bytes, index: index)
            return Syntax(prefix: prefix, command: nil, commandKind: nil, tokens: try tokenizer.items())
        }
        if bytes.contains(where: { "<\"([,".utf8.contains($0) }) {
            throw SyntaxError(message: "a line with items needs a prefix ending in ':' (like '+CMQTTSTART: ') or none at all", offset: 0)
        }
        return Syntax(prefix: text, command: nil, commandKind: nil, tokens: [])
    }

    /// The character whose UTF-8 starts at `index`, for messages (a lone byte of a sequence is not one).
    static func character(at index: Int, in bytes: [UInt8]) -> String {
        var end = index + 1
        while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
        return String(decoding: bytes[index..<end], as: UTF8.self)
    }

    static func isNameByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_")
    }

    /// True when `text` is a parameter name: letters, digits and `_`, not starting with a digit.
    public static func isIdentifier(_ text: Substring.UTF8View) -> Bool {
        guard let first = text.first, !(first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")) else { return false }
        return text.allSatisfy(isNameByte)
    }
}

private struct Tokenizer {
    let bytes: [UInt8]
    var index: Int

    mutating func items() throws(SyntaxError) -> [SyntaxToken] {
        var stack: [[SyntaxToken]] = [[]]
        var openings: [Int] = []
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"):
                index += 1
            case UInt8(ascii: ","):
                stack[stack.count - 1].append(.comma)
                index += 1
            case UInt8(ascii: "["):
                stack.append([])
                openings.append(index)
                index += 1
            case UInt8(ascii: "]"):
                guard stack.count > 1, let inner = stack.popLast() else {
                    throw SyntaxError(message: "']' without a matching '['", offset: index)
                }
                openings.removeLast()
                guard !inner.isEmpty else { throw SyntaxError(message: "empty optional group '[]'", offset: index) }
                stack[stack.count - 1].append(.optional(inner))
                index += 1
            case UInt8(ascii: "<"):
                let start = index + 1
                guard let end = bytes[start...].firstIndex(of: UInt8(ascii: ">")) else {
                    throw SyntaxError(message: "'<' without a closing '>'", offset: index)
                }
                let name = String(decoding: bytes[start..<end], as: UTF8.self)
                guard SyntaxParser.isIdentifier(name.utf8[...]) else {
                    throw SyntaxError(message: "parameter name '\(name)' is not an identifier (letters, digits, '_'); write the manual's spelling in as_printed", offset: start)
                }
                stack[stack.count - 1].append(.parameter(name))
                index = end + 1
            case UInt8(ascii: "\""):
                let start = index + 1
                guard let end = bytes[start...].firstIndex(of: UInt8(ascii: "\"")) else {
                    throw SyntaxError(message: "'\"' without a closing '\"'", offset: index)
                }
                let text = String(decoding: bytes[start..<end], as: UTF8.self)
                if text.hasPrefix("<") {
                    throw SyntaxError(message: "write a quoted parameter as <name> and set quoted: true on it, not \"\(text)\"", offset: index)
                }
                stack[stack.count - 1].append(.quotedLiteral(text))
                index = end + 1
            case UInt8(ascii: "("):
                let start = index + 1
                guard let end = bytes[start...].firstIndex(of: UInt8(ascii: ")")) else {
                    throw SyntaxError(message: "'(' without a closing ')'", offset: index)
                }
                let text = String(decoding: bytes[start..<end], as: UTF8.self)
                if text.hasPrefix("<"), text.hasSuffix(">") {
                    let name = String(text.dropFirst().dropLast())
                    guard SyntaxParser.isIdentifier(name.utf8[...]) else {
                        throw SyntaxError(message: "parameter name '\(name)' is not an identifier", offset: start)
                    }
                    stack[stack.count - 1].append(.parameterList(name))
                } else {
                    stack[stack.count - 1].append(.valueList(text))
                }
                index = end + 1
            case UInt8(ascii: ">"), UInt8(ascii: ")"):
                throw SyntaxError(message: "unexpected '\(Character(Unicode.Scalar(byte)))'", offset: index)
            default:
                // A bare literal runs to the next delimiter; `\[` and the like are literal characters.
                var literal: [UInt8] = []
                while index < bytes.count, !",[]<>\"()".utf8.contains(bytes[index]) {
                    if bytes[index] == UInt8(ascii: "\\"), index + 1 < bytes.count {
                        index += 1
                    }
                    literal.append(bytes[index])
                    index += 1
                }
                while literal.last == UInt8(ascii: " ") { literal.removeLast() }
                stack[stack.count - 1].append(.literal(String(decoding: literal, as: UTF8.self)))
            }
        }
        if let open = openings.last {
            throw SyntaxError(message: "'[' without a matching ']'", offset: open)
        }
        return stack[0]
    }
}
