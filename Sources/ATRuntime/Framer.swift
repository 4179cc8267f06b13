// Framer.swift: the sans-I/O framer's public face: feed bytes, tell it what the host expects, get events.

/// Turns bytes from a modem, in chunks of any size, into ``FrameEvent``s.
///
/// The framer does no I/O and reads no clock: it is a state machine driven by
/// bytes and by the host's expectations. The same bytes split at any boundary,
/// with expectations set at the same byte positions, give the same events.
///
/// Line ends are CR LF, a lone CR, a lone LF, or CR CR LF; a line is emitted as
/// soon as its first terminator byte arrives, and blank lines are dropped. Memory
/// is bounded: the line buffer never holds more than
/// ``FramerConfiguration/maxLineLength`` bytes, except for a line with inline quoted
/// content (up to `maxLineLength` plus the content's declared length) and a data
/// block (up to ``FramerConfiguration/maxDataLength``).
///
/// ```swift
/// var framer = Framer(configuration: .init(dataRules: [
///     .followingLine(prefix: Array("+CMQTTRXPAYLOAD:".utf8), lengthField: 1),
/// ]))
/// for event in framer.feed(chunk) { … }
/// ```
public struct Framer: Sendable {
    /// The configuration this framer was made with, bounds clamped to valid values.
    public let configuration: FramerConfiguration

    let rules: RuleTable
    let maxLineLength: Int
    let maxDataLength: Int

    /// What the next byte is read as.
    var mode: Mode = .lineStart
    /// The line being collected, or the part of a data block that spans chunks.
    var buffer: [UInt8] = []
    /// A CR just ended a line: one LF after it is part of that terminator.
    var afterCR = false
    /// A prompt was just emitted: one space after it is part of the prompt.
    var afterPrompt = false
    /// A `>` at line start is a prompt.
    var promptExpected = false
    /// The prompt expectation was set while a line was in progress; that line's end keeps it.
    var promptSurvivesCurrentLine = false
    /// The echo the host expects; matched from the next line start.
    var expectedEcho: [UInt8] = []
    /// The echo is of data sent after the expected prompt: it is matched only after the prompt.
    var echoAwaitsPrompt = false
    /// How many bytes of `expectedEcho` have matched, in mode `.echo`.
    var echoMatched = 0
    /// Data blocks announced by `expectData(count:)` that start after the current line or block.
    var pendingData: [Int] = []
    /// Bytes still to come in the current data block, in mode `.data`.
    var dataRemaining = 0
    /// Bytes dropped so far from an overlong line, in mode `.discarding`.
    var discarded = 0
    /// The current line's limit: `maxLineLength` plus any accepted inline content length.
    var lineLimit: Int
    /// What is known about the current line's data rule.
    var lineClass: LineClass
    /// A length problem found in the current line, reported just before the line.
    var lineIssue: DeclaredLength?
    /// Bytes that matched an echo only in part are being framed again from a temporary copy.
    var replaying = false

    /// What the framer is in the middle of.
    enum Mode: Sendable {
        /// Between lines: the next byte may be a terminator's LF, a prompt, an echo or a line's first byte.
        case lineStart
        /// Collecting a line.
        case line
        /// Dropping the rest of an overlong line up to its terminator.
        case discarding
        /// Collecting a data block of `dataRemaining` bytes.
        case data
        /// Matching an expected echo.
        case echo
    }

    /// A framer with the given limits and data rules.
    public init(configuration: FramerConfiguration = FramerConfiguration()) {
        var clamped = configuration
        clamped.maxLineLength = max(1, configuration.maxLineLength)
        clamped.maxDataLength = max(0, configuration.maxDataLength)
        self.configuration = clamped
        self.maxLineLength = clamped.maxLineLength
        self.maxDataLength = clamped.maxDataLength
        self.rules = RuleTable(clamped.dataRules)
        self.lineLimit = clamped.maxLineLength
        self.lineClass = rules.initial
    }

