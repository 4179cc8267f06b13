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
    /// With the expected prompt: the length of the data the host sends after it.
    var promptDataLength: Int?
    /// A prompt just came with a declared data length: its data starts at the next byte
    /// (after a space), unless that is a line end.
    var promptData: Int?
    /// With the expected prompt: the byte that ends the data the host sends after it, and the one that cancels it.
    var promptTerminator: UInt8?
    var promptCancel: UInt8?
    /// A prompt just came whose data ends with `dataTerminator`: it starts at the next byte
    /// (after a space), unless that is a line end.
    var promptTerminated = false
    /// In mode `.terminated`: the byte that ends the data, and the one that cancels it.
    var dataTerminator: UInt8 = 0x1A
    var dataCancel: UInt8?
    /// The echo the host expects; matched from the next line start.
    var expectedEcho: [UInt8] = []
    /// The expected echo is a whole line: blank lines may come before it and a line end
    /// must follow it.
    var echoIsLine = false
    /// Once the expected echo completes, the same bytes may come again as a line of their own.
    var echoRepeats = false
    /// With the expected prompt's data length: that data may come again as a line of its own.
    var promptDataRepeats = false
    /// The data block in progress is prompt data that may come again as a line of its own.
    var dataRepeats = false
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
        /// Collecting data up to `dataTerminator` (or `dataCancel`).
        case terminated
    }

    /// True between lines with nothing held and nothing expected: what comes next is framed
    /// as a fresh line, exactly as from a new framer (``ATTypedDecoder`` reads such lines itself).
    var isIdle: Bool {
        mode == .lineStart && buffer.isEmpty && !afterCR && !afterPrompt && !promptExpected && promptData == nil && !promptTerminated
            && expectedEcho.isEmpty && pendingData.isEmpty && !replaying
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
    ///
    /// With `dataLength`, the command declared how many bytes the host sends after the
    /// prompt: if the modem shows them on the prompt's line (the byte after the prompt and
    /// its space is not a line end) and no echo of them is expected (``expectEcho(_:)``),
    /// those bytes are one ``FrameEvent/data(_:)`` block, line ends and all.
    ///
    /// With `dataMayRepeat`, once that data has come (as a block, or as the echo
    /// ``expectEcho(_:mayRepeat:)`` expects), the framer expects it once more as a line of its
    /// own, as ``expectLineEcho(_:)`` does: armed at the byte where the data ends, so the
    /// events do not depend on how the input is cut.
    ///
    /// With `terminator` (and no `dataLength`), the data the modem shows after the prompt runs
    /// up to that byte (Ctrl-Z), which ends it and is not part of it; `cancel` (ESC) ends it
    /// as ``FrameError/cancelledData(received:)``. Data that reaches
    /// ``FramerConfiguration/maxDataLength`` first is ``FrameError/unterminatedData(received:)``.
    public mutating func expectPrompt(dataLength: Int? = nil, dataMayRepeat: Bool = false, terminator: UInt8? = nil, cancel: UInt8? = nil) {
        promptExpected = true
        promptTerminator = dataLength == nil ? terminator : nil
        promptCancel = cancel
        promptDataLength = dataLength.map { max(0, $0) }
        promptDataRepeats = dataMayRepeat
        switch mode {
        case .line, .discarding: promptSurvivesCurrentLine = true
        case .lineStart, .data, .echo, .terminated: promptSurvivesCurrentLine = false
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
    ///
    /// With `mayRepeat`, once the echo has come the same bytes are expected once more as a
    /// line of their own (``expectLineEcho(_:)``), from the byte where the echo ended.
    public mutating func expectEcho(_ bytes: [UInt8], mayRepeat: Bool = false) {
        guard !bytes.isEmpty else { return }
        if expectedEcho.isEmpty {
            echoAwaitsPrompt = promptExpected
            echoRepeats = mayRepeat
        }
        expectedEcho.append(contentsOf: bytes)
    }

    /// The modem may repeat `bytes` as a line of their own (SIM7670G and A7670 firmware
    /// echo the data sent after a prompt a second time, after the prompt's line).
    ///
    /// From the next line start, blank lines are skipped; if the next line is exactly
    /// `bytes` (a line end must follow them), it is one ``FrameEvent/echo(_:)``. At the
    /// first byte that differs the expectation is dropped and the bytes are framed as usual.
    /// Replaces any echo expected before; an empty argument does nothing.
    public mutating func expectLineEcho(_ bytes: [UInt8]) {
        guard !bytes.isEmpty, !(bytes[0] == FrameByte.cr || bytes[0] == FrameByte.lf) else { return }
        if case .echo = mode { return }
        expectedEcho = bytes
        echoIsLine = true
        echoRepeats = false
        echoAwaitsPrompt = false
    }

    /// Forgets a prompt or echo the host was expecting (the command was abandoned).
    ///
    /// An echo already being matched is finished as usual.
    public mutating func dropExpectations() {
        promptExpected = false
        promptSurvivesCurrentLine = false
        promptDataLength = nil
        promptData = nil
        promptTerminator = nil
        promptCancel = nil
        promptTerminated = false
        promptDataRepeats = false
        dataRepeats = false
        pendingData.removeAll()
        if case .echo = mode { return }
        expectedEcho.removeAll()
        echoIsLine = false
        echoRepeats = false
        echoAwaitsPrompt = false
    }

    /// The input has ended: what the framer holds is reported, and it starts afresh.
    ///
    /// A line without its terminator is emitted as a line; a data block cut short is
    /// ``FrameError/truncatedData(received:declared:)`` with the bytes that came; an echo
    /// matched only in part is framed as ordinary bytes first.
    public mutating func finish() -> [FrameEvent] {
        var events: [FrameEvent] = []
        finish(into: &events)
        return events
    }

    /// Reports what the framer holds into a sink of the runtime's own, and starts afresh.
    mutating func finish<Sink: FrameSink>(into events: inout Sink) {
        switch mode {
        case .echo:
            let matched = Array(expectedEcho[0..<echoMatched])
            let complete = echoMatched == expectedEcho.count
            expectedEcho.removeAll()
            echoMatched = 0
            mode = .lineStart
            if complete {
                events.frame(.echo(matched))
            } else {
                replaying = true
                matched.withUnsafeBufferPointer { process($0, into: &events) }
                replaying = false
            }
        default:
            break
        }
        switch mode {
        case .line:
            endLine(terminator: FrameByte.lf, into: &events)
        case .discarding:
            events.frame(.error(.lineTooLong(discarded: discarded)))
        case .data:
            if dataRemaining <= maxDataLength { events.frame(.error(.truncatedData(received: buffer, declared: buffer.count + dataRemaining))) }
        case .terminated:
            events.frame(.error(.unterminatedData(received: buffer)))
        case .lineStart, .echo:
            break
        }
        self = Framer(configuration: configuration)
    }

    /// How many bytes the framer holds (a partial line or data block), for memory checks.
    public var bufferedByteCount: Int { buffer.count }
}
