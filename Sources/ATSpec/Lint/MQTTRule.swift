// MQTTRule.swift: a spec's `mqtt` section names commands, forms, parameters and URCs that exist, binds values that fit, and covers what it claims.

import ATRuntime

/// `mqtt-mapping`: every step names a command and a form of the spec (its base included), binds
/// only that form's parameters, every parameter the form needs, values of the parameter's type
/// and range, and optional arguments only under a `when` that guarantees them; every operation of
/// the client API is mapped; what the capabilities claim (a will, TLS, retain, QoS levels, the
/// largest payload and topic, the client slots) some step carries; `$password` goes only to a
/// secret parameter; the URCs of messages,
/// buffered messages and connection losses exist and have the fields named.
struct MQTTRule: LintRule {
    let id = "mqtt-mapping"

    func check(_ spec: Spec, into sink: inout DiagnosticSink) {
        guard let mqtt = spec.mqtt else { return }
        for kind in MQTTOperationKind.allCases where mqtt.operation(kind) == nil {
            sink.error(id, "mqtt maps no '\(kind.rawValue)' operation; the client needs connect, disconnect, subscribe, unsubscribe and publish", at: mqtt.location)
        }
        if mqtt.clients.value < 1 { sink.error(id, "mqtt.clients must be at least 1", at: mqtt.clients.location) }
        for operation in mqtt.operations {
            for variant in operation.variants {
                if variant.steps.isEmpty { sink.error(id, "a variant of '\(operation.kind.rawValue)' has no steps", at: variant.location) }
                for step in variant.steps { checkStep(step, allowed: operation.kind.arguments, operation: operation.kind, spec, mqtt, &sink) }
            }
        }
        checkClaims(spec, mqtt, &sink)
        for source in mqtt.messages {
            checkEvent(source, spec, required: [.topic, .payload], &sink)
        }
        for source in mqtt.messages + mqtt.buffered {
            if let enabled = source.enabledBy { checkStep(enabled, allowed: [.client], operation: nil, spec, mqtt, &sink) }
        }
        for source in mqtt.connectionLost {
            checkEvent(source, spec, required: [], &sink)
        }
        for source in mqtt.buffered {
            checkEvent(source, spec, required: [], &sink)
            guard let read = source.read else { continue }
            checkStep(read, allowed: [.client, .read_id], operation: nil, spec, mqtt, &sink)
            if read.bindings.contains(where: { $0.value.arguments.contains(.read_id) }), !source.fields.contains(where: { $0.field == .read_id }) {
                sink.error(id, "the read binds $read_id but URC '\(source.urc.value)' gives no 'read_id' field", at: read.location)
            }
            guard let shape = spec.shape(of: read) else { continue }
            let answered = Set(shape.form.responses.flatMap { $0.syntax.parsed?.parameterNames ?? [] })
            for field in source.message where !answered.contains(field.parameter.value) {
                sink.error(id, "no information line of \(read.command.value) (\(read.form.value)) has a parameter '\(field.parameter.value)'", at: field.parameter.location)
            }
            for field in [MQTTEventField.topic, .payload] where !source.message.contains(where: { $0.field == field }) {
                sink.error(id, "the buffered message of URC '\(source.urc.value)' names no '\(field.rawValue)' in 'message'", at: source.location)
            }
        }
        for outcome in mqtt.outcomes {
            for match in outcome.matches { checkMatch(match, parameters: nil, spec, &sink) }
        }
    }

