// Framer+Scanning.swift: the byte loop: every byte is looked at once, and lines are copied in spans.

extension Framer {
    /// Runs the state machine over `input`.
    mutating func process<Sink: FrameSink>(_ input: UnsafeBufferPointer<UInt8>, into events: inout Sink) {
        var index = 0
        let count = input.count
        while true {
            // A block that needs no bytes is settled before the next byte (or at once).
            if case .data = mode, dataRemaining == 0 || dataRemaining > maxDataLength {
                if dataRemaining == 0 {
                    events.frame(.data([]))
                } else {
                    events.frame(.error(.declaredLengthTooLarge(declared: dataRemaining, limit: maxDataLength)))
                }
                dataRemaining = 0
                mode = .lineStart
                startPendingData()
                continue
            }
            guard index < count else { return }
            switch mode {
            case .lineStart:
                index = scanLineStart(input, from: index, into: &events)
            case .line:
                index = scanLine(input, from: index, into: &events)
            case .discarding:
                index = scanDiscarded(input, from: index, into: &events)
            case .data:
                index = scanData(input, from: index, into: &events)
            case .echo:
                index = scanEcho(input, from: index, into: &events)
            case .terminated:
                index = scanTerminated(input, from: index, into: &events)
            }
        }
    }

    /// Handles one byte between lines: a terminator's LF, a prompt's space, a prompt, the
    /// start of an echo, a blank line, or the first byte of a line.
    private mutating func scanLineStart<Sink: FrameSink>(
        _ input: UnsafeBufferPointer<UInt8>, from index: Int, into events: inout Sink
    ) -> Int {
        if !pendingData.isEmpty {
            // Only after an echo fell through: the announced block starts where the echo did.
            startPendingData()
            return index
        }
        let byte = input[index]
        if afterCR {
            afterCR = false
            if byte == FrameByte.lf { return index + 1 }
        }
        if afterPrompt {
            afterPrompt = false
            if byte == FrameByte.space { return index + 1 }
        }
        if promptTerminated {
            // Data ended by a terminator, when the modem shows it on the prompt's line.
            promptTerminated = false
            if expectedEcho.isEmpty, byte != FrameByte.cr, byte != FrameByte.lf {
                mode = .terminated
                buffer.removeAll(keepingCapacity: true)
                return index
            }
        }
        if let count = promptData {
            // The data the host sent after the prompt, as long as its command declared, when
            // the modem shows it on the prompt's line (a line end first: it shows none).
            promptData = nil
            if expectedEcho.isEmpty, byte != FrameByte.cr, byte != FrameByte.lf {
                startData(count)
                dataRepeats = promptDataRepeats
                return index
            }
        }
        if promptExpected, byte == FrameByte.greaterThan {
            promptExpected = false
            promptSurvivesCurrentLine = false
            echoAwaitsPrompt = false
            afterPrompt = true
            promptData = promptDataLength
            promptDataLength = nil
            if let terminator = promptTerminator {
                promptTerminated = true
                dataTerminator = terminator
                dataCancel = promptCancel
                promptTerminator = nil
                promptCancel = nil
            }
            if promptData == nil { promptDataRepeats = false }
            events.frame(.prompt)
            return index + 1
        }
        if !expectedEcho.isEmpty, !echoAwaitsPrompt {
            if byte == expectedEcho[0] {
                echoMatched = 1
                mode = .echo
                if expectedEcho.count == 1, !echoIsLine { completeEcho(into: &events) }
                return index + 1
            }
            // A line echo may come after blank lines; anything else ends the expectation.
            if !echoIsLine || (byte != FrameByte.cr && byte != FrameByte.lf) {
                expectedEcho.removeAll()
                echoIsLine = false
            }
        }
        if byte == FrameByte.cr || byte == FrameByte.lf {
            afterCR = byte == FrameByte.cr  // a blank line: dropped
            return index + 1
        }
        mode = .line
        lineClass = rules.initial
        lineLimit = maxLineLength
        lineIssue = nil
        if !replaying, let end = scanWholeLine(input, from: index, into: &events) { return end }
        return scanLine(input, from: index, into: &events)
    }

