// FrameEvent.swift: what the framer reports: lines, prompts, raw data blocks, echoes and recoverable errors.

/// One unit of modem output, as recognised by a ``Framer``.
///
/// Events carry bytes, not text: modem output is not guaranteed to be UTF-8,
/// and a data block may hold anything.
public enum FrameEvent: Sendable, Hashable {
    /// A complete, non-empty line without its terminator (CR, LF, CR LF or CR CR LF).
    ///
    /// For an ``DataRule/inlineQuoted(prefix:lengthField:)`` line, the bytes include
    /// the raw quoted content, which may itself contain CR, LF and quotes.
    case line([UInt8])
    /// The data prompt `>` (and a single space after it, if any), seen at the
    /// start of a line while a prompt was expected (see ``Framer/expectPrompt()``).
    case prompt
    /// A raw block whose length was declared by a ``DataRule/followingLine(prefix:lengthField:)``
    /// line or by ``Framer/expectData(count:)``. A declared length of 0 gives an empty block.
    case data([UInt8])
    /// Bytes that matched an expected echo in full (see ``Framer/expectEcho(_:)``).
    case echo([UInt8])
    /// A recoverable problem; framing goes on after it.
    case error(FrameError)
}

/// A recoverable framing problem. The framer never stops; it reports and resynchronises.
public enum FrameError: Sendable, Hashable, Error {
    /// A line was longer than ``FramerConfiguration/maxLineLength``; all of its
    /// `discarded` bytes (terminator excluded) were dropped. Reported once, when
    /// the line's terminator arrives.
    case lineTooLong(discarded: Int)
    /// A line (or ``Framer/expectData(count:)``) declared a data length above
    /// ``FramerConfiguration/maxDataLength``. The framer does not collect the data
    /// and keeps framing lines. A length too large for `Int` is reported as `Int.max`.
    case declaredLengthTooLarge(declared: Int, limit: Int)
    /// The length field of a line matched by a ``DataRule`` is missing or is not a
    /// non-negative decimal integer. The line itself is still emitted as ``FrameEvent/line(_:)``.
    case malformedLength(line: [UInt8])
    /// The input ended (``Framer/finish()``) inside a data block: `received` are the bytes
    /// that came of the `declared` ones.
    case truncatedData(received: [UInt8], declared: Int)
    /// Data ended by a terminator (Ctrl-Z after a prompt, see ``Framer/expectPrompt(dataLength:dataMayRepeat:terminator:cancel:)``)
    /// did not end: the input ended first (``Framer/finish()``), or `received` reached
    /// ``FramerConfiguration/maxDataLength`` and the rest up to the next line end was dropped.
    case unterminatedData(received: [UInt8])
    /// Data ended by a terminator was cancelled (ESC): `received` are the bytes before the cancel.
    case cancelledData(received: [UInt8])
}

extension FrameEvent: CustomDebugStringConvertible {
    /// The event with its bytes shown as an escaped string, for test failures and logs.
    public var debugDescription: String {
        switch self {
        case .line(let bytes): return "line(\(escaped(bytes)))"
        case .prompt: return "prompt"
        case .data(let bytes): return "data(\(escaped(bytes)))"
        case .echo(let bytes): return "echo(\(escaped(bytes)))"
        case .error(let error): return "error(\(error.debugDescription))"
        }
    }
}

extension FrameError: CustomDebugStringConvertible {
    /// The error with any bytes shown as an escaped string.
    public var debugDescription: String {
        switch self {
        case .lineTooLong(let discarded): return "lineTooLong(discarded: \(discarded))"
        case .declaredLengthTooLarge(let declared, let limit):
            return "declaredLengthTooLarge(declared: \(declared), limit: \(limit))"
        case .malformedLength(let line): return "malformedLength(line: \(escaped(line)))"
        case .truncatedData(let received, let declared): return "truncatedData(received: \(escaped(received)), declared: \(declared))"
        case .unterminatedData(let received): return "unterminatedData(received: \(escaped(received)))"
        case .cancelledData(let received): return "cancelledData(received: \(escaped(received)))"
        }
    }
}

/// Bytes as a double-quoted string: printable ASCII as is, everything else escaped.
private func escaped(_ bytes: [UInt8]) -> String {
    var text = "\""
    for byte in bytes {
        switch byte {
        case 0x0D: text += "\\r"
        case 0x0A: text += "\\n"
        case 0x22: text += "\\\""
        case 0x5C: text += "\\\\"
        case 0x20...0x7E: text.unicodeScalars.append(Unicode.Scalar(byte))
        default:
            let hex = String(byte, radix: 16, uppercase: true)
            text += "\\x" + (hex.count == 1 ? "0" + hex : hex)
        }
    }
    return text + "\""
}
