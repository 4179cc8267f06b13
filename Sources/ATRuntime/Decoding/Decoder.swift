// Decoder.swift: the sans-I/O decoder: bytes in, typed-by-spec events out, knowing which command is in flight.

/// Turns modem output into ``DecodedEvent``s using a module's ``ModuleDescriptor``.
///
/// No I/O and no clocks: feed it bytes in chunks of any size. It tracks the
/// command in flight (told by ``begin(_:)``, or seen as the echo of a command
/// line), so a line is attributed to that command when it matches one of the
/// command's responses or its deferred result, and is a URC otherwise. A
/// deferred result is still attributed after the final result, until the next
/// command. Multi-part URCs are assembled with their raw data.
///
/// A line is tried, in order, against: the prefixed deferred result and information lines
/// of the command in flight; the final results; the URCs; the command's information lines
/// without a prefix (`<sn>`), so that `OK`, `+CME ERROR: 10` or a URC is never taken for an
/// IMEI; the data after a prompt; and the prefixed answers of every other command, which
/// are reported ``DecodedEvent/uncorrelated(command:form:deferred:line:fields:)``.
/// Call ``finish()`` at the end of the input to flush what is held.
public struct ATDecoder: Sendable {
    /// The module's routing data.
    public let module: ModuleDescriptor
    /// The module's lines, compiled once.
    private let routes: Routes
    private var framer: Framer
    private var inFlight: InFlight?
    private var finalSeen = false
    private var deferredSeen = false
    private var afterPrompt = false
    private var promptSeen = false
    /// The host began the command in flight and its echo has not come back yet.
    private var echoPending = false
    /// The host tells the decoder what it sends (``begin(_:)``): a command line that is not
    /// the echo of the command in flight is not taken for a new command.
    private var hostDriven = false
    /// The bytes that go over the line after the in-flight command's prompt, when known.
    private var promptLength: Int?
    /// The prompt came with a declared length: the next data block is the host's data.
    private var awaitingPromptData = false
    /// The data after the prompt came; the modem may repeat it on a line of its own.
    private var awaitingDataEcho = false
    private var assembly: Assembly?
    private let maxDataLength: Int
    /// The framer's output for one stretch of input, reused so framing a line allocates nothing.
    private var batch = FrameBatch()
    /// The matcher's working space, reused so a line that does not match allocates nothing.
    private var scratch = MatchScratch()
    /// How many events the last feed returned, to size the next feed's array.
    private var lastEventCount = 0

    /// The command in flight and its compiled lines.
    private struct InFlight: Sendable {
        var form: FormDescriptor
        var compiled: CompiledForm
    }

    private struct Assembly: Sendable {
        /// The URC's index in `module.urcs`.
        var urc: Int
        /// The URC's name.
        var name: String
        var fields: [CapturedField]
        var data: [String: [UInt8]]
        var lines: [String]
        /// The `into` name of the part whose data comes next.
        var pendingInto: String?
        /// The bytes of data collected so far, over all parts.
        var dataCount = 0
    }

    /// Creates a decoder; `maxLineLength` and `maxDataLength` bound its memory.
    ///
    /// `maxDataLength` also bounds the data of all the parts of one multi-part URC together.
    public init(module: ModuleDescriptor, maxLineLength: Int = 4096, maxDataLength: Int = 65536) {
        self.module = module
        self.maxDataLength = max(0, maxDataLength)
        routes = Routes(module)
        framer = Framer(configuration: FramerConfiguration(maxLineLength: maxLineLength, maxDataLength: maxDataLength, dataRules: Self.dataRules(module)))
    }

