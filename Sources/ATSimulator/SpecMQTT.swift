// SpecMQTT.swift: the virtual modem's MQTT stack: the spec's mqtt section read backwards, carried out on a real broker.

import ATModem
import ATRuntime
import ATSpec

/// A value an operation's step carried, read back from the command line.
enum StepValue: Sendable, Hashable {
    case integer(Int)
    case text(String)
    case bool(Bool)
    case bytes([UInt8])

    var integer: Int? {
        switch self {
        case .integer(let value): value
        case .bool(let value): value ? 1 : 0
        case .text(let text): Int(text)
        case .bytes: nil
        }
    }

    var text: String? {
        switch self {
        case .text(let text): text
        case .integer(let value): String(value)
        case .bytes(let bytes): String(decoding: bytes, as: UTF8.self)
        case .bool(let value): value ? "1" : "0"
        }
    }

    var bool: Bool? {
        switch self {
        case .bool(let value): value
        case .integer(let value): value != 0
        case .text(let text): text == "1" || text.lowercased() == "true"
        case .bytes: nil
        }
    }

    var bytes: [UInt8] {
        switch self {
        case .bytes(let bytes): bytes
        default: Array((text ?? "").utf8)
        }
    }
}

/// Where the modem's MQTT connections go.
public struct SimulatorBroker: Sendable, Hashable {
    /// The broker every connection goes to, whatever host the host names (`--broker`); nil: the host and port the commands name.
    public var host: String?
    public var port: Int?

    public init(host: String? = nil, port: Int? = nil) {
        self.host = host
        self.port = port
    }
}

/// One client slot of the module's MQTT stack.
struct MQTTSlot {
    /// The values the steps of the operation under way carried so far (the connection's settings stay).
    var arguments: [MQTTArgument: StepValue] = [:]
    /// The topics (with their QoS) that `each: topic` steps gave.
    var topics: [(topic: String, qos: Int)] = []
    var connection: MosquittoConnection?
    var events: Task<Void, Never>?
    /// Messages the module keeps until they are read (a buffered source), by read id.
    var stored: [(id: Int, message: MosquittoConnection.Message)] = []
    var nextStored = 0
}

/// A piece of a URC: a line, or data sent after a line without a line end of its own.
enum URCPiece: Sendable, Hashable {
    case line([UInt8])
    case data([UInt8])
}

/// A step of the mqtt section that a command line is.
struct StepHit {
    var operation: MQTTOperationKind?
    var step: MQTTStep
    var isLast: Bool
    var arguments: [MQTTArgument: StepValue]
}

/// What carrying out an operation came to.
enum MQTTResult: Sendable, Hashable {
    case done
    case outcome(MQTTOutcomeKind)
    /// Failed for a reason no outcome of the spec names.
    case failed
}

extension SpecModem {
    // MARK: Reading a command line back into an operation's values

    /// The steps of the mqtt section whose command and form `command`/`formName` are, with the
    /// values the line carries; a literal binding that the line contradicts rules a step out.
    func stepHits(command: String, formName: String, fields: [CapturedField], data: [UInt8]?) -> [StepHit] {
        guard let mqtt = spec.mqtt else { return [] }
        var hits: [StepHit] = []
        func consider(_ step: MQTTStep, operation: MQTTOperationKind?, isLast: Bool) {
            guard step.command.value == command, let shape = spec.shape(of: step), DescriptorBuilder.formName(shape.form) == formName,
                let arguments = unbind(step, shape: shape, fields: fields, data: data)
            else { return }
            hits.append(StepHit(operation: operation, step: step, isLast: isLast, arguments: arguments))
        }
        for operation in mqtt.operations {
            for variant in operation.variants {
                for (index, step) in variant.steps.enumerated() {
                    consider(step, operation: operation.kind, isLast: index == variant.steps.count - 1)
                }
            }
        }
        for source in mqtt.buffered {
            if let read = source.read { consider(read, operation: nil, isLast: true) }
        }
        return hits
    }