    func checkStep(_ step: MQTTStep, allowed: Set<MQTTArgument>, operation: MQTTOperationKind?, _ spec: Spec, _ mqtt: MQTTSection, _ sink: inout DiagnosticSink) {
        guard let command = spec.command(step.command.value) else {
            var message = "mqtt step names command '\(step.command.value)', which the spec does not define"
            if let suggestion = Suggest.nearest(to: step.command.value, in: spec.commands.map(\.id)) { message += "; did you mean '\(suggestion)'?" }
            sink.error(id, message, at: step.command.location)
            return
        }
        guard let form = command.form(named: step.form.value) else {
            let names = command.forms.map { $0.name?.value ?? $0.kind.rawValue }
            sink.error(id, "command '\(command.id)' has no form '\(step.form.value)' that one name picks; its forms are \(names.joined(separator: ", "))", at: step.form.location)
            return
        }
        guard form.kind != .test else {
            sink.error(id, "a test form (\(form.syntax.text)) carries out no MQTT operation", at: step.form.location)
            return
        }
        let shape = MQTTStepShape(command: command, form: form)
        let conditions = Set(step.when.map(\.value))
        if step.each, operation != .subscribe, operation != .unsubscribe {
            sink.error(id, "'each: topic' belongs to subscribe and unsubscribe steps", at: step.location)
        }
        // The items of a repeated parameter (`<topic>`,`<qos>` of `<subscriptions>`) are bound one
        // by one: the step sends one group of them.
        var bindable = shape.slots
        for slot in shape.slots {
            guard let parameter = command.parameter(slot.name), parameter.type == .repeated else { continue }
            bindable += parameter.items.map { ($0.value, slot.optional) }
        }
        for binding in step.bindings {
            guard let slot = bindable.first(where: { $0.name == binding.parameter.value }), let parameter = command.parameter(binding.parameter.value) else {
                var message = "form \(form.syntax.text) has no parameter '\(binding.parameter.value)' to bind"
                if binding.parameter.value == form.prompt?.length?.value { message = "'\(binding.parameter.value)' is the length of the data after the prompt; the client sends the data's length" }
                if let suggestion = Suggest.nearest(to: binding.parameter.value, in: bindable.map(\.name)) { message += "; did you mean '\(suggestion)'?" }
                sink.error(id, message, at: binding.parameter.location)
                continue
            }
            for argument in binding.value.arguments {
                if !allowed.contains(argument) {
                    sink.error(id, "$\(argument.rawValue) is not a value of \(operation.map { "the '\($0.rawValue)' operation" } ?? "a buffered read"); it has \(allowed.map { "$" + $0.rawValue }.sorted().joined(separator: ", "))", at: binding.location)
                }
                if argument.isPerTopic, operation == .subscribe || operation == .unsubscribe, !step.each {
                    sink.error(id, "$\(argument.rawValue) is a value of each topic: the step needs 'each: topic'", at: binding.location)
                }
                if argument.isOptional, !slot.optional, argument.guaranteedBy.isDisjoint(with: conditions), !isFallback(binding.value) {
                    sink.error(id, "$\(argument.rawValue) may be left out by the caller, but '\(binding.parameter.value)' is required: give the step 'when: \(argument.guaranteedBy.map(\.rawValue).sorted().joined(separator: ", "))'", at: binding.location)
                }
            }
            if binding.value.arguments.contains(.password), !parameter.secret {
                sink.error(id, "'\(parameter.name)' takes $password but is not 'secret: true': the password would show in logs and errors", at: binding.location)
            }
            checkFit(binding, parameter, spec, &sink)
        }
        let bound = Set(step.bindings.map(\.parameter.value))
        for slot in shape.slots where !slot.optional && !bound.contains(slot.name) {
            if let parameter = command.parameter(slot.name), parameter.type == .repeated, !parameter.items.isEmpty, parameter.items.allSatisfy({ bound.contains($0.value) }) { continue }
            sink.error(id, "the step does not bind '\(slot.name)', which \(form.syntax.text) needs", at: step.location)
        }
        let resultParameters = Set(form.deferredShapes.flatMap { $0.syntax.parsed?.parameterNames ?? [] })
        for match in step.accept { checkMatch(match, parameters: resultParameters, spec, &sink) }
    }

    func isFallback(_ value: MQTTValue) -> Bool {
        if case .fallback = value { return true }
        return false
    }

