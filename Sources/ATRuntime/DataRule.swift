// DataRule.swift: how a line announces raw bytes of a declared length, after it or inside it.

/// A way modem output declares a block of raw bytes by its length.
///
/// Fields are counted after the rule's prefix, separated by commas outside
/// double quotes, with spaces trimmed: in `+CMQTTRXTOPIC: 0,9` with prefix
/// `+CMQTTRXTOPIC:`, field 0 is `0` and field 1 is `9`.
///
/// A line is matched against the rules as soon as it is as long as a rule's
/// prefix; the first prefix that matches decides, so a shorter prefix wins over
/// a longer one that extends it, and among prefixes of equal length the rule
/// listed first wins.
public struct DataRule: Sendable, Hashable {
    /// Where the declared bytes are.
    public enum Kind: Sendable, Hashable {
        /// After the line's terminator (``DataRule/followingLine(prefix:lengthField:lengthIsOptional:)``).
        case followingLine
        /// Inside the line, as a quoted string (``DataRule/inlineQuoted(prefix:lengthField:lengthIsOptional:)``).
        case inlineQuoted
    }

    /// Where the declared bytes are.
    public var kind: Kind
    /// The bytes a line must begin with for this rule to apply.
    public var prefix: [UInt8]
    /// The 0-based index, after the prefix, of the field that holds the length.
    public var lengthField: Int
    /// True when the syntax makes the length field optional
    /// (`+QMTRECV: <client_idx>,<msgid>,<topic>[,<payload_len>],<payload>`): a line whose
    /// field at that position is not a length is then an ordinary line, not a
    /// ``FrameError/malformedLength(line:)``. A length that is too large is still reported.
    public var lengthIsOptional: Bool

    /// A rule of the given kind.
    public init(kind: Kind, prefix: [UInt8], lengthField: Int, lengthIsOptional: Bool = false) {
        self.kind = kind
        self.prefix = prefix
        self.lengthField = lengthField
        self.lengthIsOptional = lengthIsOptional
    }

    /// After a line beginning with `prefix` (e.g. `+CMQTTRXTOPIC:`), field
    /// `lengthField` holds N, and the N bytes after the line's terminator are one
    /// ``FrameEvent/data(_:)`` event. They may contain CR, LF, commas, quotes and NULs.
    ///
    /// If the line ends with CR, one LF right after it belongs to the terminator.
    /// The CR LF that usually follows the data is then a blank line, and dropped.
    public static func followingLine(prefix: [UInt8], lengthField: Int, lengthIsOptional: Bool = false) -> DataRule {
        DataRule(kind: .followingLine, prefix: prefix, lengthField: lengthField, lengthIsOptional: lengthIsOptional)
    }

    /// Within a line beginning with `prefix` (e.g. `+SMPUBLISH:`), field
    /// `lengthField` holds N and the next field is a double-quoted string of
    /// exactly N content bytes, which may contain CR, LF and quotes. The whole line,
    /// raw content included, is one ``FrameEvent/line(_:)`` event; a parser cuts
    /// the content out using N. Spaces before the opening quote are allowed; if
    /// the next field does not start with a quote, the line is framed normally.
    public static func inlineQuoted(prefix: [UInt8], lengthField: Int, lengthIsOptional: Bool = false) -> DataRule {
        DataRule(kind: .inlineQuoted, prefix: prefix, lengthField: lengthField, lengthIsOptional: lengthIsOptional)
    }
}