    /// Frames a line that lies whole in `input` (terminator included) where it lies, without
    /// copying it; nil, having done nothing, when the line goes past the input or the line
    /// limit, or an inline-quoted rule applies (its content may hold line ends).
    ///
    /// The line is classified at the same lengths, from the same bytes, as ``scanLine`` would.
    private mutating func scanWholeLine<Sink: FrameSink>(
        _ input: UnsafeBufferPointer<UInt8>, from start: Int, into events: inout Sink
    ) -> Int? {
        // Classify at each rule boundary the line reaches, as `scanLine` would, before looking
        // further: an inline-quoted line is left to `scanLine` at once.
        let stop = min(input.count, start + lineLimit + 1)
        var lineClass = self.lineClass
        var cursor = start
        while case .unclassified(let boundary) = lineClass {
            let end = start + rules.lengths[boundary]
            guard end < stop else { break }
            cursor = LineEnds.first(in: input, from: cursor, to: end)
            guard cursor == end else { break }  // the line ends before this boundary
            lineClass = rules.classify(UnsafeBufferPointer(rebasing: input[start..<end]), boundary: boundary)
        }
        if case .inline = lineClass { return nil }
        cursor = LineEnds.first(in: input, from: cursor, to: stop)
        guard cursor < stop else { return nil }
        let line = UnsafeBufferPointer(rebasing: input[start..<cursor])
        if case .unclassified(let boundary) = lineClass, rules.lengths[boundary] == line.count {
            lineClass = rules.classify(line, boundary: boundary)  // the line is exactly a prefix
        }
        self.lineClass = lineClass
        let declaredData = report(line, inInput: true, into: &events)
        finishLine(terminator: input[cursor], declaredData: declaredData)
        return cursor + 1
    }