    /// The values a step's bindings read from the line, or nil when a literal does not match.
    func unbind(_ step: MQTTStep, shape: MQTTStepShape, fields: [CapturedField], data: [UInt8]?) -> [MQTTArgument: StepValue]? {
        var found: [MQTTArgument: StepValue] = [:]
        let dataName = shape.form.prompt?.data.value
        for binding in step.bindings {
            let name = binding.parameter.value
            var raw: (text: String, bytes: [UInt8])?
            if name == dataName, let data {
                let bytes = shape.form.prompt?.encoding == "hex" ? (ATHex.decode(String(decoding: data, as: UTF8.self)) ?? data) : data
                raw = (String(decoding: bytes, as: UTF8.self), bytes)
            } else if let field = fields.first(where: { $0.name == name }) {
                raw = (field.text, field.bytes ?? Array(field.text.utf8))
            }
            switch binding.value {
            case .argument(let argument):
                guard let raw else { continue }
                found[argument] = Self.value(raw, as: argument)
            case .integer(let number):
                if let raw, Int(raw.text) != number { return nil }
            case .bool(let flag):
                if let raw, Int(raw.text) != (flag ? 1 : 0), raw.text.lowercased() != String(flag) { return nil }
            case .string(let text):
                if let raw, raw.text != text { return nil }
            case .template(let template, _):
                guard let raw, let values = Self.unfill(template, raw.text) else { continue }
                for (argument, text) in values { found[argument] = Self.value((text, Array(text.utf8)), as: argument) }
            case .mapped(let argument, let map):
                guard let raw, let number = Int(raw.text), let key = map.first(where: { $0.value == number })?.key else { continue }
                found[argument] = argument.kind == .bool ? .bool(key == "true") : Int(key).map { .integer($0) } ?? .text(key)
            case .fallback(let argument, let fallback):
                guard let raw, raw.text != fallback else { continue }
                found[argument] = Self.value(raw, as: argument)
            }
        }
        return found
    }

    static func value(_ raw: (text: String, bytes: [UInt8]), as argument: MQTTArgument) -> StepValue {
        switch argument.kind {
        case .integer: Int(raw.text).map { .integer($0) } ?? .text(raw.text)
        case .string: .text(raw.text)
        case .bool: .bool(raw.text == "1" || raw.text.lowercased() == "true")
        case .bytes: .bytes(raw.bytes)
        }
    }