    /// The value fits the parameter: its type, and for numbers its range or values.
    func checkFit(_ binding: MQTTBinding, _ parameter: Parameter, _ spec: Spec, _ sink: inout DiagnosticSink) {
        let name = "'\(parameter.name)' (\(parameter.type.rawValue))"
        func mismatch(_ what: String) {
            sink.error(id, "\(what) does not fit \(name)", at: binding.location)
        }
        func checkNumber(_ value: Int) {
            if parameter.type == .enum, !parameter.values.isEmpty, !parameter.values.contains(where: { $0.value == value }) {
                sink.error(id, "\(value) is not one of the values of \(name): \(parameter.values.map { String($0.value) }.joined(separator: ", "))", at: binding.location)
            } else if let range = parameter.range?.value, !range.contains(value) {
                sink.error(id, "\(value) is outside the range \(range.text) of \(name)", at: binding.location)
            } else if parameter.type == .flag, !(0...1).contains(value) {
                sink.error(id, "\(value) is not 0 or 1, as flag \(name) takes", at: binding.location)
            }
        }
        let numeric = [ParameterType.integer, .enum, .flag].contains(parameter.type)
        let textual = [ParameterType.string, .hex].contains(parameter.type)
        switch binding.value {
        case .argument(let argument):
            switch argument.kind {
            case .integer: if !numeric { mismatch("$\(argument.rawValue), a number,") }
            case .bool: if parameter.type != .flag && parameter.type != .integer && parameter.type != .enum { mismatch("$\(argument.rawValue), true or false,") }
            case .string: if !(textual || parameter.type == .data) { mismatch("$\(argument.rawValue), a string,") }
            case .bytes: if !(textual || parameter.type == .data) { mismatch("$\(argument.rawValue), bytes,") }
            }
            if argument.kind == .bool, parameter.type == .enum, parameter.values.contains(where: { !(0...1).contains($0.value) }) && !parameter.values.contains(where: { $0.value == 0 }) {
                mismatch("$\(argument.rawValue), sent as 0 or 1,")
            }
        case .integer(let value):
            if numeric { checkNumber(value) } else if !textual { mismatch("the number \(value)") }
        case .bool(let value):
            if numeric { checkNumber(value ? 1 : 0) } else { mismatch("\(value)") }
        case .string(let text):
            if !textual { mismatch("the string '\(text)'") }
            if let length = parameter.length?.value, !length.contains(text.utf8.count) {
                sink.error(id, "'\(text)' is \(text.utf8.count) bytes, outside the length \(length.text) of \(name)", at: binding.location)
            }
        case .template(let text, _):
            if !textual { mismatch("the template '\(text)'") }
            if let scheme = parameter.format?.scheme, !text.hasPrefix(scheme) {
                sink.error(id, "'\(text)' does not begin with \(scheme), as \(name) must", at: binding.location)
            }
        case .fallback(let argument, let text):
            if argument.kind == .integer || argument.kind == .bool || !(textual || parameter.type == .data) { mismatch("$\(argument.rawValue) or '\(text)'") }
            if let length = parameter.length?.value, !length.contains(text.utf8.count) {
                sink.error(id, "the default '\(text)' is \(text.utf8.count) bytes, outside the length \(length.text) of \(name)", at: binding.location)
            }
        case .mapped(let argument, let map):
            if !numeric { mismatch("a mapped $\(argument.rawValue)") }
            for entry in map { checkNumber(entry.value) }
            if argument.kind == .bool, Set(map.map(\.key)) != ["true", "false"] {
                sink.error(id, "the map of $\(argument.rawValue) gives a number for both true and false", at: binding.location)
            }
        }
    }

    func checkMatch(_ match: MQTTCodeMatch, parameters: Set<String>?, _ spec: Spec, _ sink: inout DiagnosticSink) {
        if let table = match.table {
            guard let found = spec.errorTables.first(where: { $0.id == table.value }) else {
                sink.error(id, "error table '\(table.value)' is not defined", at: table.location)
                return
            }
            for value in match.values where !found.codes.contains(where: { $0.code == value }) {
                sink.error(id, "error table '\(table.value)' has no code \(value)", at: match.location)
            }
        }
        if let parameter = match.parameter, let parameters, !parameters.contains(parameter.value) {
            sink.error(id, "the step's result line has no parameter '\(parameter.value)'", at: parameter.location)
        }
    }

    func checkEvent(_ source: MQTTEventSource, _ spec: Spec, required: [MQTTEventField], _ sink: inout DiagnosticSink) {
        guard let urc = spec.urc(source.urc.value) else {
            var message = "URC '\(source.urc.value)' is not defined"
            if let suggestion = Suggest.nearest(to: source.urc.value, in: spec.urcs.map(\.id)) { message += "; did you mean '\(suggestion)'?" }
            sink.error(id, message, at: source.urc.location)
            return
        }
        let names = Set(urc.lines.flatMap { $0.parsed?.parameterNames ?? [] } + urc.parts.compactMap { $0.dataInto?.value })
        for field in source.fields where !names.contains(field.parameter.value) {
            sink.error(id, "URC '\(urc.id)' has no parameter or data '\(field.parameter.value)'", at: field.parameter.location)
        }
        for field in required where !source.fields.contains(where: { $0.field == field }) {
            sink.error(id, "URC '\(urc.id)' is mapped without its '\(field.rawValue)'", at: source.location)
        }
        for match in source.when {
            if let parameter = match.parameter, !names.contains(parameter.value) {
                sink.error(id, "URC '\(urc.id)' has no parameter '\(parameter.value)'", at: parameter.location)
            }
        }
    }

