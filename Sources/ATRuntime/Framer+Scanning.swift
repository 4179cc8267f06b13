// Framer+Scanning.swift: the byte loop: every byte is looked at once, and lines are copied in spans.

extension Framer {
    /// Runs the state machine over `input`.
    mutating func process(_ input: UnsafeBufferPointer<UInt8>, into events: inout [FrameEvent]) {
        var index = 0
        let count = input.count
        while true {
            // A block that needs no bytes is settled before the next byte (or at once).
            if case .data = mode, dataRemaining == 0 || dataRemaining > maxDataLength {
                if dataRemaining == 0 {
                    events.append(.data([]))
                } else {
                    events.append(.error(.declaredLengthTooLarge(declared: dataRemaining, limit: maxDataLength)))
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
            }
        }
    }

    /// Handles one byte between lines: a terminator's LF, a prompt's space, a prompt, the
    /// start of an echo, a blank line, or the first byte of a line.
    private mutating func scanLineStart(
        _ input: UnsafeBufferPointer<UInt8>, from index: Int, into events: inout [FrameEvent]
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
        if promptExpected, byte == FrameByte.greaterThan {
            promptExpected = false
            promptSurvivesCurrentLine = false
            echoAwaitsPrompt = false
            afterPrompt = true
            events.append(.prompt)
            return index + 1
        }
        if !expectedEcho.isEmpty, !echoAwaitsPrompt {
            if byte == expectedEcho[0] {
                echoMatched = 1
                mode = .echo
                if expectedEcho.count == 1 { completeEcho(into: &events) }
                return index + 1
            }
            expectedEcho.removeAll()
        }
        if byte == FrameByte.cr || byte == FrameByte.lf {
            afterCR = byte == FrameByte.cr  // a blank line: dropped
            return index + 1
        }
        mode = .line
        lineClass = rules.initial
        lineLimit = maxLineLength
        lineIssue = nil
        return scanLine(input, from: index, into: &events)
    }

    /// Collects line bytes up to a terminator, a rule boundary, the line limit or the chunk end.
    private mutating func scanLine(
        _ input: UnsafeBufferPointer<UInt8>, from start: Int, into events: inout [FrameEvent]
    ) -> Int {
        var index = start
        let count = input.count
        while index < count {
            if case .unclassified(let boundary) = lineClass, buffer.count == rules.lengths[boundary] {
                lineClass = rules.classify(buffer, boundary: boundary)
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
            var cursor = index
            while cursor < end {
                let byte = input[cursor]
                if byte == FrameByte.cr || byte == FrameByte.lf { break }
                cursor += 1
            }
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
    private mutating func scanInline(
        _ input: UnsafeBufferPointer<UInt8>, from start: Int, into events: inout [FrameEvent]
    ) -> Int {
        var index = start
        let count = input.count
        while index < count, case .inline(let rule, let phase) = lineClass {
            if case .raw(let remaining) = phase {
                let take = min(remaining, count - index)
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: input[index..<(index + take)]))
                index += take
                lineClass = take == remaining ? .plain : .inline(rule: rule, phase: .raw(remaining: remaining - take))
                continue
            }
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
            switch phase {
            case .fields(var field, var inQuotes, var fieldStart):
                if inQuotes {
                    inQuotes = byte != FrameByte.quote
                } else if byte == FrameByte.quote {
                    inQuotes = true
                } else if byte == FrameByte.comma {
                    if field == rules.rules[rule].lengthField {
                        let declared = DeclaredLength(field: buffer[fieldStart..<(buffer.count - 1)], limit: maxDataLength)
                        if case .accepted(let length) = declared {
                            lineClass = .inline(rule: rule, phase: .awaitingQuote(count: length))
                        } else {
                            lineIssue = declared
                            lineClass = .plain
                        }
                        continue
                    }
                    field += 1
                    fieldStart = buffer.count
                }
                lineClass = .inline(rule: rule, phase: .fields(index: field, inQuotes: inQuotes, fieldStart: fieldStart))
            case .awaitingQuote(let length):
                if byte == FrameByte.space { continue }
                if byte == FrameByte.quote, length > 0 {
                    lineLimit = maxLineLength + length  // the content does not count against the line
                    lineClass = .inline(rule: rule, phase: .raw(remaining: length))
                } else {
                    lineClass = .plain  // empty content, or not quoted: the rest is ordinary
                }
            case .raw:
                break  // handled above
            }
        }
        return index
    }

    /// Drops an overlong line's bytes up to its terminator, counting them.
    private mutating func scanDiscarded(
        _ input: UnsafeBufferPointer<UInt8>, from start: Int, into events: inout [FrameEvent]
    ) -> Int {
        var cursor = start
        let count = input.count
        while cursor < count {
            let byte = input[cursor]
            if byte == FrameByte.cr || byte == FrameByte.lf { break }
            cursor += 1
        }
        discarded += cursor - start
        guard cursor < count else { return cursor }
        events.append(.error(.lineTooLong(discarded: discarded)))
        discarded = 0
        finishLine(terminator: input[cursor], declaredData: nil)
        return cursor + 1
    }

    /// Collects data block bytes; a block inside one chunk is copied straight into its event.
    private mutating func scanData(
        _ input: UnsafeBufferPointer<UInt8>, from start: Int, into events: inout [FrameEvent]
    ) -> Int {
        if afterCR {
            afterCR = false
            if input[start] == FrameByte.lf { return start + 1 }
        }
        let take = min(dataRemaining, input.count - start)
        let bytes = UnsafeBufferPointer(rebasing: input[start..<(start + take)])
        if buffer.isEmpty, take == dataRemaining {
            events.append(.data(Array(bytes)))
        } else {
            buffer.append(contentsOf: bytes)
            if take == dataRemaining {
                events.append(.data(Array(buffer)))
                buffer.removeAll(keepingCapacity: true)
            }
        }
        dataRemaining -= take
        if dataRemaining == 0 {
            mode = .lineStart
            startPendingData()
        }
        return start + take
    }

    /// Matches bytes against the expected echo; on a mismatch, frames what matched as ordinary bytes.
    private mutating func scanEcho(
        _ input: UnsafeBufferPointer<UInt8>, from start: Int, into events: inout [FrameEvent]
    ) -> Int {
        var index = start
        let count = input.count
        while index < count, echoMatched < expectedEcho.count {
            guard input[index] == expectedEcho[echoMatched] else {
                let matched = Array(expectedEcho[0..<echoMatched])
                expectedEcho.removeAll()
                echoMatched = 0
                mode = .lineStart
                matched.withUnsafeBufferPointer { process($0, into: &events) }
                return index  // the mismatching byte is framed from the resulting state
            }
            echoMatched += 1
            index += 1
        }
        if echoMatched == expectedEcho.count { completeEcho(into: &events) }
        return index
    }

    /// Emits a fully matched echo and returns to a line start.
    private mutating func completeEcho(into events: inout [FrameEvent]) {
        events.append(.echo(expectedEcho))
        afterCR = expectedEcho.last == FrameByte.cr  // an echoed command line's CR may be followed by LF
        expectedEcho.removeAll()
        echoMatched = 0
        mode = .lineStart
        startPendingData()
    }

    /// Reports the finished line, with any length problem first, and starts what follows it.
    private mutating func endLine(terminator: UInt8, into events: inout [FrameEvent]) {
        if case .unclassified(let boundary) = lineClass, buffer.count == rules.lengths[boundary] {
            lineClass = rules.classify(buffer, boundary: boundary)  // the line is exactly a prefix
        }
        var declaredData: Int? = nil
        switch lineClass {
        case .following(let rule):
            let declared = DeclaredLength(
                line: buffer, prefixLength: rules.rules[rule].prefix.count,
                index: rules.rules[rule].lengthField, limit: maxDataLength)
            if case .accepted(let length) = declared { declaredData = length } else { lineIssue = declared }
        case .inline(let rule, .fields(let field, _, let fieldStart)):
            // The line ended before the content: the length field must still be sound.
            let declared =
                field == rules.rules[rule].lengthField
                ? DeclaredLength(field: buffer[fieldStart...], limit: maxDataLength) : .malformed
            if case .accepted = declared {} else { lineIssue = declared }
        default:
            break
        }
        if let error = lineIssue?.error(line: buffer, limit: maxDataLength) {
            events.append(.error(error))
        }
        events.append(.line(Array(buffer)))
        buffer.removeAll(keepingCapacity: true)
        finishLine(terminator: terminator, declaredData: declaredData)
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

    /// Starts the next block announced by `expectData(count:)`, if any.
    private mutating func startPendingData() {
        if !pendingData.isEmpty { startData(pendingData.removeFirst()) }
    }
}