    /// The arguments of `template` (`tcp://{host}:{port}`) read from `text`, or nil when it does not fit.
    static func unfill(_ template: String, _ text: String) -> [(MQTTArgument, String)]? {
        var pieces: [(literal: String, argument: MQTTArgument?)] = []
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            pieces.append((String(rest[..<open]), MQTTArgument(rawValue: String(rest[rest.index(after: open)..<close]))))
            rest = rest[rest.index(after: close)...]
        }
        let tail = String(rest)
        var remaining = Substring(text)
        var found: [(MQTTArgument, String)] = []
        for (index, piece) in pieces.enumerated() {
            guard remaining.hasPrefix(piece.literal) else { return nil }
            remaining = remaining.dropFirst(piece.literal.count)
            // A value runs to the next piece's literal (the last one's: from the end, so a host may hold it).
            let next = index + 1 < pieces.count ? pieces[index + 1].literal : tail
            let end: Substring.Index
            if next.isEmpty {
                end = remaining.endIndex
            } else if index + 1 < pieces.count, let range = remaining.range(of: next) {
                end = range.lowerBound
            } else if let range = remaining.range(of: next, options: .backwards) {
                end = range.lowerBound
            } else {
                return nil
            }
            if let argument = piece.argument { found.append((argument, String(remaining[..<end]))) }
            remaining = remaining[end...]
        }
        return remaining == Substring(tail) ? found : nil
    }

    // MARK: Carrying out an operation

    /// The module's number of the slot a step names, or the first slot where the step names none.
    func slotNumber(_ arguments: [MQTTArgument: StepValue]) -> Int {
        arguments[.client]?.integer ?? spec.mqtt?.firstClient ?? 0
    }

    /// Takes in a step's values and, at the operation's last step, carries the operation out on the broker.
    func perform(_ hit: StepHit) async -> MQTTResult {
        let number = slotNumber(hit.arguments)
        var slot = slots[number] ?? MQTTSlot()
        if hit.step.each, let topic = hit.arguments[.topic]?.text {
            slot.topics.append((topic, hit.arguments[.qos]?.integer ?? 0))
        }
        for (argument, value) in hit.arguments where !(hit.step.each && argument.isPerTopic) { slot.arguments[argument] = value }
        slots[number] = slot
        guard let operation = hit.operation else { return .done }
        // A disconnect is done at its first step (the rest releases the slot); the others at their last.
        let acts = operation == .disconnect ? isFirstStep(hit.step, of: operation) : hit.isLast
        guard acts else { return .done }
        let topics = slot.topics
        slots[number]?.topics = []
        switch operation {
        case .connect:
            return await connect(number)
        case .disconnect:
            guard let connection = slots[number]?.connection else { return .done }
            await connection.disconnect()
            close(number)
            return .done
        case .subscribe, .unsubscribe, .publish:
            guard let connection = slots[number]?.connection, connection.connected else { return .outcome(.not_connected) }
            let arguments = slots[number]?.arguments ?? [:]
            do {
                if operation == .publish {
                    let payload = arguments[.payload]?.bytes ?? []
                    try await connection.publish(arguments[.topic]?.text ?? "", payload: payload, qos: arguments[.qos]?.integer ?? 0, retain: arguments[.retain]?.bool ?? false)
                    log?("(broker: published \(payload.count) bytes to \(arguments[.topic]?.text ?? ""))")
                } else {
                    for (topic, qos) in topics {
                        if operation == .subscribe {
                            let granted = try await connection.subscribe(topic, qos: qos)
                            if granted >= 0x80 { return .failed }
                        } else {
                            try await connection.unsubscribe(topic)
                        }
                        log?("(broker: \(operation.rawValue)d \(topic))")
                    }
                }
                return .done
            } catch {
                log?("(broker: \(error))")
                return connection.connected ? .failed : .outcome(.not_connected)
            }
        }
    }

    func isFirstStep(_ step: MQTTStep, of operation: MQTTOperationKind) -> Bool {
        spec.mqtt?.operation(operation)?.variants.contains { $0.steps.first == step } ?? false
    }

    private func connect(_ number: Int) async -> MQTTResult {
        close(number)
        let arguments = slots[number]?.arguments ?? [:]
        guard let host = broker.host ?? arguments[.host]?.text, let port = broker.port ?? arguments[.port]?.integer else { return .outcome(.server_unavailable) }
        if arguments[.tls]?.bool == true {
            // The module's certificates are not simulated: the connection is plain TCP to the broker.
            log?("(broker: TLS asked for; the connection is plain TCP)")
        }
        let clientID = arguments[.client_id]?.text ?? ""
        do {
            let connection = try MosquittoConnection(clientID: clientID, cleanSession: arguments[.clean_session]?.bool ?? true)
            slots[number]?.connection = connection
            var will: MosquittoWill?
            if let topic = arguments[.will_topic]?.text {
                will = MosquittoWill(topic: topic, payload: arguments[.will_payload]?.bytes ?? [], qos: arguments[.will_qos]?.integer ?? 0, retain: arguments[.will_retain]?.bool ?? false)
            }
            try await connection.connect(
                host: host, port: port, keepAlive: max(5, arguments[.keep_alive]?.integer ?? 60), username: arguments[.username]?.text,
                password: arguments[.password]?.text, will: will, protocolVersion: arguments[.protocol_version]?.integer)
            log?("(broker: connected to \(host):\(port) as '\(clientID)')")
            let events = connection.events
            slots[number]?.events = Task { [weak self] in
                for await event in events { await self?.brokerEvent(event, slot: number) }
            }
            return .done
        } catch {
            log?("(broker: \(error))")
            close(number)
            guard error.refused else { return .outcome(.server_unavailable) }
            switch error.code {
            case 1: return .outcome(.unacceptable_protocol_version)
            case 2: return .outcome(.identifier_rejected)
            case 3: return .outcome(.server_unavailable)
            case 4: return .outcome(.bad_credentials)
            default: return .outcome(.not_authorized)
            }
        }
    }

    /// Ends a slot's connection, if any, without a word to the host.
    func close(_ number: Int) {
        slots[number]?.events?.cancel()
        slots[number]?.events = nil
        slots[number]?.connection?.close()
        slots[number]?.connection = nil
    }

    /// Ends every connection (the host went away, or the module reboots: the broker sees them dropped).
    func dropAll() async {
        for (number, slot) in slots {
            if let connection = slot.connection { await connection.drop() }
            close(number)
        }
        slots = [:]
    }

    // MARK: Rendering what the module answers

    /// The outputs of a step's answer after its prompt: the documented ones with this exchange's
    /// values, or for a failure the module's way of reporting it.
    func mqttOutputs(_ documented: [Output], form: FormDescriptor?, fields: [CapturedField], result: MQTTResult) -> [Output] {
        guard let descriptor = form else { return documented }
        var outputs = documented
        let outcomeMatch: MQTTCodeMatch? = {
            guard case .outcome(let kind) = result else { return nil }
            return spec.mqtt?.outcomes.first { $0.kind == kind }?.matches.first
        }()
        let failed = result != .done
        // A failure the result line cannot carry is the failure final result: the outcome's table code, or ERROR.
        if failed, outcomeMatch?.parameter.map({ name in descriptor.deferredShapes.contains { $0.syntax.parameterNames.contains(name.value) } }) != true {
            return [.final(failureFinal(outcomeMatch))]
        }
        // The deferred result: the documented one, or the form's first shape where it comes after
        // the final result (one that comes before it is a failure's, `+CMQTTACCQ: 0,19` then ERROR).
        if !outputs.contains(where: { if case .deferred = $0 { true } else { false } }), descriptor.deferredPlacement != .before, let shape = descriptor.deferredShapes.first {
            var values = commandValues(fields)
            for (name, value) in descriptor.deferredSuccess { values[name] = RenderValue(value) }
            if LineRenderer.complete(shape, values) {
                outputs.append(.deferred(String(decoding: LineRenderer.render(shape, values), as: UTF8.self)))
            }
        }
        return outputs.map { output in
            guard case .deferred(let text) = output,
                let (shape, documentedFields) = descriptor.deferredShapes.lazy.compactMap({ shape in shape.match(text).map { (shape, $0) } }).first
            else { return output }
            var values: [String: RenderValue] = [:]
            for field in documentedFields { values[field.name] = RenderValue(bytes: field.bytes ?? Array(field.text.utf8), quoted: field.quoted) }
            for (name, value) in commandValues(fields) where values[name] != nil { values[name] = value }
            if let parameter = outcomeMatch?.parameter?.value, let code = outcomeMatch?.values.first {
                values[parameter] = RenderValue(code)
            } else {
                for (name, value) in descriptor.deferredSuccess where values[name] != nil { values[name] = RenderValue(value) }
            }
            return .deferred(String(decoding: LineRenderer.render(shape, values), as: UTF8.self))
        }
    }

    /// The command line's own values, which a result line of the same parameter names repeats (the client index, the message id).
    func commandValues(_ fields: [CapturedField]) -> [String: RenderValue] {
        var values: [String: RenderValue] = [:]
        for field in fields where !field.secret { values[field.name] = RenderValue(bytes: field.bytes ?? Array(field.text.utf8), quoted: field.quoted) }
        return values
    }

    /// The descriptor of `form` of command `command`.
    func formDescriptor(command: String, _ form: Form) -> FormDescriptor? {
        let name = DescriptorBuilder.formName(form)
        return descriptor.forms.first { $0.command == command && $0.name == name }
    }

    /// The failure final result for an outcome: the final result whose code is of the outcome's table, with the code; else ERROR.
    func failureFinal(_ match: MQTTCodeMatch?) -> String {
        if let table = match?.table?.value, let code = match?.values.first,
            let final = spec.finalResults.first(where: { $0.kind != "success" && $0.parameters.contains { $0.table?.value == table } }),
            let line = descriptor.finals.first(where: { $0.name == final.name.value })?.line,
            let parameter = final.parameters.first(where: { $0.table?.value == table })
        {
            return String(decoding: LineRenderer.render(line, [parameter.name: RenderValue(code)]), as: UTF8.self)
        }
        return "ERROR"
    }

    // MARK: What the broker sends

    /// A broker event, as the module reports it: held until no command is being answered.
    func brokerEvent(_ event: MosquittoConnection.Event, slot number: Int) async {
        guard let mqtt = spec.mqtt else { return }
        var lines: [URCPiece] = []
        switch event {
        case .message(let message):
            log?("(broker: message on \(message.topic), \(message.payload.count) bytes)")
            if let source = mqtt.buffered.first(where: { enabled($0, slot: number) }) {
                let id = slots[number]?.nextStored ?? 0
                slots[number]?.nextStored = id + 1
                slots[number]?.stored.append((id, message))
                lines = render(source, message: message, slot: number, readID: id)
            } else if let source = mqtt.messages.first(where: { enabled($0, slot: number) }) ?? mqtt.messages.first(where: { $0.enabledBy == nil }) {
                lines = render(source, message: message, slot: number, readID: nil)
            }
        case .lost:
            log?("(broker: connection lost)")
            close(number)
            if let source = mqtt.connectionLost.first, let urc = descriptor.urcs.first(where: { $0.name == source.urc.value }), let line = urc.line {
                var values: [String: RenderValue] = [:]
                for match in source.when { if let parameter = match.parameter?.value, let value = match.values.first { values[parameter] = RenderValue(value) } }
                for field in source.fields {
                    switch field.field {
                    case .client: values[field.parameter.value] = RenderValue(number)
                    case .reason: values[field.parameter.value] = RenderValue(reasonCode(urc: source.urc.value, parameter: field.parameter.value))
                    default: break
                    }
                }
                lines = [.line(LineRenderer.render(line, values))]
            }
        }
        guard !lines.isEmpty else { return }
        await deliver(lines)
    }

    /// The first documented value of a URC's reason parameter (1 where none is documented: inferred).
    func reasonCode(urc: String, parameter: String) -> Int {
        spec.urc(urc)?.parameters.first { $0.name == parameter }?.values.first?.value ?? 1
    }

    /// True when the source's setting holds for the slot: the last write of its command (for the
    /// slot, where it binds `$client`) has its values, or, never written, the parameters' defaults do.
    func enabled(_ source: MQTTEventSource, slot number: Int) -> Bool {
        guard let step = source.enabledBy, let command = spec.command(step.command.value), let shape = spec.shape(of: step) else { return false }
        let clientParameter = step.bindings.first { $0.value == .argument(.client) }?.parameter.value
        let written = settings[step.command.value + "/" + DescriptorBuilder.formName(shape.form)]?.last { fields in
            clientParameter.map { fields[$0].flatMap(Int.init) == number } ?? true
        }
        for binding in step.bindings {
            let expected: String
            switch binding.value {
            case .integer(let number): expected = String(number)
            case .bool(let flag): expected = flag ? "1" : "0"
            case .string(let text): expected = text
            default: continue
            }
            let actual = written?[binding.parameter.value] ?? command.parameter(binding.parameter.value)?.defaultValue?.value
            guard actual == expected else { return false }
        }
        return true
    }

    /// The lines of a message (or a buffered notice) URC: every field the source names, lengths
    /// counted, a multi-part URC split into parts of at most ``SimulatorBehaviour/partSize`` bytes.
    func render(_ source: MQTTEventSource, message: MosquittoConnection.Message, slot number: Int, readID: Int?) -> [URCPiece] {
        guard let urc = descriptor.urcs.first(where: { $0.name == source.urc.value }) else { return [] }
        var values = eventValues(source.fields, message: message, slot: number, readID: readID)
        // A notice also names what the read's answer holds (its <qos>), and the lengths that
        // answer counts (<tlength>, <plength>).
        if let read = source.read {
            let messageValues = eventValues(source.message, message: message, slot: number, readID: readID)
            if let command = spec.command(read.command.value) { countLengths(command.parameters, messageValues, into: &values) }
            for (name, value) in messageValues where values[name] == nil { values[name] = value }
        }
        if let line = urc.line { return [.line(LineRenderer.render(line, fill(line, values, urc: source.urc.value)))] }
        // Multi-part: totals in the start part, then each data in parts, then the end.
        var data: [String: [UInt8]] = [:]
        for part in urc.parts { if let into = part.dataInto { data[into] = values[into]?.bytes ?? [] } }
        for (into, total) in urc.dataTotals { values[total] = RenderValue(data[into]?.count ?? 0) }
        var lines: [URCPiece] = []
        for part in urc.parts {
            guard let into = part.dataInto, let lengthField = part.dataLengthField else {
                lines.append(.line(LineRenderer.render(part.line, fill(part.line, values, urc: source.urc.value))))
                continue
            }
            let bytes = data[into] ?? []
            if bytes.isEmpty, part.optional { continue }
            var start = 0
            repeat {
                let chunk = Array(bytes[start..<min(bytes.count, start + max(1, behaviour.partSize))])
                var partValues = values
                partValues[lengthField] = RenderValue(chunk.count)
                lines.append(.line(LineRenderer.render(part.line, partValues)))
                lines.append(.data(chunk))
                start += chunk.count
            } while start < bytes.count && part.repeats
        }
        return lines
    }

    /// Sets each length parameter (`length_from` of another) to the byte count of the value it measures.
    func countLengths(_ parameters: [Parameter], _ measured: [String: RenderValue], into values: inout [String: RenderValue]) {
        for parameter in parameters {
            guard let lengthName = parameter.lengthFrom?.value, values[lengthName] == nil, let value = measured[parameter.name] else { continue }
            values[lengthName] = RenderValue(value.bytes.count)
        }
    }

    /// `values` with a value for every required parameter of `line` the event does not give
    /// (a message id): the parameter's default, else the lowest of its range or values, else 0.
    func fill(_ line: LineDescriptor, _ values: [String: RenderValue], urc: String) -> [String: RenderValue] {
        var values = values
        for token in line.syntax.tokens {
            guard case .parameter(let name) = token, values[name] == nil, !line.lengthFields.values.contains(name) else { continue }
            let parameter = spec.urc(urc)?.parameters.first { $0.name == name }
            let fallback = parameter?.defaultValue?.value ?? parameter?.range?.value.lowerBound.map(String.init) ?? parameter?.values.first.map { String($0.value) } ?? "0"
            values[name] = RenderValue(fallback)
        }
        return values
    }

    func eventValues(_ bindings: [MQTTFieldBinding], message: MosquittoConnection.Message, slot number: Int, readID: Int?) -> [String: RenderValue] {
        var values: [String: RenderValue] = [:]
        for binding in bindings {
            let name = binding.parameter.value
            let hex = binding.decode?.value == "hex"
            func bytes(_ raw: [UInt8]) -> RenderValue { RenderValue(bytes: hex ? ATHex.encode(raw) : raw) }
            switch binding.field {
            case .client: values[name] = RenderValue(number)
            case .topic: values[name] = bytes(Array(message.topic.utf8))
            case .payload: values[name] = bytes(message.payload)
            case .qos: values[name] = RenderValue(message.qos)
            case .retain: values[name] = RenderValue(message.retain ? 1 : 0)
            case .dup: values[name] = RenderValue(0)
            case .read_id: if let readID { values[name] = RenderValue(readID) }
            case .reason: break
            }
        }
        return values
    }

    /// The answer lines of a buffered read: the read form's information lines that the stored message fills.
    func readOutputs(_ hit: StepHit, form: FormDescriptor?) -> [Output]? {
        guard let mqtt = spec.mqtt, let source = mqtt.buffered.first(where: { $0.read == hit.step }), let descriptor = form else { return nil }
        let number = slotNumber(hit.arguments)
        let stored = slots[number]?.stored ?? []
        let wanted = hit.arguments[.read_id]?.integer
        let ok = Output.final(spec.finalResults.first { $0.kind == "success" }?.syntax.text ?? "OK")
        guard let index = stored.firstIndex(where: { wanted == nil || $0.id == wanted }) else { return [ok] }
        let (id, message) = stored[index]
        slots[number]?.stored.remove(at: index)
        var values = eventValues(source.message + source.fields, message: message, slot: number, readID: id)
        if let command = spec.command(hit.step.command.value) { countLengths(command.parameters, values, into: &values) }
        var outputs: [Output] = []
        for response in descriptor.responses where !Self.hasLiterals(response.syntax.tokens) && LineRenderer.complete(response, values) {
            outputs.append(.raw(LineRenderer.render(response, values)))
        }
        return outputs + [ok]
    }

    static func hasLiterals(_ tokens: [SyntaxToken]) -> Bool {
        tokens.contains { if case .literal = $0 { true } else { false } }
    }
}
