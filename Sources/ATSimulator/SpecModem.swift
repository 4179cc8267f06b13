// SpecModem.swift: a virtual modem that answers AT commands as its spec says: every form recognised, parameters checked, prompts, and the documents' own answers.

import ATModem
import ATRuntime
import ATSpec

/// What real firmware does that the manuals do not print, on request.
public struct SimulatorBehaviour: Sendable, Hashable {
    /// Where a deferred result goes that the spec lets come before or after the final result.
    public enum ResultOrder: String, Sendable, Hashable {
        /// As the document's example shows it.
        case asDocumented
        /// Before the final result (SIM7600 firmware).
        case before
        /// After it (A76xx firmware).
        case after
    }

    /// The line ending: `\r\n` (the spec's), `\n`, or `\r\r\n`.
    public var lineEnding: [UInt8]?
    public var resultOrder: ResultOrder = .asDocumented
    /// The data sent after a prompt is echoed on a line of its own (SIM7670G and A7670 firmware).
    public var dataEcho = false
    /// Each answer waits this long first.
    public var latency: Duration = .zero
    /// URC lines of the spec's examples sent between the echo and the answer.
    public var urcNoise = false
    /// After this many commands the module reboots: it sends `rebootBanner` and starts afresh (echo on).
    public var rebootAfter: Int?
    public var rebootBanner = "RDY"
    /// The most bytes of a topic or payload in one part of a multi-part message URC
    /// (`+CMQTTRXPAYLOAD`); the documents give no size, so 1024 is assumed.
    public var partSize = 1024

    /// As the documents show it.
    public init() {}
}

