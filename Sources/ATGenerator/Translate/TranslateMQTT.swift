// TranslateMQTT.swift: a spec's `mqtt` section as the module's conformance to ATMQTTModule: capabilities, steps that build and send the typed requests, and URCs as MQTT events.

import ATRuntime
import ATSpec

/// Translates the `mqtt` section of a composed spec.
struct MQTTTranslator {
    /// The composed spec (its base's commands included).
    let composed: Spec
    /// The spec's own items, as the module translator generates them.
    let spec: Spec
    let plan: NamePlan
    let mqtt: MQTTSection

    var module: String { plan.module }

    /// Meaning functions, one per enum or error parameter whose codes a step or URC reports.
    private final class Meanings {
        var functions: [String: (name: String, body: [String])] = [:]
    }
    private let meanings = Meanings()

    func translate() -> SwiftDecl {
        var lines: [String] = ["MQTTProfile<\(module)>("]
        lines.append("    capabilities: " + capabilities() + ",")
        for kind in MQTTOperationKind.allCases {
            let variants = mqtt.operation(kind)?.variants ?? []
            lines.append("    \(kind.rawValue): [")
            for variant in variants {
                lines.append("        MQTTVariant([")
                for step in variant.steps {
                    lines += stepCode(step, operation: kind).map { "            " + $0 }
                }
                lines.append("        ]),")
            }
            lines.append("    ],")
        }
        lines.append("    event: { urc in")
        lines += eventSwitch().map { "        " + $0 }
        lines.append("    },")
        lines.append("    reads: [")
        for source in mqtt.buffered {
            guard let read = source.read else { continue }
            let step = stepCode(read, operation: nil, messages: source.message)
            lines += ["        MQTTRead("] + step.map { "            " + $0 } + ["        ),"]
        }
        lines.append("    ],")
        let outcomes = mqtt.outcomes.flatMap { outcome in outcome.matches.map { "(\(refusal(outcome.kind)), \(codeMatch($0)))" } }
        lines.append("    outcomes: [" + outcomes.joined(separator: ", ") + "]")
        lines.append(")")
        var members: [SwiftMember] = []
        var doc = ["The MQTT client API on \(module)'s own MQTT stack, as the spec's `mqtt` section maps it (``MQTTClient`` drives it)."]
        let prose = DocComments.prose(mqtt.annotations)
        if !prose.isEmpty { doc += [""] + prose }
        doc += [""] + DocComments.sources(mqtt.annotations) + ["- Remark: Generated from \(spec.file), mqtt"]
        members.append(.code(doc.map { $0.isEmpty ? "///" : "/// " + $0 } + ["public static let mqtt: MQTTProfile<\(module)> = " + lines[0]] + lines.dropFirst()))
        if !meanings.functions.isEmpty {
            var functions: [SwiftMember] = []
            for key in meanings.functions.keys.sorted() {
                guard let function = meanings.functions[key] else { continue }
                functions.append(.decl(SwiftDecl(doc: ["The manual's meaning of a `\(key)` code."], "static func \(function.name)(_ value: Int) -> String?", body: [.code(function.body)])))
            }
            members.append(.decl(SwiftDecl(doc: ["The meanings of the codes the MQTT steps and URCs report."], "enum MQTTMeaning", body: functions)))
        }
        return SwiftDecl(doc: [], "extension \(module): ATMQTTModule", body: members)
    }

    // MARK: - Capabilities

    func source(_ annotations: Annotations) -> String {
        Slots.literal(DocComments.cite(annotations.source) ?? spec.file)
    }

    func capabilities() -> String {
        let limit = { (capability: MQTTCapability<Int>) in "MQTTLimit(\(capability.value), source: \(source(capability.annotations)))" }
        let feature = { (capability: MQTTCapability<Bool>) in "MQTTFeature(\(capability.value), source: \(source(capability.annotations)))" }
        return "MQTTCapabilities(module: \(Slots.literal(module)), firstClient: \(mqtt.firstClient), clients: \(limit(mqtt.clients)), maxPayload: \(limit(mqtt.maxPayload)), "
            + "maxTopic: \(mqtt.maxTopic.map(limit) ?? "nil"), maxClientID: \(mqtt.maxClientID.map(limit) ?? "nil"), qos: [\(mqtt.qos.value.map(String.init).joined(separator: ", "))], "
            + "qosSource: \(source(mqtt.qos.annotations)), versions: [\((mqtt.versions?.value ?? []).map(String.init).joined(separator: ", "))], "
            + "versionsSource: \(mqtt.versions.map { source($0.annotations) } ?? "nil"), retain: \(feature(mqtt.retain)), will: \(feature(mqtt.will)), tls: \(feature(mqtt.tls)))"
    }

