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
public enum DataRule: Sendable, Hashable {
    /// After a line beginning with `prefix` (e.g. `+CMQTTRXTOPIC:`), field
    /// `lengthField` holds N, and the N bytes after the line's terminator are one
    /// ``FrameEvent/data(_:)`` event. They may contain CR, LF, commas, quotes and NULs.
    ///
    /// If the line ends with CR, one LF right after it belongs to the terminator.
    /// The CR LF that usually follows the data is then a blank line, and dropped.
    case followingLine(prefix: [UInt8], lengthField: Int)
    /// Within a line beginning with `prefix` (e.g. `+SMPUBLISH:`), field
    /// `lengthField` holds N and the next field is a double-quoted string of
    /// exactly N content bytes, which may contain CR, LF and quotes. The whole line,
    /// raw content included, is one ``FrameEvent/line(_:)`` event; a parser cuts
    /// the content out using N. Spaces before the opening quote are allowed; if
    /// the next field does not start with a quote, the line is framed normally.
    case inlineQuoted(prefix: [UInt8], lengthField: Int)

    /// The bytes a line must begin with for this rule to apply.
    public var prefix: [UInt8] {
        switch self {
        case .followingLine(let prefix, _), .inlineQuoted(let prefix, _): return prefix
        }
    }

    /// The 0-based index, after the prefix, of the field that holds the length.
    public var lengthField: Int {
        switch self {
        case .followingLine(_, let field), .inlineQuoted(_, let field): return field
        }
    }
}