    /// Frames `bytes` and returns the events they complete.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [FrameEvent] {
        var events: [FrameEvent] = []
        feed(bytes, into: &events)
        return events
    }

    /// Frames `bytes` and appends the events they complete to `events`, so a caller
    /// can reuse one array across chunks.
    public mutating func feed(_ bytes: some Sequence<UInt8>, into events: inout [FrameEvent]) {
        let handled: Void? = bytes.withContiguousStorageIfAvailable { input in
            process(input, into: &events)
        }
        if handled == nil {
            Array(bytes).withUnsafeBufferPointer { process($0, into: &events) }
        }
    }

    /// Frames `input` into a sink of the runtime's own (the decoder's line arena).
    mutating func feed(_ input: UnsafeBufferPointer<UInt8>, into batch: inout FrameBatch) {
        process(input, into: &batch)
    }

    /// The host sent a command that answers with a data prompt.
    ///
    /// A `>` at the start of a line is then emitted as ``FrameEvent/prompt`` as soon as
    /// it arrives, and a single space right after it is swallowed. Whatever follows the
    /// prompt on the same line is matched against an expected echo if one is set, and
    /// framed as a line otherwise. The expectation ends at the prompt or when the next
    /// line completes; a line that was already in progress when this was called does not
    /// end it (it cannot hold a prompt at its start anyway).
    ///
    /// With command echo on (`ATE1`), the echoed command line would end the expectation;
    /// call ``expectEcho(_:)`` with the command line (including its CR) before this, so the
    /// echo is consumed as an ``FrameEvent/echo(_:)`` and the prompt after it is seen.
    public mutating func expectPrompt() {
        promptExpected = true
        switch mode {
        case .line, .discarding: promptSurvivesCurrentLine = true
        case .lineStart, .data, .echo: promptSurvivesCurrentLine = false
        }
    }

    /// The next `count` bytes are one ``FrameEvent/data(_:)`` block.
    ///
    /// Between lines the block starts with the next byte, except that an LF completing a
    /// CR line end is skipped. In the middle of a line, a data block or an echo, it starts
    /// after that ends (after the line's terminator). Each call announces one more block.
    /// A count of 0 (or less) gives an empty block; a count above
    /// ``FramerConfiguration/maxDataLength`` gives
    /// ``FrameError/declaredLengthTooLarge(declared:limit:)`` and no block.
    public mutating func expectData(count: Int) {
        if case .lineStart = mode {
            startData(max(0, count))
        } else {
            pendingData.append(max(0, count))
        }
    }

    /// The host sent these bytes (typically after a prompt) and the modem may echo them.
    ///
    /// From the next line start (after a prompt, or after the line, block or echo in
    /// progress) incoming bytes are compared with the expected ones; if all of them arrive,
    /// they are one ``FrameEvent/echo(_:)`` event. At the first byte that does not match,
    /// the expectation is dropped and the bytes matched so far, then that byte, are framed
    /// as if no echo had been expected. An LF completing a CR line end, and a space after
    /// a prompt, are skipped before matching.
    ///
    /// If a prompt is expected and has not arrived yet when this is called, the bytes are
    /// data the host sends after that prompt: matching starts right after the prompt, and
    /// if the prompt expectation ends without a prompt (say, at an `ERROR` line) the echo
    /// expectation is dropped too. Calling this again before the echo has completed
    /// appends to the expected bytes, as the modem echoes everything in order. An empty
    /// argument does nothing.
    public mutating func expectEcho(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        if expectedEcho.isEmpty { echoAwaitsPrompt = promptExpected }
        expectedEcho.append(contentsOf: bytes)
    }

    /// Forgets a prompt or echo the host was expecting (the command was abandoned).
    ///
    /// An echo already being matched is finished as usual.
    public mutating func dropExpectations() {
        promptExpected = false
        promptSurvivesCurrentLine = false
        pendingData.removeAll()
        if case .echo = mode { return }
        expectedEcho.removeAll()
        echoAwaitsPrompt = false
    }

    /// How many bytes the framer holds (a partial line or data block), for memory checks.
    public var bufferedByteCount: Int { buffer.count }
}
