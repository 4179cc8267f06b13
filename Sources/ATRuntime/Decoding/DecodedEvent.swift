// DecodedEvent.swift: what the decoder makes of modem output: commands, responses, results, URCs, and what it could not type.

/// One thing the decoder recognised in the byte stream.
///
/// No event carries the value of a `secret` parameter in its text: where a line holds
/// one, its `line` (and an unrecognized line's bytes) show `<redacted>` in its place.
/// The captured fields keep the value, marked ``CapturedField/secret``, so it can be typed.
public enum DecodedEvent: Sendable, Hashable {
    /// A command line (the modem's echo, or a transcript's command) and the form it matched.
    case command(command: String, form: String, line: String, fields: [CapturedField])
    /// An information line answering the command in flight; `index` is the response it matched.
    case response(command: String, form: String, index: Int, line: String, fields: [CapturedField])
    /// The deferred result of a command, which may come before or after its final result.
    ///
    /// `shape` is the index of the shape that matched, among the form's ``FormDescriptor/deferredShapes``.
    case deferred(command: String, form: String, shape: Int, line: String, fields: [CapturedField])
    /// A final result code.
    case final(name: String, isSuccess: Bool, line: String, fields: [CapturedField])
    /// The data prompt `>`.
    case prompt
    /// Bytes the host sent after a prompt, as the modem echoed them (or a transcript shows
    /// them), as many as the command declared; or a raw block nobody claimed.
    case data([UInt8])
    /// The same data echoed a second time, on a line of its own after the prompt's line
    /// (SIM7670G and A7670 firmware): an echo, not a URC and not output to act on.
    case dataEcho([UInt8])
    /// A line that is the deferred result (`deferred`) or an information line of `command`,
    /// while that command was not seen in flight: a capture that starts mid-session, or the
    /// late answer of an abandoned command. Typed by the spec, but not correlated with a command;
    /// `line` keeps its bytes as they came (a secret's value redacted).
    case uncorrelated(command: String, form: String, deferred: Bool, line: ATLine, fields: [CapturedField])
    /// An unsolicited result code, with the lines it was assembled from.
    case urc(URCMatch, lines: [String])
    /// A multi-part URC that did not complete, with everything collected for it.
    case brokenURC(BrokenURC)
    /// A line the spec does not describe here. Never dropped.
    case unrecognized(ATLine)
    /// A framing problem (a line too long, an absurd declared length); decoding goes on.
    case error(FrameError)
}

/// A line as the modem sent it: its bytes, which need not be UTF-8, and its text.
public struct ATLine: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The line's bytes, without its terminator.
    public var bytes: [UInt8]

    /// A line of these bytes.
    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// A line of this text's UTF-8 bytes.
    public init(_ text: String) {
        bytes = Array(text.utf8)
    }

    public init(stringLiteral text: String) {
        self.init(text)
    }

    /// The bytes as text; bytes that are not UTF-8 become U+FFFD (``bytes`` keeps them).
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    public var description: String { text }
}

/// A multi-part URC (`+CMQTTRXSTART` … `+CMQTTRXEND`) that could not be completed.
public struct BrokenURC: Sendable, Hashable {
    /// Why it is broken.
    public enum Reason: Sendable, Hashable {
        /// A line that is no part of it came before its end part (the line is decoded on its own).
        case interrupted
        /// The input ended before its end part (``ATDecoder/finish()``).
        case endOfInput
        /// Its parts carried `received` bytes of `data`, where its start declared `declared`.
        case lengthMismatch(data: String, declared: Int, received: Int)
        /// Its parts carried more data in all than the decoder's `maxDataLength`, `limit`.
        case tooLarge(limit: Int)
    }

    /// The URC id.
    public var name: String
    /// The fields of its start part.
    public var fields: [CapturedField]
    /// The raw data collected so far, by name.
    public var data: [String: [UInt8]]
    /// The lines that came, in order.
    public var lines: [String]
    /// Why it is broken.
    public var reason: Reason

    /// Creates a value.
    public init(name: String, fields: [CapturedField], data: [String: [UInt8]], lines: [String], reason: Reason) {
        self.name = name
        self.fields = fields
        self.data = data
        self.lines = lines
        self.reason = reason
    }
}
