// SyntaxMatcher.swift: matches a line of text against a parsed syntax, capturing parameter values.

/// How a parameter's value is written on the line.
public enum FieldShape: Sendable, Hashable {
    /// Within `"..."`.
    case quoted
    /// An integer, optionally signed.
    case integer
    /// Unquoted text up to the next comma.
    case bare
    /// Quoted or not.
    case any
}

/// A parameter value captured from a line.
public struct CapturedField: Sendable, Hashable {
    /// The parameter's name.
    public var name: String
    /// The text, without surrounding quotes or parentheses.
    public var text: String
    /// True when it was written within quotes.
    public var quoted: Bool

    /// Creates a field.
    public init(name: String, text: String, quoted: Bool) {
        self.name = name
        self.text = text
        self.quoted = quoted
    }
}

/// Matches lines against syntaxes. Optional groups are tried present first, then
/// absent; a quoted value may hold commas and quotes, and the matcher backtracks
/// to the closing quote that lets the rest of the line match.
public struct SyntaxMatcher {
    let bytes: [UInt8]
    let shape: (String) -> FieldShape
    var captures: [CapturedField] = []
    var steps = 0
    static let stepLimit = 100_000

    /// Matches the whole of `line` (the prefix included) against `syntax`; nil when it does not match.
    public static func match(_ line: String, _ syntax: Syntax, shape: (String) -> FieldShape) -> [CapturedField]? {
        let lineBytes = Array(line.utf8)
        let prefix = Array(syntax.prefix.utf8)
        var start: Int
        if syntax.command != nil {
            guard lineBytes.count >= prefix.count, zip(lineBytes, prefix).allSatisfy({ Self.upper($0) == Self.upper($1) }) else { return nil }
            start = prefix.count
        } else {
            guard lineBytes.starts(with: prefix) else { return nil }
            start = prefix.count
            if !prefix.isEmpty, prefix.last == UInt8(ascii: ":") {
                while start < lineBytes.count, lineBytes[start] == UInt8(ascii: " ") { start += 1 }
            }
        }
        return withoutActuallyEscaping(shape) { shape in
            var matcher = SyntaxMatcher(bytes: lineBytes, shape: shape)
            var result: [CapturedField]?
            _ = matcher.sequence(syntax.tokens[...], at: start) { end, captures in
                guard end == lineBytes.count else { return false }
                result = captures
                return true
            }
            return result
        }
    }

    static func upper(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") ? byte - 32 : byte
    }

    /// Matches `tokens` from `position`, then calls `next` with where they ended; true once `next` accepts.
    mutating func sequence(_ tokens: ArraySlice<SyntaxToken>, at position: Int, _ next: (Int, [CapturedField]) -> Bool) -> Bool {
        steps += 1
        guard steps < Self.stepLimit else { return false }
        guard let token = tokens.first else { return next(position, captures) }
        let rest = tokens.dropFirst()
        switch token {
        case .comma:
            guard position < bytes.count, bytes[position] == UInt8(ascii: ",") else { return false }
            var after = position + 1
            while after < bytes.count, bytes[after] == UInt8(ascii: " ") { after += 1 }
            return sequence(rest, at: after, next)
        case .literal(let text):
            let literal = Array(text.utf8)
            guard bytes[position...].starts(with: literal) else { return false }
            return sequence(rest, at: position + literal.count, next)
        case .quotedLiteral(let text):
            let literal = [UInt8(ascii: "\"")] + Array(text.utf8) + [UInt8(ascii: "\"")]
            guard bytes[position...].starts(with: literal) else { return false }
            return sequence(rest, at: position + literal.count, next)
        case .valueList(let text):
            let literal = [UInt8(ascii: "(")] + Array(text.utf8) + [UInt8(ascii: ")")]
            guard bytes[position...].starts(with: literal) else { return false }
            return sequence(rest, at: position + literal.count, next)
        case .parameterList(let name):
            guard position < bytes.count, bytes[position] == UInt8(ascii: "("),
                let close = bytes[position...].firstIndex(of: UInt8(ascii: ")"))
            else { return false }
            return capture(name, position + 1, close, quoted: false, resume: close + 1, rest, next)
        case .optional(let inner):
            let saved = captures
            if sequence((inner + rest)[...], at: position, next) { return true }
            captures = saved
            return sequence(rest, at: position, next)
        case .parameter(let name):
            switch shape(name) {
            case .quoted:
                return quotedField(name, position, rest, next)
            case .integer:
                var end = position
                if end < bytes.count, bytes[end] == UInt8(ascii: "-") { end += 1 }
                let digitsStart = end
                while end < bytes.count, bytes[end] >= UInt8(ascii: "0"), bytes[end] <= UInt8(ascii: "9") { end += 1 }
                guard end > digitsStart else { return false }
                return capture(name, position, end, quoted: false, resume: end, rest, next)
            case .bare:
                return bareField(name, position, rest, next)
            case .any:
                if position < bytes.count, bytes[position] == UInt8(ascii: "\""), quotedField(name, position, rest, next) { return true }
                return bareField(name, position, rest, next)
            }
        }
    }

    mutating func quotedField(_ name: String, _ position: Int, _ rest: ArraySlice<SyntaxToken>, _ next: (Int, [CapturedField]) -> Bool) -> Bool {
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { return false }
        var close = position + 1
        while close < bytes.count {
            if bytes[close] == UInt8(ascii: "\"") {
                if capture(name, position + 1, close, quoted: true, resume: close + 1, rest, next) { return true }
            }
            close += 1
        }
        return false
    }

    mutating func bareField(_ name: String, _ position: Int, _ rest: ArraySlice<SyntaxToken>, _ next: (Int, [CapturedField]) -> Bool) -> Bool {
        var end = position
        while true {
            while end < bytes.count, bytes[end] != UInt8(ascii: ",") { end += 1 }
            if end > position, capture(name, position, end, quoted: false, resume: end, rest, next) { return true }
            guard end < bytes.count else { return false }
            end += 1
        }
    }

    mutating func capture(_ name: String, _ start: Int, _ end: Int, quoted: Bool, resume: Int, _ rest: ArraySlice<SyntaxToken>, _ next: (Int, [CapturedField]) -> Bool) -> Bool {
        let saved = captures
        captures.append(CapturedField(name: name, text: String(decoding: bytes[start..<end], as: UTF8.self), quoted: quoted))
        if sequence(rest, at: resume, next) { return true }
        captures = saved
        return false
    }
}