/// A modem simulated from a spec loaded at run time.
///
/// It reads command lines as the module would: echo as `ATE0`/`ATE1` set it, each line matched
/// against every form of the spec (test, read, write, execute, tag forms), parameters checked
/// against the spec's ranges, lengths and values (`ERROR` when one is wrong), `ERROR` for a
/// line that is no command of the spec, the spec's `must` ordering rules (`ERROR` when one is
/// broken), and a form's prompt followed by its declared length of data or data up to Ctrl-Z.
/// It answers with the lines the documents' examples show for the form (of the examples whose
/// command line is the same, else of all the form's, the fullest), or with `OK` where none shows
/// one; the commands the spec's `mqtt` section maps are carried out on a broker (SpecMQTT.swift).
public actor SpecModem {
    /// One thing the modem sends in answer.
    enum Output: Sendable, Hashable {
        case line(String)
        /// A deferred result line, which the result order may move.
        case deferred(String)
        /// The final result line.
        case final(String)
        case prompt
        /// An information line of bytes that need not be text (a buffered message read).
        case raw([UInt8])
    }

    /// What the documents show a form answering: the command line and what followed it.
    struct Answer: Sendable, Hashable {
        var command: String
        var outputs: [Output]
    }

    /// The spec, composed with its base.
    public nonisolated let spec: Spec
    let descriptor: ModuleDescriptor
    private var recognizer: ATDecoder
    private let answers: [String: [Answer]]
    /// URC lines the examples show, for ``SimulatorBehaviour/urcNoise``.
    private let noise: [String]
    private var nextNoise = 0
    private let lineEnding: [UInt8]
    let behaviour: SimulatorBehaviour
    private var echo = true
    private var commandsSinceBoot = 0
    /// A line per exchange, for the log: what came in and how it was answered.
    let log: (@Sendable (String) -> Void)?
    /// Where the MQTT connections go.
    let broker: SimulatorBroker
    /// The MQTT stack's client slots, by the module's number.
    var slots: [Int: MQTTSlot] = [:]
    /// The fields of every command line that was answered, by `command/form`, the last 16 of each:
    /// the settings the module holds.
    var settings: [String: [[String: String]]] = [:]
    /// The spec's ordering rules, with what was done so far.
    private var rules: ATRuleChecker
    /// The host's transport while it is served, for URCs.
    private var host: (any ATTransport)?
    /// True while a command is being answered: URCs wait for its end.
    private var answering = false
    private var heldURCs: [[URCPiece]] = []

    /// A modem for `spec` (composed with its base, as ``SpecLoader/loadComposed(path:searchPaths:)`` loads it).
    ///
    /// - Parameter broker: where the MQTT stack connects (the spec's `mqtt` section says which
    ///   commands do what); by default the host and port the commands name.
    public init(spec: Spec, behaviour: SimulatorBehaviour = SimulatorBehaviour(), broker: SimulatorBroker = SimulatorBroker(), log: (@Sendable (String) -> Void)? = nil) {
        self.spec = spec
        let descriptor = DescriptorBuilder.build(spec)
        self.descriptor = descriptor
        self.broker = broker
        rules = ATRuleChecker(rules: descriptor.rules)
        recognizer = ATDecoder(module: descriptor)
        (answers, noise) = Self.answers(from: spec, descriptor: descriptor)
        lineEnding = behaviour.lineEnding ?? Array(spec.lineEnding.utf8)
        self.behaviour = behaviour
        self.log = log
    }

    /// The answers the spec's document examples show, by `command/form`.
    static func answers(from spec: Spec, descriptor: ModuleDescriptor) -> (answers: [String: [Answer]], noise: [String]) {
        var found: [String: [Answer]] = [:]
        var noise: [String] = []
        for example in spec.examples + spec.bases.flatMap(\.examples) {
            var decoder = ATDecoder(module: descriptor)
            var current: (key: String, answer: Answer)?
            func close() {
                if let current { found[current.key, default: []].append(current.answer) }
                current = nil
            }
            // The transcripts do not show the Ctrl-Z that ends the data after a prompt: the data (the
            // rest of the prompt's line) ends with its line.
            var promptEnd: UInt8 = 0
            for line in example.lines {
                var events = decoder.feed(Array(line.utf8) + [0x0D, 0x0A])
                if events.contains(.prompt), promptEnd != 0 { events += decoder.feed([promptEnd]) }
                for event in events {
                    switch event {
                    case .command(let command, let form, let text, _):
                        close()
                        current = (command + "/" + form, Answer(command: text, outputs: []))
                        let prompt = spec.command(command)?.forms.first { DescriptorBuilder.formName($0) == form }?.prompt
                        promptEnd = prompt == nil || prompt?.length != nil ? 0 : (descriptor.forms.first { $0.command == command && $0.name == form }?.promptTerminator ?? 0x1A)
                    case .response(_, _, _, let text, _):
                        current?.answer.outputs.append(.line(text))
                    case .deferred(_, _, _, let text, _):
                        current?.answer.outputs.append(.deferred(text))
                    case .final(_, _, let text, _):
                        current?.answer.outputs.append(.final(text))
                    case .urc(_, let lines):
                        noise.append(contentsOf: lines)
                    case .prompt:
                        current?.answer.outputs.append(.prompt)
                    default:
                        break
                    }
                }
            }
            close()
        }
        return (found, noise)
    }

    /// Bytes from the host not read yet.
    private var input: [UInt8] = []

    private func fill(_ transport: any ATTransport) async throws -> Bool {
        guard let chunk = try await transport.receive() else { return false }
        input += chunk
        return true
    }

    /// Serves the host on the device end of `transport` until the host goes away; then the
    /// module's MQTT connections are dropped, as when it loses power.
    public func serve(_ transport: any ATTransport) async throws {
        input = []
        host = transport
        defer { host = nil }
        do {
            try await serveLines(transport)
        } catch {
            await dropAll()
            throw error
        }
        await dropAll()
    }

    /// Takes the module as set up for every ordering rule (a session that began before the host
    /// came: the commands the rules require first count as done).
    public func assumeSetUp() {
        rules.assumed = Set(spec.commands.map(\.id))
    }

    /// Sends URC pieces now, or after the command being answered.
    func deliver(_ pieces: [URCPiece]) async {
        guard !answering, let host else {
            heldURCs.append(pieces)
            return
        }
        var bytes: [UInt8] = []
        var shown: [String] = []
        for piece in pieces {
            switch piece {
            case .line(let line):
                bytes += lineEnding + line + lineEnding
                shown.append(String(decoding: line.prefix(120), as: UTF8.self))
            case .data(let data):
                bytes += data
                shown.append("(\(data.count) bytes)")
            }
        }
        log?("URC: " + shown.joined(separator: " | "))
        try? await host.send(bytes)
    }

    private func serveLines(_ transport: any ATTransport) async throws {
        while true {
            guard let end = input.firstIndex(where: { $0 == 0x0D || $0 == 0x0A }) else {
                guard try await fill(transport) else { return }
                continue
            }
            let line = Array(input[..<end])
            input.removeSubrange(...end)
            guard !line.isEmpty else { continue }
            if echo { try await transport.send(line + [0x0D]) }
            if behaviour.latency > .zero { try await Task.sleep(for: behaviour.latency) }
            if behaviour.urcNoise, !noise.isEmpty {
                try await send(transport, noise[nextNoise % noise.count])
                nextNoise += 1
            }
            answering = true
            do {
                try await answer(String(decoding: line, as: UTF8.self), transport: transport)
            } catch {
                answering = false
                throw error
            }
            answering = false
            commandsSinceBoot += 1
            if let limit = behaviour.rebootAfter, commandsSinceBoot >= limit {
                commandsSinceBoot = 0
                echo = true
                rules.reset()
                settings = [:]
                heldURCs = []
                await dropAll()
                try await send(transport, behaviour.rebootBanner)
                log?("(reboot: \(behaviour.rebootBanner))")
            }
            let held = heldURCs
            heldURCs = []
            for pieces in held { await deliver(pieces) }
        }
    }

    private func send(_ transport: any ATTransport, _ text: String) async throws {
        try await transport.send(lineEnding + Array(text.utf8) + lineEnding)
    }

    private func answer(_ text: String, transport: any ATTransport) async throws {
        let upper = text.uppercased()
        // V.250 echo: the one behaviour of the line itself the simulator keeps.
        if upper == "ATE0" || upper == "ATE1" || upper == "ATE" { echo = upper == "ATE1" }
        recognizer.abandon()
        let events = recognizer.feed(Array(text.utf8) + [0x0D, 0x0A])
        recognizer.abandon()
        guard case .command(let command, let formName, let redacted, let fields)? = events.first,
            let form = spec.command(command)?.forms.first(where: { DescriptorBuilder.formName($0) == formName })
        else {
            log?("\(text) -> ERROR (no command of \(spec.module.name.value))")
            return try await send(transport, "ERROR")
        }
        if let problem = problem(fields, command: command) {
            log?("\(redacted) -> ERROR (\(problem))")
            return try await send(transport, "ERROR")
        }
        let formDescriptor = formDescriptor(command: command, form)
        if let formDescriptor, let violation = rules.violation(sending: formDescriptor, fields: fields, label: redacted) {
            log?("\(redacted) -> ERROR (\(violation))")
            return try await send(transport, "ERROR")
        }
        let key = command + "/" + formName
        let candidates = answers[key] ?? []
        // The example of the same line, else any of the form; of several, the fullest (extracted
        // transcripts lose lines).
        let same = candidates.filter { $0.command == text }
        let chosen = (same.isEmpty ? candidates : same).max { $0.outputs.count < $1.outputs.count }
        let success = spec.finalResults.first { $0.kind == "success" }?.syntax.text ?? "OK"
        var outputs = chosen?.outputs ?? []
        if let prompt = form.prompt {
            // A prompt the decoder took for a line (CONNECT) is the prompt.
            outputs.removeAll { $0 == .line(prompt.text) }
            if !outputs.contains(.prompt) { outputs.insert(.prompt, at: 0) }
        }
        // A transcript that lost its final result (or data after a prompt that swallowed it).
        if !outputs.contains(where: { if case .final = $0 { true } else { false } }) { outputs.append(.final(success)) }
        // The prompt and its data come first: what the command does may depend on the data.
        var data: [UInt8]?
        var shown: [Output] = []
        if let prompt = outputs.firstIndex(of: .prompt) {
            for output in outputs[...prompt] { try await emit(output, form: form, transport: transport) }
            shown = Array(outputs[...prompt])
            outputs.removeSubrange(...prompt)
            data = try await readData(form: form, fields: fields, transport: transport)
            if behaviour.dataEcho, let data, !data.isEmpty { try await transport.send(lineEnding + data + lineEnding) }
        }
        if let hit = stepHits(command: command, formName: formName, fields: fields, data: data).first {
            if hit.operation == nil, let read = readOutputs(hit, form: formDescriptor) {
                outputs = read
            } else {
                let result = await perform(hit)
                outputs = mqttOutputs(outputs, form: formDescriptor, fields: fields, result: result)
            }
        }
        outputs = reorder(outputs, form: form)
        for output in outputs { try await emit(output, form: form, transport: transport) }
        if let formDescriptor, outputs.contains(where: { if case .final(let line) = $0 { isSuccess(line) } else { false } }) {
            rules.succeeded(formDescriptor, fields: fields)
            var written: [String: String] = [:]
            for field in fields { written[field.name] = field.text }
            settings[key, default: []].append(written)
            if settings[key, default: []].count > 16 { settings[key]?.removeFirst() }
        }
        // The decoder's line: a secret parameter's value (a password) shows as <redacted>.
        log?("\(redacted) -> \((shown + outputs).map(Self.shown).joined(separator: " | "))")
    }

    private func emit(_ output: Output, form: Form, transport: any ATTransport) async throws {
        switch output {
        case .line(let line), .deferred(let line), .final(let line):
            try await send(transport, line)
        case .raw(let bytes):
            try await transport.send(lineEnding + bytes + lineEnding)
        case .prompt:
            // `> ` waits on the same line; a prompt such as CONNECT is a line of its own.
            let prompt = Array((form.prompt?.text ?? ">").utf8)
            try await transport.send(lineEnding + prompt + (form.prompt?.followedByLineEnd == true ? lineEnding : [0x20]))
        }
    }

    /// True when `line` is a success final result of the spec.
    private func isSuccess(_ line: String) -> Bool {
        descriptor.finals.contains { $0.isSuccess && $0.line.match(line) != nil }
    }

    static func shown(_ output: Output) -> String {
        switch output {
        case .line(let line), .deferred(let line), .final(let line): line
        case .raw(let bytes): String(decoding: bytes, as: UTF8.self)
        case .prompt: ">"
        }
    }

    /// The outputs with a deferred result moved before or after the final result, where the
    /// spec lets it come either way and the behaviour asks for one.
    func reorder(_ outputs: [Output], form: Form) -> [Output] {
        guard behaviour.resultOrder != .asDocumented, form.deferredShapes.contains(where: { $0.order == .either }),
            let final = outputs.firstIndex(where: { if case .final = $0 { true } else { false } })
        else { return outputs }
        let deferred = outputs.filter { if case .deferred = $0 { true } else { false } }
        var rest = outputs.filter { if case .deferred = $0 { false } else { true } }
        guard !deferred.isEmpty, let finalIndex = rest.firstIndex(of: outputs[final]) else { return outputs }
        rest.insert(contentsOf: deferred, at: behaviour.resultOrder == .before ? finalIndex : finalIndex + 1)
        return rest
    }

    /// Reads the data after a prompt: the declared length, or up to Ctrl-Z (ESC cancels); returns it.
    private func readData(form: Form, fields: [CapturedField], transport: any ATTransport) async throws -> [UInt8] {
        if let lengthName = form.prompt?.length?.value, let declared = fields.first(where: { $0.name == lengthName }).flatMap({ Int($0.text) }) {
            let count = form.prompt?.lengthCounts == "digits" || form.prompt?.encoding == "hex" ? declared * 2 : declared
            while input.count < count { guard try await fill(transport) else { return [] } }
            let data = Array(input.prefix(count))
            input.removeFirst(count)
            return data
        }
        while true {
            if let end = input.firstIndex(where: { $0 == 0x1A || $0 == 0x1B }) {
                let data = Array(input[..<end])
                input.removeSubrange(...end)
                return data
            }
            guard try await fill(transport) else { return [] }
        }
    }

    /// What is wrong with the fields, as the spec's ranges, lengths and values say; nil when nothing is.
    func problem(_ fields: [CapturedField], command: String) -> String? {
        guard let definition = spec.command(command) else { return nil }
        for field in fields {
            guard let parameter = definition.parameter(field.name) else { continue }
            switch parameter.type {
            case .integer, .flag, .enum:
                guard let value = Int(field.text) else { return "<\(field.name)> is not a number" }
                if let range = parameter.range?.value, !range.contains(value) { return "<\(field.name)> \(value) is outside \(range.text)" }
                if parameter.type == .flag, !(0...1).contains(value) { return "<\(field.name)> \(value) is not 0 or 1" }
                if parameter.type == .enum, parameter.range == nil, !parameter.values.isEmpty, !parameter.values.contains(where: { $0.value == value }) {
                    return "<\(field.name)> \(value) is not one of its values"
                }
            case .string, .hex:
                let count = field.bytes?.count ?? field.text.utf8.count
                if let length = parameter.length?.value, !length.contains(count) { return "<\(field.name)> is \(count) bytes, outside \(length.text)" }
            default:
                break
            }
        }
        return nil
    }
}