    /// The framer rules a module needs: raw data after length-declaring URC parts,
    /// and quoted strings whose length a preceding field declares.
    ///
    /// A length is optional for its rule when it sits in an optional group, or when another
    /// line of the same prefix declares no length (`+QMTRECV:` with and without one).
    public static func dataRules(_ module: ModuleDescriptor) -> [DataRule] {
        var rules: [DataRule] = []
        var lines = module.urcs.compactMap(\.line) + module.finals.map(\.line)
        for form in module.forms { lines += form.responses + form.deferredShapes }
        var plain = Set(lines.filter { $0.lengthFields.isEmpty }.map(\.syntax.prefix))
        for urc in module.urcs { plain.formUnion(urc.parts.filter { $0.dataLengthField == nil && $0.line.lengthFields.isEmpty }.map(\.line.syntax.prefix)) }
        for urc in module.urcs {
            for part in urc.parts {
                if let field = part.dataLengthField, let index = fieldIndex(of: field, in: part.line.syntax) {
                    rules.append(.followingLine(
                        prefix: Array(part.line.syntax.prefix.utf8), lengthField: index,
                        lengthIsOptional: isOptional(field, in: part.line.syntax) || plain.contains(part.line.syntax.prefix)))
                }
            }
        }
        for line in lines {
            for (_, lengthField) in line.lengthFields {
                if let index = fieldIndex(of: lengthField, in: line.syntax), !line.syntax.prefix.isEmpty {
                    let rule = DataRule.inlineQuoted(
                        prefix: Array(line.syntax.prefix.utf8), lengthField: index,
                        lengthIsOptional: isOptional(lengthField, in: line.syntax) || plain.contains(line.syntax.prefix))
                    if !rules.contains(rule) { rules.append(rule) }
                }
            }
        }
        return rules
    }

    /// True when a parameter of the syntax lies inside an optional group.
    static func isOptional(_ name: String, in syntax: Syntax) -> Bool {
        func walk(_ tokens: [SyntaxToken], inside: Bool) -> Bool? {
            for token in tokens {
                switch token {
                case .parameter(let parameter) where parameter == name: return inside
                case .optional(let inner): if let found = walk(inner, inside: true) { return found }
                default: break
                }
            }
            return nil
        }
        return walk(syntax.tokens, inside: false) ?? false
    }

    /// The 0-based comma-separated position of a parameter in a syntax (optional groups flattened).
    static func fieldIndex(of name: String, in syntax: Syntax) -> Int? {
        var index = 0
        var found: Int?
        func walk(_ tokens: [SyntaxToken]) {
            for token in tokens where found == nil {
                switch token {
                case .comma: index += 1
                case .parameter(let parameter) where parameter == name: found = index
                case .optional(let inner): walk(inner)
                default: break
                }
            }
        }
        walk(syntax.tokens)
        return found
    }

    /// The host is sending `form`: lines that answer it are attributed to it from now on.
    ///
    /// The modem's echo of the command line (a line starting with the form's prefix, such
    /// as `AT+CMQTTSTART`, before any other answer) is reported as a
    /// ``DecodedEvent/command(command:form:line:fields:)`` of this form, even when another
    /// form's syntax would match it too. From the first call on, the decoder is driven by
    /// the host: any other command line is ``DecodedEvent/unrecognized(_:)``, not a new
    /// command in flight.
    public mutating func begin(_ form: FormDescriptor) {
        start(form, compiled(form), promptLength: nil)
        echoPending = true
        hostDriven = true
    }

    /// The host gave up on the command in flight (timed out, cancelled): what
    /// comes after is not attributed to it, and a prompt or echo it expected is forgotten.
    public mutating func abandon() {
        inFlight = nil
        echoPending = false
        afterPrompt = false
        promptLength = nil
        awaitingPromptData = false
        awaitingDataEcho = false
        framer.dropExpectations()
    }

    /// The compiled lines of `form`: the module's own when it is one of the module's forms.
    private func compiled(_ form: FormDescriptor) -> CompiledForm {
        for index in module.forms.indices {
            let candidate = module.forms[index]
            if candidate.command == form.command, candidate.name == form.name, candidate == form { return routes.forms[index] }
        }
        return CompiledForm(form)
    }

    private mutating func start(_ form: FormDescriptor, _ compiled: CompiledForm, promptLength: Int?) {
        inFlight = InFlight(form: form, compiled: compiled)
        echoPending = false
        finalSeen = false
        deferredSeen = false
        afterPrompt = false
        promptSeen = false
        awaitingPromptData = false
        awaitingDataEcho = false
        self.promptLength = promptLength
        if form.hasPrompt { expectPrompt() }
    }