    /// What the capabilities claim, some step carries.
    func checkClaims(_ spec: Spec, _ mqtt: MQTTSection, _ sink: inout DiagnosticSink) {
        func binds(_ operation: MQTTOperationKind, _ argument: MQTTArgument) -> Bool {
            mqtt.operation(operation)?.variants.contains { $0.steps.contains { $0.bindings.contains { $0.value.arguments.contains(argument) } } } ?? false
        }
        if mqtt.will.value, !binds(.connect, .will_topic) || !binds(.connect, .will_payload) {
            sink.error(id, "mqtt claims a will, but no connect step binds $will_topic and $will_payload", at: mqtt.will.location)
        }
        if !mqtt.will.value, binds(.connect, .will_topic) {
            sink.error(id, "mqtt.will is false, but a connect step binds $will_topic", at: mqtt.will.location)
        }
        let usesTLS = binds(.connect, .tls) || (mqtt.operation(.connect)?.variants.contains { $0.steps.contains { $0.when.contains { $0.value == .tls } } } ?? false)
        if mqtt.tls.value, !usesTLS {
            sink.error(id, "mqtt claims TLS, but no connect step binds $tls or runs 'when: tls'", at: mqtt.tls.location)
        }
        if mqtt.retain.value, let publish = mqtt.operation(.publish), publish.variants.contains(where: { !$0.steps.contains { $0.bindings.contains { $0.value.arguments.contains(.retain) } } }) {
            sink.error(id, "mqtt claims retain, but a publish variant does not bind $retain", at: mqtt.retain.location)
        }
        if let versions = mqtt.versions, !versions.value.isEmpty, !binds(.connect, .protocol_version) {
            sink.error(id, "mqtt.versions lets the caller choose the MQTT version, but no connect step binds $protocol_version", at: versions.location)
        }
        if mqtt.versions == nil, binds(.connect, .protocol_version) {
            sink.error(id, "a connect step binds $protocol_version, but mqtt.versions does not say which versions the module takes", at: mqtt.location)
        }
        if mqtt.qos.value.isEmpty || !mqtt.qos.value.contains(0) {
            sink.error(id, "mqtt.qos lists the QoS levels the module takes, 0 among them", at: mqtt.qos.location)
        }
        if let publish = mqtt.operation(.publish) {
            var largest = 0
            for variant in publish.variants where variant.steps.allSatisfy({ spec.shape(of: $0) != nil }) {
                var carried = false
                for step in variant.steps {
                    guard let shape = spec.shape(of: step) else { continue }
                    for binding in step.bindings where binding.value.arguments.contains(.payload) {
                        carried = true
                        largest = max(largest, shape.capacity(of: binding.parameter.value) ?? Int.max)
                    }
                }
                if !carried { sink.error(id, "a publish variant does not bind $payload", at: variant.location) }
                if mqtt.qos.value.contains(where: { $0 > 0 }), !variant.steps.contains(where: { $0.bindings.contains { $0.value.arguments.contains(.qos) } }) {
                    sink.error(id, "mqtt claims QoS above 0, but a publish variant does not bind $qos", at: variant.location)
                }
            }
            if largest < mqtt.maxPayload.value {
                sink.error(id, "mqtt.limits.payload claims \(mqtt.maxPayload.value) bytes, but no publish variant carries more than \(largest)", at: mqtt.maxPayload.location)
            }
        }
        // The client slots fit every parameter $client is bound to.
        let last = mqtt.firstClient + mqtt.clients.value - 1
        for step in mqtt.allSteps {
            guard let shape = spec.shape(of: step) else { continue }
            for binding in step.bindings where binding.value == .argument(.client) {
                guard let range = shape.parameter(binding.parameter.value)?.range?.value else { continue }
                if !range.contains(mqtt.firstClient) || !range.contains(last) {
                    sink.error(id, "mqtt.clients numbers the slots \(mqtt.firstClient)-\(last), outside the range \(range.text) of '\(binding.parameter.value)'", at: binding.location)
                }
            }
        }
    }
}