    func refusal(_ kind: MQTTOutcomeKind) -> String {
        switch kind {
        case .unacceptable_protocol_version: ".unacceptableProtocolVersion"
        case .identifier_rejected: ".identifierRejected"
        case .server_unavailable: ".serverUnavailable"
        case .bad_credentials: ".badCredentials"
        case .not_authorized: ".notAuthorized"
        case .not_connected: "nil"
        }
    }

    func codeMatch(_ match: MQTTCodeMatch) -> String {
        let key = match.table?.value ?? match.parameter?.value ?? ""
        return "MQTTCodeMatch(key: \(Slots.literal(key))\(match.table != nil ? ", isTable: true" : ""), values: [\(match.values.map(String.init).joined(separator: ", "))])"
    }

    // MARK: - Steps

    /// The plan and module that name a command's types: the base's for a base command.
    func owner(of command: Command) -> (plan: NamePlan, module: String, isBase: Bool) {
        guard let origin = command.origin else { return (plan, module, false) }
        return (basePlan(origin), origin, true)
    }

    /// The names of the base module `origin`'s own items, as its own generation gives them.
    func basePlan(_ origin: String) -> NamePlan {
        guard var base = composed.base else { return plan }
        while base.module.name.value != origin, let next = base.base { base = next }
        var own = base
        own.commands = base.ownCommands
        own.urcs = base.ownURCs
        own.finalResults = base.ownFinalResults
        own.bases = []
        return NamePlan(own)
    }

    static func argument(_ argument: MQTTArgument) -> String {
        switch argument {
        case .client: "a.client"
        case .client_id: "a.clientID"
        case .host: "a.host"
        case .port: "a.port"
        case .keep_alive: "a.keepAlive"
        case .clean_session: "a.cleanSession"
        case .username: "a.username"
        case .password: "a.password"
        case .tls: "a.tls"
        case .will_topic: "a.willTopic"
        case .will_payload: "a.willPayload"
        case .will_qos: "a.willQoS"
        case .will_retain: "a.willRetain"
        case .topic: "a.topic"
        case .qos: "a.qos"
        case .payload: "a.payload"
        case .retain: "a.retain"
        case .message_id: "a.messageID"
        case .publish_id: "a.publishID"
        case .read_id: "a.readID"
        case .protocol_version: "a.protocolVersion"
        }
    }

    /// An argument as a non-optional value: an optional one is required (the step's `when` holds it).
    static func present(_ argument: MQTTArgument) -> String {
        argument.isOptional ? "try a.required(\(Self.argument(argument)), \(Slots.literal(argument.rawValue)))" : Self.argument(argument)
    }

    /// Converts `expression`, of `kind`, to the parameter's Swift type.
    static func convert(_ expression: String, _ kind: MQTTArgument.Kind, to parameter: Parameter, swiftType: String) -> String {
        switch parameter.type {
        case .integer, .error:
            return kind == .bool ? "(\(expression) ? 1 : 0)" : expression
        case .enum:
            return "\(swiftType)(rawValue: \(kind == .bool ? "\(expression) ? 1 : 0" : expression))"
        case .flag:
            return kind == .integer ? "(\(expression) != 0)" : expression
        case .hex:
            let bytes = kind == .bytes ? expression : "Array(\(expression).utf8)"
            return "String(decoding: ATHex.encode(\(bytes)), as: UTF8.self)"
        case .data:
            return kind == .string ? "Array(\(expression).utf8)" : expression
        case .string where swiftType == "[UInt8]":
            return kind == .string ? "Array(\(expression).utf8)" : expression
        case .string, .list, .repeated:
            switch kind {
            case .bytes: return "MQTTStepSupport.text(\(expression))"
            case .integer: return "String(\(expression))"
            case .bool: return "(\(expression) ? \"1\" : \"0\")"
            case .string: return expression
            }
        }
    }