    /// The host sent `bytes` after a prompt; if the modem echoes them they come back as one ``DecodedEvent/data(_:)``.
    public mutating func sent(_ bytes: [UInt8]) {
        awaitingPromptData = false
        framer.expectEcho(bytes, mayRepeat: true)
    }

    /// The command in flight, if any.
    public var commandInFlight: FormDescriptor? { inFlight?.form }

    /// Bytes buffered inside the framer and in a multi-part URC being assembled.
    public var bufferedByteCount: Int { framer.bufferedByteCount + (assembly?.dataCount ?? 0) }

    /// True when no command is in flight and nothing is held or expected: the next line is
    /// read as from a new decoder, against the final results and the URCs only.
    @usableFromInline var isIdle: Bool {
        inFlight == nil && assembly == nil && !afterPrompt && !awaitingPromptData && !awaitingDataEcho && !echoPending && framer.isIdle
    }

    /// The maximum line and data lengths this decoder was made with.
    var limits: (line: Int, data: Int) { (framer.maxLineLength, maxDataLength) }

    /// Decodes `input` (a stretch up to a line end, or the end of the input), appending to `events`.
    @usableFromInline mutating func feed(_ input: UnsafeBufferPointer<UInt8>, into events: inout [DecodedEvent]) {
        decode(input, into: &events)
    }

