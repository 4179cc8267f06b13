// Decoder.swift: the sans-I/O decoder: bytes in, typed-by-spec events out, knowing which command is in flight.

/// Turns modem output into ``DecodedEvent``s using a module's ``ModuleDescriptor``.
///
/// No I/O and no clocks: feed it bytes in chunks of any size. It tracks the
/// command in flight (told by ``begin(_:)``, or seen as the echo of a command
/// line), so a line is attributed to that command when it matches one of the
/// command's responses or its deferred result, and is a URC otherwise. A
/// deferred result is still attributed after the final result, until the next
/// command. Multi-part URCs are assembled with their raw data.
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
    public static func dataRules(_ module: ModuleDescriptor) -> [DataRule] {
        var rules: [DataRule] = []
        for urc in module.urcs {
            for part in urc.parts {
                if let field = part.dataLengthField, let index = fieldIndex(of: field, in: part.line.syntax) {
                    rules.append(.followingLine(prefix: Array(part.line.syntax.prefix.utf8), lengthField: index))
                }
            }
        }
        var lines = module.urcs.compactMap(\.line) + module.finals.map(\.line)
        for form in module.forms { lines += form.responses + (form.deferred.map { [$0] } ?? []) }
        for line in lines {
            for (_, lengthField) in line.lengthFields {
                if let index = fieldIndex(of: lengthField, in: line.syntax), !line.syntax.prefix.isEmpty {
                    let rule = DataRule.inlineQuoted(prefix: Array(line.syntax.prefix.utf8), lengthField: index)
                    if !rules.contains(rule) { rules.append(rule) }
                }
            }
        }
        return rules
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
    /// The modem's echo of the command line (a line starting with `AT` before any
    /// other answer) is reported as a ``DecodedEvent/command(command:form:line:fields:)``
    /// of this form, even when another form's syntax would match it too.
    public mutating func begin(_ form: FormDescriptor) {
        start(form, compiled(form))
        echoPending = true
    }

    /// The host gave up on the command in flight (timed out, cancelled): what
    /// comes after is not attributed to it, and a prompt or echo it expected is forgotten.
    public mutating func abandon() {
        inFlight = nil
        echoPending = false
        afterPrompt = false
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

    private mutating func start(_ form: FormDescriptor, _ compiled: CompiledForm) {
        inFlight = InFlight(form: form, compiled: compiled)
        echoPending = false
        finalSeen = false
        deferredSeen = false
        afterPrompt = false
        promptSeen = false
        if form.hasPrompt { framer.expectPrompt() }
    }

    /// The host sent `bytes` after a prompt; if the modem echoes them they come back as one ``DecodedEvent/data(_:)``.
    public mutating func sent(_ bytes: [UInt8]) {
        framer.expectEcho(bytes)
    }

    /// The command in flight, if any.
    public var commandInFlight: FormDescriptor? { inFlight?.form }

    /// Bytes buffered inside the framer.
    public var bufferedByteCount: Int { framer.bufferedByteCount }

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
            events.append(.prompt)
        case .echo(let bytes):
            afterPrompt = false
            events.append(.data(bytes))
        case .data(let bytes):
            if let into = assembly?.pendingInto, let collected = assembly?.dataCount, let urc = assembly?.urc {
                if collected + bytes.count > maxDataLength {
                    // Repeated parts must not grow one URC without bound.
                    let lines = assembly?.lines ?? []
                    assembly = nil
                    events.append(.error(.assembledTooLarge(urc: routes.urcNames[urc], limit: maxDataLength)))
                    for line in lines { events.append(.unrecognized(line)) }
                    return
                }
                // In place (no copy of the assembly is held): appended, never copied whole.
                assembly?.data[into, default: []].append(contentsOf: bytes)
                assembly?.dataCount += bytes.count
                assembly?.pendingInto = nil
            } else {
                events.append(.data(bytes))
            }
        case .error(let error):
            events.append(.error(error))
        }
    }

    /// A line's text, made only for the event that reports it.
    private static func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    private mutating func line(_ bytes: UnsafeBufferPointer<UInt8>, into events: inout [DecodedEvent]) {
        if assembly != nil, continueAssembly(bytes, into: &events) { return }
        if bytes.count >= 2, bytes[0] | 0x20 == UInt8(ascii: "a"), bytes[1] | 0x20 == UInt8(ascii: "t") {
            if echoPending, let current = inFlight {
                // The echo of the command the host sent: it stays in flight.
                echoPending = false
                if current.form.hasPrompt, !promptSeen { framer.expectPrompt() }
                let fields = current.compiled.line.match(bytes, scratch: &scratch) ?? []
                events.append(.command(command: current.form.command, form: current.form.name, line: Self.text(bytes), fields: fields))
                return
            }
            if let (index, fields) = routes.form(matching: bytes, scratch: &scratch) {
                let form = module.forms[index]
                start(form, routes.forms[index])
                events.append(.command(command: form.command, form: form.name, line: Self.text(bytes), fields: fields))
            } else {
                inFlight = nil
                events.append(.unrecognized(Self.text(bytes)))
            }
            return
        }
        if let current = inFlight {
            if let deferred = current.compiled.deferred, !deferredSeen, let fields = deferred.match(bytes, scratch: &scratch) {
                deferredSeen = true
                events.append(.deferred(command: current.form.command, form: current.form.name, line: Self.text(bytes), fields: fields))
                if finalSeen { inFlight = nil }
                return
            }
            if !finalSeen {
                for (index, response) in current.compiled.responses.enumerated() {
                    if let fields = response.match(bytes, scratch: &scratch) {
                        afterPrompt = false
                        events.append(.response(command: current.form.command, form: current.form.name, index: index, line: Self.text(bytes), fields: fields))
                        return
                    }
                }
            }
        }
        // Only the lines whose prefix allows this first byte can match; they are tried in the module's order.
        let first = Int(bytes.first ?? 0)
        for index in routes.finalsByByte[first] {
            guard let fields = routes.finals[index].match(bytes, scratch: &scratch) else { continue }
            afterPrompt = false
            events.append(.final(name: routes.finalNames[index], isSuccess: module.finals[index].isSuccess, line: Self.text(bytes), fields: fields))
            if let current = inFlight, !finalSeen {
                finalSeen = true
                // A deferred result may still follow (after OK, and after ERROR on some firmware).
                let waits = current.form.deferred != nil && !deferredSeen && current.form.deferredPlacement != .before
                if !waits { inFlight = nil }
            }
            return
        }
        for index in routes.urcsByByte[first] {
            if let fields = routes.urcLines[index]?.match(bytes, scratch: &scratch) {
                events.append(.urc(URCMatch(name: routes.urcNames[index], fields: fields), lines: [Self.text(bytes)]))
                rearmPrompt()
                return
            }
            if !routes.urcParts[index].isEmpty, let fields = routes.urcParts[index][0].match(bytes, scratch: &scratch) {
                let parts = routes.partDataInto[index].count
                var lines: [String] = []
                lines.reserveCapacity(parts)
                lines.append(Self.text(bytes))
                var data: [String: [UInt8]] = [:]
                if routes.urcDataCount[index] > 0 { data.reserveCapacity(routes.urcDataCount[index]) }
                assembly = Assembly(urc: index, fields: fields, data: data, lines: lines, pendingInto: routes.partDataInto[index][0])
                if parts == 1 { finishAssembly(into: &events) }
                return
            }
        }
        if afterPrompt {
            // A transcript shows the host's data right after the prompt.
            afterPrompt = false
            events.append(.data(Array(Self.text(bytes).utf8)))
            return
        }
        events.append(.unrecognized(Self.text(bytes)))
    }

    /// A URC can come between a command's echo and its prompt; the prompt is still expected after it.
    private mutating func rearmPrompt() {
        if let form = inFlight?.form, form.hasPrompt, !promptSeen, !finalSeen { framer.expectPrompt() }
    }

    /// Consumes the line as the next part of the URC being assembled; false when it is not one.
    private mutating func continueAssembly(_ bytes: UnsafeBufferPointer<UInt8>, into events: inout [DecodedEvent]) -> Bool {
        guard let urc = assembly?.urc else { return false }
        for index in routes.urcParts[urc].indices where index > 0 {
            guard routes.urcParts[urc][index].matches(bytes, scratch: &scratch) else { continue }
            assembly?.lines.append(Self.text(bytes))
            assembly?.pendingInto = routes.partDataInto[urc][index]
            if routes.partEnds[urc][index] { finishAssembly(into: &events) }
            return true
        }
        // Something else arrived: the URC is incomplete; report what came and go on.
        let lines = assembly?.lines ?? []
        assembly = nil
        for line in lines { events.append(.unrecognized(line)) }
        return false
    }

    private mutating func finishAssembly(into events: inout [DecodedEvent]) {
        guard let current = assembly else { return }
        assembly = nil
        events.append(.urc(URCMatch(name: routes.urcNames[current.urc], fields: current.fields, data: current.data), lines: current.lines))
        rearmPrompt()
    }
}