    /// The Swift value of a binding for a parameter; `optional` when the slot may be left out.
    func value(_ binding: MQTTBinding, _ parameter: Parameter, swiftType: String, optional: Bool) -> String {
        switch binding.value {
        case .argument(let argument):
            if argument.isOptional, optional {
                let converted = Self.convert("$0", argument.kind, to: parameter, swiftType: swiftType)
                return converted == "$0" ? Self.argument(argument) : "\(Self.argument(argument)).map { \(converted) }"
            }
            return Self.convert(Self.present(argument), argument.kind, to: parameter, swiftType: swiftType)
        case .integer(let number):
            return Self.convert(String(number), .integer, to: parameter, swiftType: swiftType)
        case .bool(let flag):
            return Self.convert(String(flag), .bool, to: parameter, swiftType: swiftType)
        case .string(let text):
            return Self.convert(Slots.literal(text), .string, to: parameter, swiftType: swiftType)
        case .template(let text, _):
            var parts: [String] = []
            var rest = Substring(text)
            while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
                if open > rest.startIndex { parts.append(Slots.literal(String(rest[..<open]))) }
                if let argument = MQTTArgument(rawValue: String(rest[rest.index(after: open)..<close])) {
                    let present = Self.present(argument)
                    parts.append(argument.kind == .string ? present : argument.kind == .bytes ? "MQTTStepSupport.text(\(present))" : "String(\(present))")
                }
                rest = rest[rest.index(after: close)...]
            }
            if !rest.isEmpty { parts.append(Slots.literal(String(rest))) }
            return Self.convert(parts.isEmpty ? "\"\"" : "(" + parts.joined(separator: " + ") + ")", .string, to: parameter, swiftType: swiftType)
        case .fallback(let argument, let text):
            let literal = argument.kind == .bytes ? "Array(\(Slots.literal(text)).utf8)" : Slots.literal(text)
            return Self.convert("(\(Self.argument(argument)) ?? \(literal))", argument.kind, to: parameter, swiftType: swiftType)
        case .mapped(let argument, let map):
            let source = Self.present(argument)
            let number: String
            if argument.kind == .bool {
                let yes = map.first { $0.key == "true" }?.value ?? 1
                let no = map.first { $0.key == "false" }?.value ?? 0
                number = "(\(source) ? \(yes) : \(no))"
            } else {
                number = "([" + map.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "][\(source)] ?? \(source))"
            }
            return Self.convert(number, .integer, to: parameter, swiftType: swiftType)
        }
    }

    /// The lines of one `MQTTStep(...)` element; `messages` maps a buffered read's answer.
    func stepCode(_ step: MQTTStep, operation: MQTTOperationKind?, messages: [MQTTFieldBinding] = []) -> [String] {
        guard let shape = composed.shape(of: step), let syntax = shape.form.syntax.parsed else { return [] }
        let command = shape.command
        let (plan, owningModule, isBase) = owner(of: command)
        let translator = CommandTranslator(spec: spec, plan: plan, command: command, firstFormIndex: 0)
        let commandName = "AT" + (syntax.command ?? command.id)
        let code = { (name: String) in command.parameter(name).map { ParameterCode(parameter: $0, plan: plan, owner: "c:" + command.id) } }
        // The request's initializer arguments.
        var arguments: [String] = []
        for slot in shape.slots {
            guard let parameterCode = code(slot.name) else { continue }
            let parameter = parameterCode.parameter
            var expression: String?
            if let binding = step.bindings.first(where: { $0.parameter.value == slot.name }) {
                expression = value(binding, parameter, swiftType: parameterCode.swiftType, optional: slot.optional)
            } else if parameter.type == .repeated {
                expression = repeatedValue(parameterCode, step)
            }
            if shape.isTagSetting {
                arguments.append(expression ?? "nil")
            } else if let expression {
                arguments.append("\(parameterCode.property): \(expression)")
            }
        }
        let formType = command.formType(shape.form)
        let construction: String
        if shape.isTagSetting {
            let caseName = NamePlan.identifier(SwiftNaming.lowerCamel(shape.form.annotations.swiftName?.value ?? shape.form.name?.value ?? "setting"))
            let labels = shape.slots.compactMap { code($0.name)?.property }
            let associated = arguments.count == 1 ? arguments : zip(labels, arguments).map { "\($0): \($1)" }
            construction = "try \(owningModule).\(plan.commandType(command)).Write(.\(caseName)" + (associated.isEmpty ? "" : "(" + associated.joined(separator: ", ") + ")") + ")"
        } else {
            let throwsParameters = translator.initializerThrows(shape.form)
            construction = (throwsParameters ? "try " : "") + "\(owningModule).\(plan.commandType(command)).\(formType)(" + arguments.joined(separator: ", ") + ")"
        }
        var head = ["MQTTStep(", "    command: \(Slots.literal(commandName)),"]
        if !step.when.isEmpty { head.append("    conditions: [" + step.when.map { Self.condition($0.value) }.joined(separator: ", ") + "],") }
        if step.each { head.append("    each: true,") }
        if !step.accept.isEmpty { head.append("    accept: [" + step.accept.map(codeMatch).joined(separator: ", ") + "],") }
        let fits = fitChecks(step, shape, commandName)
        if !fits.isEmpty {
            head.append("    fit: { a in")
            if fits.count == 1 {
                head.append("        " + fits[0])
            } else {
                head += fits.map { "        if let unfit = \($0) { return unfit }" } + ["        return nil"]
            }
            head.append("    },")
        }
        var body: [String] = []
        let usesArguments = construction.contains("a.")
        body.append("let request = " + construction)
        let codes = codesClosure(shape)
        let sent = "try await MQTTStepSupport.send\(isBase ? "Base" : "")(request, on: engine" + (codes.map { ", codes: \($0)" } ?? "") + ")"
        if messages.isEmpty {
            body += ["_ = " + sent, "return MQTTStepAnswer()"]
        } else {
            body += ["let response = " + sent] + messageLines(messages, shape, plan: plan)
        }
        let parameters = usesArguments || !messages.isEmpty && body.joined().contains("a.") ? "engine, a" : "engine, _"
        return head + ["    run: { \(parameters) in"] + body.map { "        " + $0 } + ["    }", "),"]
    }

    static func condition(_ condition: MQTTCondition) -> String {
        switch condition {
        case .will: ".will"
        case .no_will: ".noWill"
        case .tls: ".tls"
        case .no_tls: ".noTLS"
        case .username: ".username"
        case .password: ".password"
        case .version: ".version"
        }
    }

    /// A repeated parameter whose items the step binds one by one: one group of them.
    func repeatedValue(_ parameterCode: ParameterCode, _ step: MQTTStep) -> String? {
        let items = parameterCode.itemCodes
        guard !items.isEmpty else { return nil }
        var values: [String] = []
        for item in items {
            guard let binding = step.bindings.first(where: { $0.parameter.value == item.parameter.name }) else { return nil }
            values.append(value(binding, item.parameter, swiftType: item.swiftType, optional: false))
        }
        if items.count == 1 { return "[" + values[0] + "]" }
        let labels = zip(items, values).map { "\($0.property): \($1)" }
        return "[" + plan.elementScope(parameterCode.owner) + "." + NamePlan.elementType(parameterCode.parameter) + "(" + labels.joined(separator: ", ") + ")]"
    }

    /// `MQTTStepSupport.…Fit(...)` calls for the bindings that carry the topic or the payload.
    func fitChecks(_ step: MQTTStep, _ shape: MQTTStepShape, _ commandName: String) -> [String] {
        var checks: [String] = []
        for binding in step.bindings {
            guard let argument = binding.value.arguments.first(where: { $0 == .payload || $0 == .topic }), case .argument = binding.value,
                let parameter = shape.parameter(binding.parameter.value)
                ?? shape.command.parameters.first(where: { $0.name == binding.parameter.value })
            else { continue }
            let bytes = argument == .payload ? "a.payload" : "Array(a.topic.utf8)"
            let what = Slots.literal(argument.rawValue)
            let name = Slots.literal("<\(parameter.name)> of \(commandName)")
            let capacity = shape.capacity(of: parameter.name).map(String.init) ?? "nil"
            switch parameter.type {
            case .data:
                let minimum = shape.form.prompt?.length.flatMap { shape.command.parameter($0.value)?.range?.value.lowerBound } ?? parameter.length?.value.lowerBound ?? 0
                checks.append("MQTTStepSupport.dataFit(\(bytes), what: \(what), limit: \(capacity), minimum: \(max(0, minimum)), parameter: \(name))")
            case .hex:
                checks.append("MQTTStepSupport.dataFit(\(bytes), what: \(what), limit: \(shape.capacity(of: parameter.name).map { String($0 / 2) } ?? "nil"), minimum: 0, parameter: \(name))")
            case .string where parameter.lengthFrom == nil:
                let charset = parameter.charset.map { ", charset: " + Slots.literal($0) } ?? ""
                checks.append("MQTTStepSupport.quotedFit(\(bytes), what: \(what), limit: \(capacity)\(charset), parameter: \(name))")
            default:
                continue
            }
        }
        return checks
    }

    /// A closure that reads the codes of the form's result line from its captured fields.
    func codesClosure(_ shape: MQTTStepShape) -> String? {
        var names: [String] = []
        for deferred in shape.form.deferredShapes {
            for name in deferred.syntax.parsed?.parameterNames ?? [] where !names.contains(name) {
                guard let parameter = shape.command.parameter(name), parameter.type == .enum || parameter.type == .error else { continue }
                names.append(name)
            }
        }
        guard !names.isEmpty else { return nil }
        let reads = names.compactMap { name -> String? in
            guard let parameter = shape.command.parameter(name) else { return nil }
            return "MQTTVendorCode.field(\(Slots.literal(name)), in: fields, meaning: \(meaning(parameter, owner: shape.command.id)))"
        }
        return "{ fields in [" + reads.joined(separator: ", ") + "].compactMap { $0 } }"
    }

    /// A function reference that gives the manual's meaning of a code of `parameter`.
    func meaning(_ parameter: Parameter, owner: String) -> String {
        if parameter.type == .error, let table = parameter.table?.value, let found = composed.errorTables.first(where: { $0.id == table }) {
            let key = "table " + table
            if meanings.functions[key] == nil {
                let type = (found.origin ?? module) + "." + plan.errorType(found)
                let name = "table" + SwiftNaming.upperCamel(table)
                meanings.functions[key] = (name, ["\(type)(rawValue: value).text"])
            }
            return "MQTTMeaning." + (meanings.functions[key]?.name ?? "")
        }
        let key = owner + "." + parameter.name
        if meanings.functions[key] == nil {
            let name = NamePlan.identifier(SwiftNaming.lowerCamel(owner.lowercased() + "_" + parameter.name))
            var body = ["switch value {"]
            for value in parameter.values {
                body.append("case \(value.value): \(Slots.literal(value.description ?? value.name ?? String(value.value)))")
            }
            body += ["default: nil", "}"]
            if parameter.values.isEmpty { body = ["_ = value", "return nil"] }
            meanings.functions[key] = (name, body)
        }
        return "MQTTMeaning." + (meanings.functions[key]?.name ?? "")
    }

    /// The statements that build a buffered read's messages from its typed answer.
    func messageLines(_ fields: [MQTTFieldBinding], _ shape: MQTTStepShape, plan: NamePlan) -> [String] {
        let form = shape.form
        var lets: [(name: String, expression: String, optional: Bool, field: MQTTFieldBinding, parameter: Parameter)] = []
        for field in fields {
            guard let index = form.responses.firstIndex(where: { ($0.syntax.parsed?.parameterNames ?? []).contains(field.parameter.value) }),
                let parameter = shape.command.parameter(field.parameter.value), let syntax = form.responses[index].syntax.parsed
            else { continue }
            let line = form.responses[index]
            let property = shape.command.responseLineProperty(form, index)
            let slotOptional = Slots.of(syntax.tokens).slots.first { $0.name == parameter.name }?.isOptional ?? false
            let fieldProperty = NamePlan.property(parameter)
            let expression: String
            let optional: Bool
            if line.repeats {
                expression = "response.\(property).first?.\(fieldProperty)"
                optional = true
            } else if CommandTranslator.alwaysSent(line, of: form) {
                expression = "response.\(property).\(fieldProperty)"
                optional = slotOptional
            } else {
                expression = "response.\(property)?.\(fieldProperty)"
                optional = true
            }
            lets.append((field.field.rawValue, expression, optional, field, parameter))
        }
        var lines: [String] = []
        let required = lets.filter { $0.field.field == .topic || $0.field.field == .payload }
        for item in lets where !(item.optional && required.contains { $0.name == item.name }) {
            lines.append("let \(item.name) = \(item.expression)")
        }
        let guarded = required.filter(\.optional)
        if !guarded.isEmpty {
            lines.append("guard " + guarded.map { "let \($0.name) = \($0.expression)" }.joined(separator: ", ") + " else { return MQTTStepAnswer() }")
        }
        func named(_ field: MQTTEventField) -> (name: String, optional: Bool, parameter: Parameter?, decode: Bool)? {
            lets.first { $0.field.field == field }.map { item in (item.name, item.optional && !required.contains { $0.name == item.name }, item.parameter, item.field.decode != nil) }
        }
        lines.append("return MQTTStepAnswer(messages: [" + message(named) + "])")
        return lines
    }

    /// `MQTTMessage(...)` from the named values.
    func message(_ named: (MQTTEventField) -> (name: String, optional: Bool, parameter: Parameter?, decode: Bool)?) -> String {
        func bytes(_ field: MQTTEventField) -> String {
            guard let value = named(field) else { return "[]" }
            if value.decode { return "MQTTStepSupport.hexBytes(\(value.name)) ?? MQTTStepSupport.bytes(\(value.name))" }
            return "MQTTStepSupport.bytes(\(value.name))"
        }
        func number(_ field: MQTTEventField) -> String? {
            guard let value = named(field) else { return nil }
            if value.parameter?.type == .enum { return value.name + (value.optional ? "?" : "") + ".rawValue" }
            if value.parameter?.type == .flag { return "(\(value.name)\(value.optional ? ".map { $0 ? 1 : 0 }" : " ? 1 : 0"))" }
            return value.name
        }
        func flag(_ field: MQTTEventField) -> String? {
            guard let value = named(field) else { return nil }
            if value.parameter?.type == .flag { return value.name }
            if value.parameter?.type == .enum { return "\(value.name)\(value.optional ? "?" : "").rawValue\(value.optional ? ".map { $0 != 0 }" : " != 0")" }
            return value.optional ? "\(value.name).map { $0 != 0 }" : "(\(value.name) != 0)"
        }
        var arguments = ["topic: \(bytes(.topic))", "payload: \(bytes(.payload))"]
        if let qos = number(.qos) { arguments.append("qos: \(qos)") }
        if let retain = flag(.retain) { arguments.append("retain: \(retain)") }
        if let dup = flag(.dup) { arguments.append("duplicate: \(dup)") }
        return "MQTTMessage(" + arguments.joined(separator: ", ") + ")"
    }

    // MARK: - Events

    func eventSwitch() -> [String] {
        var cases: [String] = []
        var unconditional: Set<String> = []
        func add(_ source: MQTTEventSource, _ build: (URC, [String: (expression: String, optional: Bool, parameter: Parameter?)]) -> String) {
            guard let urc = composed.urc(source.urc.value) else { return }
            let isBase = urc.origin != nil
            let urcPlan = isBase ? owner(ofURC: urc) : plan
            let caseName = urcPlan.urcCase(urc)
            var values: [String: (expression: String, optional: Bool, parameter: Parameter?)] = [:]
            let slots = urc.lines.flatMap { $0.parsed.map { Slots.of($0.tokens).slots } ?? [] }
            for field in source.fields {
                let parameter = urc.parameters.first { $0.name == field.parameter.value }
                let property = parameter.map(NamePlan.property) ?? NamePlan.identifier(SwiftNaming.lowerCamel(field.parameter.value))
                let optional = slots.first { $0.name == field.parameter.value }?.isOptional ?? false
                values[field.field.rawValue] = ("u." + property, optional, parameter)
            }
            var conditions: [String] = []
            for match in source.when {
                guard let name = match.parameter?.value, let parameter = urc.parameters.first(where: { $0.name == name }) else { continue }
                let property = "u." + NamePlan.property(parameter)
                let optional = slots.first { $0.name == name }?.isOptional ?? false
                let number = parameter.type == .enum || parameter.type == .error ? property + (optional ? "?" : "") + ".rawValue" : property
                conditions.append(match.values.count == 1 ? "\(number) == \(match.values[0])" : "[\(match.values.map(String.init).joined(separator: ", "))].contains(\(number))")
            }
            let binding = hasFields(urc) ? "(let u)" : ""
            var pattern = ".\(caseName)\(binding)"
            if isBase { pattern = ".base(\(pattern))" }
            if conditions.isEmpty { unconditional.insert(urc.id) }
            let uses = build(urc, values)
            let boundPattern = uses.contains("u.") || uses.contains("typed: u") || !conditions.isEmpty ? pattern : (isBase ? ".base(.\(caseName))" : ".\(caseName)")
            cases.append("case \(boundPattern)\(conditions.isEmpty ? "" : " where " + conditions.joined(separator: " && ")):")
            cases.append("    return " + uses)
        }
        func client(_ values: [String: (expression: String, optional: Bool, parameter: Parameter?)]) -> String {
            guard let value = values["client"] else { return String(mqtt.firstClient) }
            let number = value.parameter?.type == .enum ? value.expression + (value.optional ? "?" : "") + ".rawValue" : value.expression
            return value.optional ? "\(number) ?? \(mqtt.firstClient)" : number
        }
        for source in mqtt.messages {
            add(source) { _, values in
                let named: (MQTTEventField) -> (name: String, optional: Bool, parameter: Parameter?, decode: Bool)? = { field in
                    guard let value = values[field.rawValue] else { return nil }
                    let decode = source.fields.first { $0.field == field }?.decode != nil
                    return (value.expression, value.optional, value.parameter, decode)
                }
                return ".message(client: \(client(values)), \(message(named)))"
            }
        }
        for (index, source) in mqtt.buffered.enumerated() {
            add(source) { _, values in
                let readID = values["read_id"].map { $0.parameter?.type == .enum ? $0.expression + ".rawValue" : $0.expression } ?? "nil"
                return ".waiting(client: \(client(values)), readID: \(readID), source: \(index))"
            }
        }
        for source in mqtt.connectionLost {
            add(source) { urc, values in
                let slots = urc.lines.flatMap { $0.parsed.map { Slots.of($0.tokens).slots } ?? [] }
                let codes = urc.parameters.compactMap { parameter -> String? in
                    guard parameter.type == .enum || parameter.type == .error, slots.contains(where: { $0.name == parameter.name && !$0.isOptional }) else { return nil }
                    let property = "u." + NamePlan.property(parameter)
                    let meaning = parameter.type == .error ? "\(property).text" : "\(self.meaning(parameter, owner: urc.id))(\(property).rawValue)"
                    return "MQTTVendorCode(key: \(Slots.literal(parameter.name)), value: \(property).rawValue, meaning: \(meaning))"
                }
                var prefix = Substring(urc.lines.first?.parsed?.prefix ?? urc.id)
                while let last = prefix.last, last == ":" || last == " " { prefix = prefix.dropLast() }
                let typed = hasFields(urc) ? ", typed: u" : ""
                return ".connectionLost(client: \(client(values)), MQTTVendorResult(command: \(Slots.literal(String(prefix))), codes: [\(codes.joined(separator: ", "))]\(typed)))"
            }
        }
        // A module whose URCs the section maps without conditions, all of them, needs no default.
        let everyURC = spec.urcs.allSatisfy { unconditional.contains($0.id) } && composed.base == nil
        return ["switch urc {"] + cases + (everyURC ? [] : ["default:", "    return nil"]) + ["}"]
    }

    /// True when the URC's case carries a payload struct.
    func hasFields(_ urc: URC) -> Bool {
        if let syntax = urc.syntax { return !(syntax.parsed?.parameterNames.isEmpty ?? true) }
        return !urc.parts.isEmpty
    }

    func owner(ofURC urc: URC) -> NamePlan {
        urc.origin.map(basePlan) ?? plan
    }
}

extension CommandTranslator {
    /// True when the form's request initializer checks its values (and so throws).
    func initializerThrows(_ form: Form) -> Bool {
        guard let syntax = form.syntax.parsed else { return false }
        if tagForms.contains(form) { return true }
        let (slots, groups) = Slots.of(syntax.tokens)
        let prompt = form.prompt
        var arguments: [(code: ParameterCode, optional: Bool)] = slots.compactMap { slot in
            guard slot.name != prompt?.length?.value, let code = code(slot.name) else { return nil }
            return (code, slot.isOptional)
        }
        if let prompt, let data = code(prompt.data.value) { arguments.append((data, false)) }
        let validation = checks(arguments, slots: slots, groups: groups, prompt: prompt) + constraintChecks(constraints(of: form, arguments: arguments), arguments: arguments)
        return !validation.isEmpty
    }
}