    /// Decodes the next chunk of modem output.
    ///
    /// The framer is fed up to each line end at a time, so that what a line
    /// means (an echoed command that prompts, say) is known before the bytes
    /// after it are framed: the events do not depend on how the input is chunked.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [DecodedEvent] {
        var events: [DecodedEvent] = []
        events.reserveCapacity(min(lastEventCount, 1024))
        let handled: Void? = bytes.withContiguousStorageIfAvailable { decode($0, into: &events) }
        if handled == nil {
            Array(bytes).withUnsafeBufferPointer { decode($0, into: &events) }
        }
        lastEventCount = events.count
        return events
    }

    /// The input has ended: reports what is held. A line without its terminator is decoded
    /// as a line; a data block cut short is an error with its bytes; a multi-part URC
    /// without its end is a ``DecodedEvent/brokenURC(_:)`` with all it collected.
    /// Decoding may go on afterwards, from a line start.
    public mutating func finish() -> [DecodedEvent] {
        var events: [DecodedEvent] = []
        framer.finish(into: &batch)
        if batch.count > 0 { handleBatch(into: &events) }
        if let current = assembly {
            assembly = nil
            events.append(.brokenURC(broken(current, .endOfInput)))
        }
        if inFlight?.form.hasPrompt == true, !promptSeen, !finalSeen {
            expectPrompt()  // the framer started afresh
        }
        return events
    }

    private mutating func decode(_ input: UnsafeBufferPointer<UInt8>, into events: inout [DecodedEvent]) {
        let count = input.count
        var start = 0
        while start < count {
            var end = LineEnds.first(in: input, from: start, to: count)
            if end < count {
                // The line end belongs to this stretch, and so does an LF after a CR: whatever the
                // decoder does about the line, the framer takes that LF as part of the line end.
                end += input[end] == FrameByte.cr && end + 1 < count && input[end + 1] == FrameByte.lf ? 2 : 1
            }
            framer.feed(UnsafeBufferPointer(rebasing: input[start..<end]), into: &batch)
            if batch.count > 0 { handleBatch(into: &events) }
            start = end
        }
    }

    /// Handles what the framer made of the last stretch of input, in order.
    private mutating func handleBatch(into events: inout [DecodedEvent]) {
        var batch = FrameBatch()
        swap(&batch, &self.batch)
        for index in 0..<batch.count {
            switch batch.items[index] {
            case .inputLine(let bytes):
                line(bytes, into: &events)
            case .storedLine(let range):
                batch.arena.withUnsafeBufferPointer { line(UnsafeBufferPointer(rebasing: $0[range]), into: &events) }
            case .event(let frame):
                handle(frame, into: &events)
            case .none:
                break
            }
        }
        batch.removeAll()
        swap(&batch, &self.batch)
    }

    private mutating func handle(_ frame: FrameEvent, into events: inout [DecodedEvent]) {
        switch frame {
        case .line(let bytes):
            bytes.withUnsafeBufferPointer { line($0, into: &events) }
        case .prompt:
            afterPrompt = true
            promptSeen = true
            awaitingPromptData = promptLength != nil || inFlight?.compiled.promptTerminator != nil
            awaitingDataEcho = false
            events.append(.prompt)
        case .echo(let bytes):
            afterPrompt = false
            if awaitingDataEcho {
                awaitingDataEcho = false
                let readsAsFinal = bytes.withUnsafeBufferPointer { data in routes.finals.contains { $0.matches(data, scratch: &scratch) } }
                if readsAsFinal {
                    // Data that reads as `OK` is taken for the result, not for its second copy.
                    bytes.withUnsafeBufferPointer { line($0, into: &events) }
                } else {
                    events.append(.dataEcho(bytes))
                }
            } else {
                promptDataArrived(bytes, into: &events)
            }
        case .data(let bytes):
            if let into = assembly?.pendingInto, let collected = assembly?.dataCount {
                if collected + bytes.count > maxDataLength {
                    // Repeated parts must not grow one URC without bound.
                    if let current = assembly {
                        assembly = nil
                        events.append(.brokenURC(broken(current, .tooLarge(limit: maxDataLength))))
                    }
                    return
                }
                // In place (no copy of the assembly is held): appended, never copied whole.
                assembly?.data[into, default: []].append(contentsOf: bytes)
                assembly?.dataCount += bytes.count
                assembly?.pendingInto = nil
            } else if awaitingPromptData {
                awaitingPromptData = false
                afterPrompt = false
                promptDataArrived(bytes, into: &events)
            } else {
                events.append(.data(bytes))
            }
        case .error(.truncatedData(let received, _)) where assembly?.pendingInto != nil:
            // The input ended inside a part's data: kept with the URC, reported by `finish`.
            if let into = assembly?.pendingInto, (assembly?.dataCount ?? 0) + received.count <= maxDataLength {
                assembly?.data[into, default: []].append(contentsOf: received)
                assembly?.dataCount += received.count
            }
            assembly?.pendingInto = nil
        case .error(let error):
            events.append(.error(error))
        }
    }

    /// The data the host sent after the prompt came (echoed, or shown by a transcript); some
    /// firmware repeats it on a line of its own. For an echo or a block the framer expects that
    /// copy itself, from the byte where the data ended; for data shown as a line, from here.
    private mutating func promptDataArrived(_ bytes: [UInt8], asLine: Bool = false, into events: inout [DecodedEvent]) {
        events.append(.data(bytes))
        if asLine { framer.expectLineEcho(bytes) }
        awaitingDataEcho = true
    }

    private func broken(_ assembly: Assembly, _ reason: BrokenURC.Reason) -> BrokenURC {
        BrokenURC(name: assembly.name, fields: assembly.fields, data: assembly.data, lines: assembly.lines, reason: reason)
    }

    /// A line's text, made only for the event that reports it.
    private static func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    private mutating func line(_ bytes: UnsafeBufferPointer<UInt8>, into events: inout [DecodedEvent]) {
        awaitingDataEcho = false
        if assembly != nil, continueAssembly(bytes, into: &events) { return }
        if bytes.count >= 2, bytes[0] | 0x20 == UInt8(ascii: "a"), bytes[1] | 0x20 == UInt8(ascii: "t") {
            commandLine(bytes, into: &events)
            return
        }
        if inFlightAnswer(bytes, unprefixed: false, into: &events) { return }
        // Only the lines whose prefix allows this first byte can match; they are tried in the module's order.
        let first = Int(bytes.first ?? 0)
        for index in routes.finalsByByte[first] {
            let final = routes.finals[index]
            guard let fields = final.match(bytes, scratch: &scratch) else { continue }
            afterPrompt = false
            events.append(.final(name: routes.finalNames[index], isSuccess: module.finals[index].isSuccess, line: final.shownText(bytes, scratch: scratch), fields: fields))
            if let current = inFlight, !finalSeen {
                finalSeen = true
                // A deferred result may still follow (after OK, and after ERROR on some firmware).
                let waits = current.form.deferred != nil && !deferredSeen && current.form.deferredPlacement != .before
                if !waits { inFlight = nil }
            }
            return
        }
        for index in routes.urcsByByte[first] {
            if let matcher = routes.urcLines[index], let fields = matcher.match(bytes, scratch: &scratch) {
                events.append(.urc(URCMatch(name: routes.urcNames[index], fields: fields), lines: [matcher.shownText(bytes, scratch: scratch)]))
                rearmPrompt()
                return
            }
            if !routes.urcParts[index].isEmpty, let fields = routes.urcParts[index][0].match(bytes, scratch: &scratch) {
                let parts = routes.partDataInto[index].count
                var lines: [String] = []
                lines.reserveCapacity(parts)
                lines.append(routes.urcParts[index][0].shownText(bytes, scratch: scratch))
                var data: [String: [UInt8]] = [:]
                if routes.urcDataCount[index] > 0 { data.reserveCapacity(routes.urcDataCount[index]) }
                assembly = Assembly(urc: index, name: routes.urcNames[index], fields: fields, data: data, lines: lines, pendingInto: routes.partDataInto[index][0])
                if parts == 1 { finishAssembly(into: &events) }
                return
            }
        }
        // Lines without a prefix (`<sn>`) come after every final result and URC.
        if inFlightAnswer(bytes, unprefixed: true, into: &events) { return }
        if afterPrompt {
            // A transcript shows the host's data right after the prompt.
            afterPrompt = false
            promptDataArrived(Array(bytes), asLine: true, into: &events)
            return
        }
        for index in routes.answersByByte[first] {
            let answer = routes.answers[index]
            guard let fields = answer.matcher.match(bytes, scratch: &scratch) else { continue }
            let form = module.forms[answer.form]
            events.append(.uncorrelated(command: form.command, form: form.name, deferred: answer.deferred, line: ATLine(bytes: answer.matcher.shownBytes(bytes, scratch: scratch)), fields: fields))
            return
        }
        events.append(.unrecognized(ATLine(bytes: routes.shownBytes(bytes))))
    }

    /// Types the line as the deferred result or an information line of the command in flight,
    /// among its lines with a prefix or among those without one; false when none matches.
    private mutating func inFlightAnswer(_ bytes: UnsafeBufferPointer<UInt8>, unprefixed: Bool, into events: inout [DecodedEvent]) -> Bool {
        guard let current = inFlight else { return false }
        if !deferredSeen {
            for (shape, deferred) in current.compiled.deferreds.enumerated() where deferred.isUnprefixed == unprefixed {
                guard let fields = deferred.match(bytes, scratch: &scratch) else { continue }
                deferredResult(current, deferred, shape: shape, bytes, fields, into: &events)
                return true
            }
        }
        guard !finalSeen else { return false }
        for index in unprefixed ? current.compiled.unprefixedResponses : current.compiled.prefixedResponses {
            let response = current.compiled.responses[index]
            if let fields = response.match(bytes, scratch: &scratch) {
                afterPrompt = false
                let line = response.shownText(bytes, scratch: scratch)
                events.append(.response(command: current.form.command, form: current.form.name, index: index, line: line, fields: fields))
                return true
            }
        }
        return false
    }

    private mutating func deferredResult(
        _ current: InFlight, _ deferred: LineMatcher, shape: Int, _ bytes: UnsafeBufferPointer<UInt8>, _ fields: [CapturedField], into events: inout [DecodedEvent]
    ) {
        deferredSeen = true
        events.append(.deferred(command: current.form.command, form: current.form.name, shape: shape, line: deferred.shownText(bytes, scratch: scratch), fields: fields))
        if finalSeen { inFlight = nil }
    }

    /// A line starting with `AT`: the echo of the command in flight, or a command line of a transcript.
    private mutating func commandLine(_ bytes: UnsafeBufferPointer<UInt8>, into events: inout [DecodedEvent]) {
        if hostDriven {
            // The host says what is in flight: a command line is its echo or nothing of ours.
            guard echoPending, let current = inFlight, current.compiled.line.prefixMatches(bytes) else {
                events.append(.unrecognized(ATLine(bytes: routes.shownBytes(bytes))))
                return
            }
        }
        if echoPending, let current = inFlight {
            // The echo of the command the host sent: it stays in flight.
            echoPending = false
            var matcher = current.compiled.line
            var fields = matcher.match(bytes, scratch: &scratch)
            if fields == nil {
                matcher = current.compiled.lenientLine
                fields = matcher.match(bytes, scratch: &scratch)
            }
            let shown = fields == nil ? String(decoding: routes.shownBytes(bytes), as: UTF8.self) : matcher.shownText(bytes, scratch: scratch)
            if let fields { promptLength = current.compiled.promptDataLength(fields) }
            if current.form.hasPrompt, !promptSeen { expectPrompt() }
            events.append(.command(command: current.form.command, form: current.form.name, line: shown, fields: fields ?? []))
            return
        }
        if let (index, fields, matcher) = routes.form(matching: bytes, scratch: &scratch) {
            let form = module.forms[index]
            let compiled = routes.forms[index]
            let shown = matcher.shownText(bytes, scratch: scratch)
            start(form, compiled, promptLength: compiled.promptDataLength(fields))
            events.append(.command(command: form.command, form: form.name, line: shown, fields: fields))
        } else {
            inFlight = nil
            events.append(.unrecognized(ATLine(bytes: routes.shownBytes(bytes))))
        }
    }

    /// Tells the framer the in-flight command's prompt is expected, with the length or terminator of its data.
    private mutating func expectPrompt() {
        let compiled = inFlight?.compiled
        framer.expectPrompt(dataLength: promptLength, dataMayRepeat: true, terminator: compiled?.promptTerminator, cancel: compiled?.promptCancel)
    }

    /// A URC can come between a command's echo and its prompt; the prompt is still expected after it.
    private mutating func rearmPrompt() {
        if let form = inFlight?.form, form.hasPrompt, !promptSeen, !finalSeen { expectPrompt() }
    }

    /// Consumes the line as the next part of the URC being assembled; false when it is not one.
    private mutating func continueAssembly(_ bytes: UnsafeBufferPointer<UInt8>, into events: inout [DecodedEvent]) -> Bool {
        guard let urc = assembly?.urc else { return false }
        for index in routes.urcParts[urc].indices where index > 0 {
            let part = routes.urcParts[urc][index]
            guard part.matches(bytes, scratch: &scratch) else { continue }
            assembly?.lines.append(part.shownText(bytes, scratch: scratch))
            assembly?.pendingInto = routes.partDataInto[urc][index]
            if routes.partEnds[urc][index] { finishAssembly(into: &events) }
            return true
        }
        // Something else arrived: the URC is incomplete; report what came and go on.
        if let current = assembly {
            assembly = nil
            events.append(.brokenURC(broken(current, .interrupted)))
        }
        return false
    }

    private mutating func finishAssembly(into events: inout [DecodedEvent]) {
        guard let current = assembly else { return }
        assembly = nil
        for (into, totalField) in routes.urcTotals[current.urc] {
            guard let declared = current.fields.first(where: { $0.name == totalField }).flatMap({ Int($0.text) }) else { continue }
            let received = current.data[into]?.count ?? 0
            if received != declared {
                events.append(.brokenURC(broken(current, .lengthMismatch(data: into, declared: declared, received: received))))
                rearmPrompt()
                return
            }
        }
        events.append(.urc(URCMatch(name: current.name, fields: current.fields, data: current.data), lines: current.lines))
        rearmPrompt()
    }
}
