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
    private var framer: Framer
    private var inFlight: FormDescriptor?
    private var finalSeen = false
    private var deferredSeen = false
    private var afterPrompt = false
    private var promptSeen = false
    /// The host began the command in flight and its echo has not come back yet.
    private var echoPending = false
    private var assembly: Assembly?

    private struct Assembly: Sendable {
        var urc: URCDescriptor
        var fields: [CapturedField]
        var data: [String: [UInt8]]
        var lines: [String]
        /// The `into` name of the part whose data comes next.
        var pendingInto: String?
    }

    /// Creates a decoder; `maxLineLength` and `maxDataLength` bound its memory.
    public init(module: ModuleDescriptor, maxLineLength: Int = 4096, maxDataLength: Int = 65536) {
        self.module = module
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
        start(form)
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

    private mutating func start(_ form: FormDescriptor) {
        inFlight = form
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
    public var commandInFlight: FormDescriptor? { inFlight }

    /// Bytes buffered inside the framer.
    public var bufferedByteCount: Int { framer.bufferedByteCount }

    /// Decodes the next chunk of modem output.
    ///
    /// The framer is fed up to each line end at a time, so that what a line
    /// means (an echoed command that prompts, say) is known before the bytes
    /// after it are framed: the events do not depend on how the input is chunked.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [DecodedEvent] {
        var events: [DecodedEvent] = []
        var frames: [FrameEvent] = []
        let input = Array(bytes)
        var start = 0
        var index = 0
        while index < input.count {
            let byte = input[index]
            index += 1
            guard byte == 0x0A || byte == 0x0D || index == input.count else { continue }
            framer.feed(input[start..<index], into: &frames)
            for frame in frames { handle(frame, into: &events) }
            frames.removeAll(keepingCapacity: true)
            start = index
        }
        return events
    }

    private mutating func handle(_ frame: FrameEvent, into events: inout [DecodedEvent]) {
        switch frame {
        case .line(let bytes):
            line(String(decoding: bytes, as: UTF8.self), into: &events)
        case .prompt:
            afterPrompt = true
            promptSeen = true
            events.append(.prompt)
        case .echo(let bytes):
            afterPrompt = false
            events.append(.data(bytes))
        case .data(let bytes):
            if var current = assembly, let into = current.pendingInto {
                current.data[into, default: []] += bytes
                current.pendingInto = nil
                assembly = current
            } else {
                events.append(.data(bytes))
            }
        case .error(let error):
            events.append(.error(error))
        }
    }

    private mutating func line(_ text: String, into events: inout [DecodedEvent]) {
        if assembly != nil, continueAssembly(text, into: &events) { return }
        if text.utf8.count >= 2, text.utf8.prefix(2).map({ $0 | 0x20 }) == [UInt8(ascii: "a"), UInt8(ascii: "t")] {
            if echoPending, let form = inFlight {
                // The echo of the command the host sent: it stays in flight.
                echoPending = false
                if form.hasPrompt, !promptSeen { framer.expectPrompt() }
                events.append(.command(command: form.command, form: form.name, line: text, fields: form.match(text) ?? []))
                return
            }
            if let (form, fields) = module.form(matching: text) {
                start(form)
                events.append(.command(command: form.command, form: form.name, line: text, fields: fields))
            } else {
                inFlight = nil
                events.append(.unrecognized(text))
            }
            return
        }
        if let form = inFlight {
            if let deferred = form.deferred, !deferredSeen, let fields = deferred.match(text) {
                deferredSeen = true
                events.append(.deferred(command: form.command, form: form.name, line: text, fields: fields))
                if finalSeen { inFlight = nil }
                return
            }
            if !finalSeen {
                for (index, response) in form.responses.enumerated() {
                    if let fields = response.match(text) {
                        afterPrompt = false
                        events.append(.response(command: form.command, form: form.name, index: index, line: text, fields: fields))
                        return
                    }
                }
            }
        }
        for final in module.finals {
            if let fields = final.line.match(text) {
                afterPrompt = false
                events.append(.final(name: final.name, isSuccess: final.isSuccess, line: text, fields: fields))
                if let form = inFlight, !finalSeen {
                    finalSeen = true
                    // A deferred result may still follow (after OK, and after ERROR on some firmware).
                    let waits = form.deferred != nil && !deferredSeen && form.deferredPlacement != .before
                    if !waits { inFlight = nil }
                }
                return
            }
        }
        for urc in module.urcs {
            if let line = urc.line, let fields = line.match(text) {
                events.append(.urc(URCMatch(name: urc.name, fields: fields), lines: [text]))
                rearmPrompt()
                return
            }
            if let first = urc.parts.first, let fields = first.line.match(text) {
                assembly = Assembly(urc: urc, fields: fields, data: [:], lines: [text], pendingInto: first.dataLengthField == nil ? nil : first.dataInto)
                if urc.parts.count == 1 { finishAssembly(into: &events) }
                return
            }
        }
        if afterPrompt {
            // A transcript shows the host's data right after the prompt.
            afterPrompt = false
            events.append(.data(Array(text.utf8)))
            return
        }
        events.append(.unrecognized(text))
    }

    /// A URC can come between a command's echo and its prompt; the prompt is still expected after it.
    private mutating func rearmPrompt() {
        if let form = inFlight, form.hasPrompt, !promptSeen, !finalSeen { framer.expectPrompt() }
    }

    /// Consumes `text` as the next part of the URC being assembled; false when it is not one.
    private mutating func continueAssembly(_ text: String, into events: inout [DecodedEvent]) -> Bool {
        guard var current = assembly else { return false }
        for (index, part) in current.urc.parts.enumerated() where index > 0 {
            guard part.line.match(text) != nil else { continue }
            current.lines.append(text)
            current.pendingInto = part.dataLengthField == nil ? nil : part.dataInto
            assembly = current
            if part.role == "end" { finishAssembly(into: &events) }
            return true
        }
        // Something else arrived: the URC is incomplete; report what came and go on.
        assembly = nil
        for line in current.lines { events.append(.unrecognized(line)) }
        return false
    }

    private mutating func finishAssembly(into events: inout [DecodedEvent]) {
        guard let current = assembly else { return }
        assembly = nil
        events.append(.urc(URCMatch(name: current.urc.name, fields: current.fields, data: current.data), lines: current.lines))
        rearmPrompt()
    }
}
