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
    /// True when the parameter is secret (a password): shown nowhere, see ``shownText``.
    public var secret: Bool
    /// The value's bytes as they came, for a value framed by a declared byte length (a
    /// message inside quotes): binary data that `text`, decoded as UTF-8, cannot hold.
    public var bytes: [UInt8]?

    /// Creates a field.
    public init(name: String, text: String, quoted: Bool, secret: Bool = false, bytes: [UInt8]? = nil) {
        self.name = name
        self.text = text
        self.quoted = quoted
        self.secret = secret
        self.bytes = bytes
    }

    /// The text to show in logs and messages: `<redacted>` for a secret.
    public var shownText: String { secret ? "<redacted>" : text }
}

extension CapturedField: CustomStringConvertible, CustomDebugStringConvertible {
    /// `name=text`, the text of a secret redacted.
    public var description: String { "\(name)=\(quoted ? "\"" + shownText + "\"" : shownText)" }
    /// As ``description``: a field printed in a test failure or a log shows no secret either.
    public var debugDescription: String { description }
}

/// Matches lines against syntaxes. Optional groups are tried present first, then
/// absent; a quoted value may hold commas and ends at its closing quote (no module
/// defines an escape); a bare value holds no quote; blanks before the line end are ignored.
///
/// To match many lines against one syntax, compile it once into a ``LineMatcher``.
public enum SyntaxMatcher {
    /// The most matching steps one line may take; a line that needs more does not match.
    static let stepLimit = 100_000

    /// Matches the whole of `line` (the prefix included) against `syntax`; nil when it does not match.
    public static func match(_ line: String, _ syntax: Syntax, shape: (String) -> FieldShape) -> [CapturedField]? {
        LineMatcher(syntax, shape: shape).match(line)
    }
}