    /// Collects line bytes up to a terminator, a rule boundary, the line limit or the chunk end.
    private mutating func scanLine<Sink: FrameSink>(
        _ input: UnsafeBufferPointer<UInt8>, from start: Int, into events: inout Sink
    ) -> Int {
        var index = start
        let count = input.count
        while index < count {
            if case .unclassified(let boundary) = lineClass, buffer.count == rules.lengths[boundary] {
                lineClass = buffer.withUnsafeBufferPointer { rules.classify($0, boundary: boundary) }
                continue
            }
            if case .inline = lineClass {
                index = scanInline(input, from: index, into: &events)
                guard case .line = mode else { return index }
                continue
            }
            var limit = count
            if case .unclassified(let boundary) = lineClass {
                limit = min(limit, index + (rules.lengths[boundary] - buffer.count))
            }
            let room = lineLimit - buffer.count
            let end = min(limit, index + room + 1)
            let cursor = LineEnds.first(in: input, from: index, to: end)
            let span = cursor - index
            if span > room {
                startDiscarding(alreadySeen: buffer.count + span)
                return cursor
            }
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: input[index..<cursor]))
            if cursor < end {
                endLine(terminator: input[cursor], into: &events)
                return cursor + 1
            }
            index = cursor
        }
        return index
    }

    /// Collects the bytes of an inline-quoted line, tracking fields until its content is in.
    ///
    /// Runs of field bytes are scanned in place and copied in one go; the result is the same
    /// as taking the bytes one at a time: a line end ends the line, the line limit starts
    /// discarding, and the length field is judged as soon as the comma after it arrives.
    private mutating func scanInline<Sink: FrameSink>(
        _ input: UnsafeBufferPointer<UInt8>, from start: Int, into events: inout Sink
    ) -> Int {
        var index = start
        let count = input.count
        while index < count, case .inline(let rule, let phase) = lineClass {
            switch phase {
            case .raw(let remaining):
                let take = min(remaining, count - index)
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: input[index..<(index + take)]))
                index += take
                lineClass = take == remaining ? .plain : .inline(rule: rule, phase: .raw(remaining: remaining - take))
            case .fields(var field, var inQuotes, var fieldStart):
                let runStart = index
                let room = lineLimit - buffer.count
                var cursor = index
                var lengthFieldEnded = false
                while cursor < count {
                    let byte = input[cursor]
                    if byte == FrameByte.cr || byte == FrameByte.lf || cursor - runStart >= room { break }
                    cursor += 1
                    if inQuotes {
                        inQuotes = byte != FrameByte.quote
                    } else if byte == FrameByte.quote {
                        inQuotes = true
                    } else if byte == FrameByte.comma {
                        if field == rules.lengthFields[rule] {
                            lengthFieldEnded = true
                            break
                        }
                        field += 1
                        fieldStart = buffer.count + (cursor - runStart)
                    }
                }
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: input[runStart..<cursor]))
                index = cursor
                if lengthFieldEnded {
                    let declared = DeclaredLength(field: buffer[fieldStart..<(buffer.count - 1)], limit: maxDataLength)
                    if case .accepted(let length) = declared {
                        lineClass = .inline(rule: rule, phase: .awaitingQuote(count: length))
                    } else {
                        if declared != .malformed || !rules.optionalLengths[rule] { lineIssue = declared }
                        lineClass = .plain
                    }
                    continue
                }
                lineClass = .inline(rule: rule, phase: .fields(index: field, inQuotes: inQuotes, fieldStart: fieldStart))
                guard cursor < count else { return cursor }
                let byte = input[cursor]
                if byte == FrameByte.cr || byte == FrameByte.lf {
                    endLine(terminator: byte, into: &events)
                    return cursor + 1
                }
                startDiscarding(alreadySeen: buffer.count)
                return cursor
            case .awaitingQuote(let length):
                let byte = input[index]
                if byte == FrameByte.cr || byte == FrameByte.lf {
                    endLine(terminator: byte, into: &events)
                    return index + 1
                }
                if buffer.count >= lineLimit {
                    startDiscarding(alreadySeen: buffer.count)
                    return index
                }
                buffer.append(byte)
                index += 1
                if byte == FrameByte.space { continue }
                if byte == FrameByte.quote, length > 0 {
                    lineLimit = maxLineLength + length  // the content does not count against the line
                    lineClass = .inline(rule: rule, phase: .raw(remaining: length))
                } else {
                    lineClass = .plain  // empty content, or not quoted: the rest is ordinary
                }
            }
        }
        return index
    }

    /// Drops an overlong line's bytes up to its terminator, counting them.
    private mutating func scanDiscarded<Sink: FrameSink>(
        _ input: UnsafeBufferPointer<UInt8>, from start: Int, into events: inout Sink
    ) -> Int {
        let count = input.count
        let cursor = LineEnds.first(in: input, from: start, to: count)
        discarded += cursor - start
        guard cursor < count else { return cursor }
        events.frame(.error(.lineTooLong(discarded: discarded)))
        discarded = 0
        finishLine(terminator: input[cursor], declaredData: nil)
        return cursor + 1
    }

    /// Collects data block bytes; a block inside one chunk is copied straight into its event.
    private mutating func scanData<Sink: FrameSink>(
        _ input: UnsafeBufferPointer<UInt8>, from start: Int, into events: inout Sink
    ) -> Int {
        if afterCR {
            afterCR = false
            if input[start] == FrameByte.lf { return start + 1 }
        }
        let take = min(dataRemaining, input.count - start)
        let bytes = UnsafeBufferPointer(rebasing: input[start..<(start + take)])
        var block: [UInt8]?
        if buffer.isEmpty, take == dataRemaining {
            block = Array(bytes)
        } else {
            buffer.append(contentsOf: bytes)
            if take == dataRemaining {
                block = Array(buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        if let block { events.frame(.data(block)) }
        dataRemaining -= take
        if dataRemaining == 0 {
            mode = .lineStart
            if dataRepeats, let block {
                // Prompt data that some firmware repeats on a line of its own: expected from here.
                dataRepeats = false
                expectLineEcho(block)
            }
            startPendingData()
        }
        return start + take
    }

    /// Matches bytes against the expected echo; on a mismatch, frames what matched as ordinary bytes.
    private mutating func scanEcho<Sink: FrameSink>(
        _ input: UnsafeBufferPointer<UInt8>, from start: Int, into events: inout Sink
    ) -> Int {
        var index = start
        let count = input.count
        while index < count {
            let complete = echoMatched == expectedEcho.count
            if complete, !echoIsLine { break }
            let byte = input[index]
            let fits = complete ? byte == FrameByte.cr || byte == FrameByte.lf : byte == expectedEcho[echoMatched]
            if complete, fits {
                completeEcho(into: &events)  // a line echo: its line end is framed as a blank line
                return index
            }
            guard fits else {
                let matched = Array(expectedEcho[0..<echoMatched])
                expectedEcho.removeAll()
                echoIsLine = false
                echoRepeats = false
                echoMatched = 0
                mode = .lineStart
                let wasReplaying = replaying
                replaying = true  // lines framed from `matched` must not be referred to where they lie
                matched.withUnsafeBufferPointer { process($0, into: &events) }
                replaying = wasReplaying
                return index  // the mismatching byte is framed from the resulting state
            }
            echoMatched += 1
            index += 1
        }
        if echoMatched == expectedEcho.count, !echoIsLine { completeEcho(into: &events) }
        return index
    }

    /// Emits a fully matched echo and returns to a line start.
    private mutating func completeEcho<Sink: FrameSink>(into events: inout Sink) {
        events.frame(.echo(expectedEcho))
        afterCR = !echoIsLine && expectedEcho.last == FrameByte.cr  // an echoed command line's CR may be followed by LF
        let repeated = echoRepeats && !echoIsLine ? expectedEcho : nil
        expectedEcho.removeAll()
        echoIsLine = false
        echoRepeats = false
        echoMatched = 0
        mode = .lineStart
        if let repeated { expectLineEcho(repeated) }  // some firmware repeats it on a line of its own
        startPendingData()
    }

    /// Reports the finished line in `buffer`, with any length problem first, and starts what follows it.
    mutating func endLine<Sink: FrameSink>(terminator: UInt8, into events: inout Sink) {
        if case .unclassified(let boundary) = lineClass, buffer.count == rules.lengths[boundary] {
            lineClass = buffer.withUnsafeBufferPointer { rules.classify($0, boundary: boundary) }  // the line is exactly a prefix
        }
        let declaredData = buffer.withUnsafeBufferPointer { report($0, inInput: false, into: &events) }
        buffer.removeAll(keepingCapacity: true)
        finishLine(terminator: terminator, declaredData: declaredData)
    }

    /// Reports a finished line, with any length problem first; returns the length of the data
    /// block it declares, if its rule declares one and the length is sound.
    private func report<Sink: FrameSink>(_ line: UnsafeBufferPointer<UInt8>, inInput: Bool, into events: inout Sink) -> Int? {
        var issue = lineIssue
        var declaredData: Int? = nil
        switch lineClass {
        case .following(let rule):
            let declared = DeclaredLength(
                line: line, prefixLength: rules.prefixLengths[rule], index: rules.lengthFields[rule], limit: maxDataLength)
            if case .accepted(let length) = declared {
                declaredData = length
            } else if declared != .malformed || !rules.optionalLengths[rule] {
                issue = declared
            }
        case .inline(let rule, .fields(let field, _, let fieldStart)):
            // The line ended before the content: the length field must still be sound.
            let declared =
                field == rules.lengthFields[rule]
                ? DeclaredLength(field: line[fieldStart...], limit: maxDataLength) : .malformed
            if case .accepted = declared {} else if declared != .malformed || !rules.optionalLengths[rule] { issue = declared }
        default:
            break
        }
        if let error = issue?.error(line: line, limit: maxDataLength) {
            events.frame(.error(error))
        }
        events.line(line, inInput: inInput)
        return declaredData
    }

    /// Leaves a line (emitted or discarded): ends the prompt expectation and starts any data.
    private mutating func finishLine(terminator: UInt8, declaredData: Int?) {
        mode = .lineStart
        afterCR = terminator == FrameByte.cr
        lineIssue = nil
        lineClass = rules.initial
        lineLimit = maxLineLength
        if promptSurvivesCurrentLine {
            promptSurvivesCurrentLine = false
        } else {
            promptExpected = false
            promptDataLength = nil
            if echoAwaitsPrompt {
                // No prompt, so the host's data was not taken and will not be echoed.
                echoAwaitsPrompt = false
                expectedEcho.removeAll()
            }
        }
        if let declaredData {
            startData(declaredData)
        } else {
            startPendingData()
        }
    }

    /// Switches to discarding an overlong line of which `alreadySeen` bytes have arrived.
    private mutating func startDiscarding(alreadySeen: Int) {
        discarded = alreadySeen
        buffer.removeAll(keepingCapacity: true)
        lineIssue = nil
        lineClass = .plain
        mode = .discarding
    }

    /// Starts a data block of `count` bytes; an empty or oversized one is settled by `process`.
    mutating func startData(_ count: Int) {
        mode = .data
        dataRemaining = count
        afterPrompt = false
    }

    /// Collects data up to its terminator (not kept) or its cancel byte, bounded by `maxDataLength`.
    private mutating func scanTerminated<Sink: FrameSink>(
        _ input: UnsafeBufferPointer<UInt8>, from start: Int, into events: inout Sink
    ) -> Int {
        var index = start
        while index < input.count {
            let byte = input[index]
            if byte == dataTerminator || byte == dataCancel {
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: input[start..<index]))
                let block = buffer
                buffer.removeAll(keepingCapacity: true)
                mode = .lineStart
                events.frame(byte == dataTerminator ? .data(block) : .error(.cancelledData(received: block)))
                startPendingData()
                return index + 1
            }
            if buffer.count + (index - start) >= maxDataLength {
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: input[start..<index]))
                let block = buffer
                buffer.removeAll(keepingCapacity: true)
                events.frame(.error(.unterminatedData(received: block)))
                startDiscarding(alreadySeen: 0)
                return index
            }
            index += 1
        }
        buffer.append(contentsOf: UnsafeBufferPointer(rebasing: input[start..<index]))
        return index
    }

    /// Starts the next block announced by `expectData(count:)`, if any.
    private mutating func startPendingData() {
        if !pendingData.isEmpty { startData(pendingData.removeFirst()) }
    }
}
