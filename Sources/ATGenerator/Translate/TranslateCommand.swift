// TranslateCommand.swift: a command as a namespace of request types, one per form, with their responses.

import ATRuntime
import ATSpec

/// Translates one command.
struct CommandTranslator {
    let spec: Spec
    let plan: NamePlan
    let command: Command
    /// The index of the command's first form in the module descriptor's `forms`.
    let firstFormIndex: Int

    var owner: String { "c:" + command.id }
    var typeName: String { plan.commandType(command) }
    var qualified: String { plan.module + "." + typeName }

    func code(_ name: String) -> ParameterCode? {
        command.parameter(name).map { ParameterCode(parameter: $0, plan: plan, owner: owner) }
    }

    /// The tag-selected write forms (`AT+SMCONF="URL",...`), when they can share one request type:
    /// the same information lines, no prompt, and one deferred result (or none) between them.
    var tagForms: [Form] { NamePlan.tagForms(command) }

    /// The tag form whose answer types the whole group: one with a deferred result, if any has one.
    func tagTemplate(_ forms: [Form]) -> Form? {
        forms.first { $0.deferred != nil } ?? forms.first
    }

    func translate() -> SwiftDecl {
        var members: [SwiftMember] = []
        for (name, parameter) in plan.commandEnums[command.id] ?? [] {
            members.append(.decl(EnumTranslator.valueEnum(name: name, parameter: parameter)))
        }
        for parameter in command.parameters where parameter.type == .repeated && parameter.items.count > 1 {
            members.append(.decl(EnumTranslator.elementStruct(ParameterCode(parameter: parameter, plan: plan, owner: owner))))
        }
        let tags = tagForms
        for (offset, form) in command.forms.enumerated() where !tags.contains(form) {
            members += translate(form, index: firstFormIndex + offset)
        }
        if !tags.isEmpty {
            members += translateTagGroup(tags)
        }
        var doc = ["`AT\(command.forms.first?.syntax.parsed?.command ?? command.id)`: \(command.title)."]
        let prose = DocComments.prose(command.annotations)
        if !prose.isEmpty { doc += [""] + prose }
        var facts = DocComments.sources(command.annotations)
        if let time = command.maxResponseTime { facts.insert("- Remark: maximum response time " + DocComments.responseTime(time) + " (\(DocComments.cite(time.annotations.source) ?? "spec")).", at: 0) }
        if command.scope == "auxiliary" { facts.append("- Remark: auxiliary: used by the documents' examples, defined in a manual that is not among the sources.") }
        facts.append("- Remark: Generated from \(spec.file), commands.\(command.id)")
        doc += [""] + facts
        return SwiftDecl(doc: doc, "public enum \(typeName)", body: members)
    }

    // MARK: - One form

    func translate(_ form: Form, index: Int) -> [SwiftMember] {
        guard let syntax = form.syntax.parsed else { return [] }
        let typeName = NamePlan.formType(form, in: command)
        let (slots, groups) = Slots.of(syntax.tokens)
        let prompt = form.prompt
        let lengthParameter = prompt?.length?.value
        var arguments: [(code: ParameterCode, optional: Bool)] = slots.compactMap { slot in
            guard slot.name != lengthParameter, let code = code(slot.name) else { return nil }
            return (code, slot.isOptional)
        }
        if let prompt, let data = code(prompt.data.value) {
            arguments.append((data, false))
        }
        var members: [SwiftMember] = []
        for (code, optional) in arguments {
            members.append(.decl(SwiftDecl(doc: DocComments.parameter(code.parameter), "public let \(code.property): \(code.swiftType)\(optional ? "?" : "")")))
        }
        // Initializer with checks.
        let validation = checks(arguments, slots: slots, groups: groups, prompt: prompt) + constraintChecks(constraints(of: form, arguments: arguments), arguments: arguments)
        let signature = arguments.map { "\($0.code.property): \($0.code.swiftType)\($0.optional ? "? = nil" : "")" }.joined(separator: ", ")
        var initBody: [String] = []
        if !validation.isEmpty {
            initBody.append("let validator = ATValidator(command: \(Slots.literal("AT" + (syntax.command ?? ""))), source: \(Slots.literal(DocComments.sourceText(spec, form.annotations.source ?? command.annotations.source))))")
            initBody += validation
        }
        initBody += arguments.map { "self.\($0.code.property) = \($0.code.property)" }
        var initDoc = ["Builds `\(form.syntax.text)`."]
        if !validation.isEmpty { initDoc += ["", "- Throws: ``ATParameterError`` naming the parameter, the value and what the manual allows."] }
        members.append(.decl(SwiftDecl(doc: initDoc, "public init(\(signature))\(validation.isEmpty ? "" : " throws(ATParameterError)")", body: initBody.isEmpty ? [] : [.code(initBody)])))
        members += requestPlumbing(form, syntax: syntax, index: index, typeName: typeName, arguments: arguments, prompt: prompt, bodyLines: encode(syntax.tokens, prompt: prompt))
        var decls: [SwiftMember] = [.decl(SwiftDecl(doc: formDoc(form), "public struct \(typeName): ATRequest", body: [plan.moduleAlias] + members))]
        decls += responseTypes(form, typeName: typeName)
        return decls
    }

    func formDoc(_ form: Form) -> [String] {
        var doc = ["`\(form.syntax.text)`" + (form.annotations.asPrinted.map { " (printed `\($0)`)" } ?? "")]
        let prose = DocComments.prose(form.annotations)
        if !prose.isEmpty { doc += [""] + prose }
        var facts = DocComments.sources(form.annotations)
        if let prompt = form.prompt {
            let data = code(prompt.data.value)?.property ?? prompt.data.value
            if let length = prompt.length {
                let counts = prompt.lengthCounts == "digits" ? "hex digit count" : "byte count"
                facts.append("- Remark: the module prompts with `\(prompt.text)`; `\(data)` is sent after it (\(prompt.encoding)); `<\(length.value)>` is its \(counts).")
            } else {
                facts.append("- Remark: the module prompts with `\(prompt.text)`; `\(data)` is sent after it (\(prompt.encoding)), ended by Ctrl-Z" + (prompt.cancel == nil ? "." : "; ESC cancels it."))
            }
        }
        for deferred in form.deferredShapes { facts.append("- Remark: its result `\(deferred.syntax.text)` comes \(deferred.order == .either ? "before or after" : deferred.order.rawValue) the final result.") }
        if let time = form.maxResponseTime { facts.append("- Remark: maximum response time " + DocComments.responseTime(time) + ".") }
        if !facts.isEmpty { doc += [""] + facts }
        return doc
    }

    /// Checks of every argument, plus the rule that an inner optional needs its outer one.
    func checks(_ arguments: [(code: ParameterCode, optional: Bool)], slots: [Slot], groups: [Int: [String]], prompt: Prompt?) -> [String] {
        var lines: [String] = []
        let lengthRange = prompt.flatMap { $0.length.flatMap { command.parameter($0.value)?.range?.value } }
        for (code, optional) in arguments {
            let isData = code.parameter.name == prompt?.data.value
            var checks = code.checks(code.property, lengthRange: isData && prompt?.lengthCounts != "digits" ? lengthRange : nil)
            if isData, let prompt, prompt.end != nil {
                checks.append("try validator.terminated(\(code.property), \(Slots.literal(code.parameter.name)), terminator: 0x1A, cancel: \(prompt.cancel == nil ? "nil" : "0x1B"))")
            }
            guard !checks.isEmpty else { continue }
            if optional {
                lines.append("if let \(code.property) {")
                lines += checks.map { "    " + $0 }
                lines.append("}")
            } else {
                lines += checks
            }
        }
        for slot in slots where slot.groups.count > 0 {
            guard let mine = code(slot.name), slot.name != prompt?.length?.value else { continue }
            // An optional parameter needs the parameters of every group around it.
            var needs: [String] = []
            for group in slot.groups {
                for other in groups[group] ?? [] where other != slot.name && other != prompt?.length?.value && !needs.contains(other) {
                    needs.append(other)
                }
            }
            for other in needs {
                guard let otherCode = code(other) else { continue }
                lines.append("if \(mine.property) != nil { try validator.requires(\(otherCode.property) != nil, \(Slots.literal(slot.name)), \(Slots.literal(other))) }")
            }
        }
        return lines
    }

    /// Statements that write the command line into `w`.
    func encode(_ tokens: [SyntaxToken], prompt: Prompt?) -> [String] {
        var lines: [String] = []
        for token in tokens {
            switch token {
            case .comma: lines.append("w.comma()")
            case .literal(let text): lines.append("w.literal(\(Slots.literal(text)))")
            case .quotedLiteral(let text): lines.append("w.literal(\(Slots.literal("\"" + text + "\"")))")
            case .valueList(let text): lines.append("w.literal(\(Slots.literal("(" + text + ")")))")
            case .parameterList(let name):
                if let code = code(name) { lines += ["w.literal(\"(\")", code.write(code.property), "w.literal(\")\")"] }
            case .parameter(let name):
                if let prompt, name == prompt.length?.value, let data = code(prompt.data.value) {
                    lines.append("w.integer(\(data.property).count\(prompt.lengthCounts == "digits" ? " * 2" : ""))")
                } else if let code = code(name) {
                    lines.append(code.write(code.property))
                }
            case .optional(let inner):
                let direct = inner.compactMap { token -> String? in
                    if case .parameter(let name) = token, name != prompt?.length?.value { return code(name)?.property }
                    if case .parameterList(let name) = token { return code(name)?.property }
                    return nil
                }
                let body = encode(inner, prompt: prompt).map { "    " + $0 }
                if direct.isEmpty {
                    lines += body.map { String($0.dropFirst(4)) }
                } else {
                    lines.append("if " + direct.map { "let \($0)" }.joined(separator: ", ") + " {")
                    lines += body
                    lines.append("}")
                }
            }
        }
        return lines
    }

    /// `descriptor`, `encode()`, `description`, `promptData`, `Response` and `response(from:)`.
    func requestPlumbing(_ form: Form, syntax: Syntax, index: Int, typeName: String, arguments: [(code: ParameterCode, optional: Bool)], prompt: Prompt?, bodyLines: [String]) -> [SwiftMember] {
        var members: [SwiftMember] = []
        members.append(.decl(SwiftDecl(doc: ["The form's routing data."], "public var descriptor: FormDescriptor", body: [.code(["\(plan.module).descriptor.forms[\(index)]"])])))
        let writeBody = ["\(bodyLines.isEmpty ? "let" : "var") w = ATCommandWriter(\(Slots.literal(syntax.prefix)))"] + bodyLines + ["return w.finish()"]
        let usesRedacting = bodyLines.contains { $0.contains("redacting") }
        members.append(.decl(SwiftDecl(doc: [], "private func write(redacting: Bool) -> [UInt8]", body: [.code((usesRedacting ? [] : ["_ = redacting"]) + writeBody)])))
        members.append(.decl(SwiftDecl(doc: ["The command line, ending in CR."], "public func encode() -> [UInt8]", body: [.code(["write(redacting: false)"])])))
        members.append(.decl(SwiftDecl(doc: ["The command line with secrets redacted, for logs."], "public var description: String", body: [.code(["String(decoding: write(redacting: true).dropLast(), as: UTF8.self)"])])))
        if let prompt, let data = code(prompt.data.value) {
            var value = prompt.encoding == "hex" ? "ATHex.encode(\(data.property))" : data.property
            if prompt.end != nil { value += " + [0x1A]" }
            let doc = "The bytes sent after the `\(prompt.text)` prompt" + (prompt.encoding == "hex" ? ", as hexadecimal text" : "") + (prompt.end != nil ? ", ended by Ctrl-Z." : ".")
            members.append(.decl(SwiftDecl(doc: [doc], "public var promptData: [UInt8]?", body: [.code([value])])))
        }
        if let limit = (form.maxResponseTime ?? command.maxResponseTime), let parameter = limit.parameter, let limitCode = code(parameter.value),
            let slot = Slots.of(syntax.tokens).slots.first(where: { $0.name == parameter.value })
        {
            let scale = limit.parameterUnit == "s" ? " * 1000" : ""
            let value = slot.isOptional ? "\(limitCode.property).map { $0\(scale) }" : "\(limitCode.property)\(scale)"
            members.append(.decl(SwiftDecl(
                doc: ["The time limit `<\(parameter.value)>` gives, in milliseconds (\(DocComments.cite(limit.annotations.source) ?? "spec"))."],
                "public var responseTimeLimit: Int?", body: [.code([value])])))
        }
        members += responsePlumbing(form, typeName: typeName)
        return members
    }

    // MARK: - Responses

    /// True for a line the form always sends on success: neither repeating nor optional, sent
    /// under no condition, in every document, and not only when a value is omitted.
    static func alwaysSent(_ line: ResponseLine, of form: Form) -> Bool {
        !line.repeats && !line.optional && line.when == nil && line.annotations.onlyIn.isEmpty && !form.omittedMeansQuery
    }

    /// `response(from:)`: each information line under its property (`line`, `lines`, a word of
    /// its own such as `clientIDLine`, else numbered), and the deferred result.
    func responsePlumbing(_ form: Form, typeName: String) -> [SwiftMember] {
        let hasLines = !form.responses.isEmpty || form.deferred != nil
        guard hasLines else {
            return [
                .decl(SwiftDecl(doc: ["The form answers with its final result only."], "public typealias Response = ATEmptyResponse")),
                .decl(SwiftDecl(doc: ["The empty answer."], "public static func response(from collected: ATResponseLines) -> ATEmptyResponse", body: [.code(["_ = collected", "return ATEmptyResponse()"])])),
            ]
        }
        var body: [String] = []
        var arguments: [String] = []
        for (index, line) in form.responses.enumerated() {
            let name = command.responseLineType(form, typeName, index)
            let property = command.responseLineProperty(form, index)
            if line.repeats {
                body += ["var \(property): [\(name)] = []", "for fields in collected.lines(\(index)) { \(property).append(try \(name)(fields: fields)) }"]
            } else if Self.alwaysSent(line, of: form) {
                body += [
                    "guard let fields\(index) = collected.lines(\(index)).first else { throw ATDecodingError(expected: \(Slots.literal(line.syntax.text)), field: nil, reason: \"the line did not come\") }",
                    "let \(property) = try \(name)(fields: fields\(index))",
                ]
            } else {
                body += ["var \(property): \(name)? = nil", "if let fields = collected.lines(\(index)).first { \(property) = try \(name)(fields: fields) }"]
            }
            arguments.append("\(property): \(property)")
        }
        if form.deferredShapes.count > 1 {
            body += ["var result: \(typeName)Result? = nil", "if let fields = collected.deferred { result = try \(typeName)Result(fields: fields, shape: collected.deferredShape) }"]
            arguments.append("result: result")
        } else if form.deferred != nil {
            body += ["var result: \(typeName)Result? = nil", "if let fields = collected.deferred { result = try \(typeName)Result(fields: fields) }"]
            arguments.append("result: result")
        }
        body.append("return \(typeName)Response(\(arguments.joined(separator: ", ")))")
        return [
            .decl(SwiftDecl(doc: ["The typed answer."], "public typealias Response = \(typeName)Response")),
            .decl(SwiftDecl(doc: ["Types the lines that answered this command.", "", "- Throws: ``ATDecodingError`` when a line does not hold its types."], "public static func response(from collected: ATResponseLines) throws(ATDecodingError) -> \(typeName)Response", body: [.code(body)])),
        ]
    }

    func responseTypes(_ form: Form, typeName: String) -> [SwiftMember] {
        guard !form.responses.isEmpty || form.deferred != nil else { return [] }
        let builder = LineStructBuilder(plan: plan, owner: owner, parameters: command.parameters)
        var members: [SwiftMember] = []
        var properties: [(String, String, [String])] = []
        for (index, line) in form.responses.enumerated() {
            guard let syntax = line.syntax.parsed else { continue }
            let name = command.responseLineType(form, typeName, index)
            var doc = ["An information line of `\(form.syntax.text)`: `\(line.syntax.text)`."]
            if let when = line.when { doc += ["", "Sent: \(when)"] }
            let prose = DocComments.prose(line.annotations)
            if !prose.isEmpty { doc += [""] + prose }
            members.append(.decl(builder.build(name: name, doc: doc, syntax: syntax, syntaxText: line.syntax.text)))
            let property = command.responseLineProperty(form, index)
            let always = Self.alwaysSent(line, of: form)
            properties.append((
                property, line.repeats ? "[\(name)]" : always ? name : "\(name)?",
                [line.repeats ? "Every `\(line.syntax.text)` line, in order." : always ? "The `\(line.syntax.text)` line." : "The `\(line.syntax.text)` line, if it came."]))
        }
        if form.deferredShapes.count > 1 {
            members += deferredShapes(form, typeName: typeName, builder: builder)
            properties.append(("result", "\(typeName)Result?", ["The result line, if it came."]))
        } else if let deferred = form.deferred, let syntax = deferred.syntax.parsed {
            var doc = ["The result of `\(form.syntax.text)`: `\(deferred.syntax.text)`, which may come \(deferred.order == .either ? "before or after" : deferred.order.rawValue) the final result."]
            let prose = DocComments.prose(deferred.annotations)
            if !prose.isEmpty { doc += [""] + prose }
            members.append(.decl(builder.build(name: typeName + "Result", doc: doc, syntax: syntax, syntaxText: deferred.syntax.text, success: deferred.success.map { ($0.name.value, $0.value) })))
            properties.append(("result", "\(typeName)Result?", ["The result line, if it came."]))
        }
        var responseMembers: [SwiftMember] = properties.map { .decl(SwiftDecl(doc: $0.2, "public let \($0.0): \($0.1)")) }
        let arguments = properties.map { "\($0.0): \($0.1)" }.joined(separator: ", ")
        responseMembers.append(.decl(SwiftDecl(doc: ["Creates an answer."], "public init(\(arguments))", body: [.code(properties.map { "self.\($0.0) = \($0.0)" })])))
        members.append(.decl(SwiftDecl(doc: ["What answers `\(form.syntax.text)`, besides its final result."], "public struct \(typeName)Response: Sendable, Hashable", body: responseMembers)))
        return members
    }

    /// A deferred result of several shapes (`+QMTSUB: ...,0,<granted_qos>` or `...,1,<retry_times>`):
    /// a struct per shape and an enum of them.
    func deferredShapes(_ form: Form, typeName: String, builder: LineStructBuilder) -> [SwiftMember] {
        var members: [SwiftMember] = []
        var cases: [SwiftMember] = []
        var decode: [String] = ["switch shape {"]
        var success: [String] = ["switch self {"]
        for (index, shape) in form.deferredShapes.enumerated() {
            guard let syntax = shape.syntax.parsed else { continue }
            let shapeName = shape.name?.value ?? "shape\(index)"
            let caseName = NamePlan.identifier(SwiftNaming.lowerCamel(shapeName))
            let structName = typeName + "Result" + SwiftNaming.upperCamel(shapeName)
            var doc = ["The result `\(shape.syntax.text)` of `\(form.syntax.text)`, which may come \(shape.order == .either ? "before or after" : shape.order.rawValue) the final result."]
            let prose = DocComments.prose(shape.annotations)
            if !prose.isEmpty { doc += [""] + prose }
            let built = builder.build(name: structName, doc: doc, syntax: syntax, syntaxText: shape.syntax.text, success: shape.success.map { ($0.name.value, $0.value) })
            members.append(.decl(built))
            cases.append(.decl(SwiftDecl(doc: ["`\(shape.syntax.text)`"], "case \(caseName)(\(structName))")))
            decode.append("case \(index): self = .\(caseName)(try \(structName)(fields: fields))")
            let succeeds: String
            if let whole = shape.shapeSuccess {
                succeeds = whole ? "true" : "false"
            } else if !shape.success.isEmpty {
                succeeds = "value.isSuccess"
            } else {
                succeeds = "true"
            }
            success.append("case .\(caseName)(\(succeeds == "value.isSuccess" ? "let value" : "_")): \(succeeds)")
        }
        decode += ["default: throw ATDecodingError(expected: \(Slots.literal(form.deferredShapes.map(\.syntax.text).joined(separator: " | "))), field: nil, reason: \"no result shape \\(shape)\")", "}"]
        success.append("}")
        cases.append(.decl(SwiftDecl(
            doc: ["Types a result line by the shape it matched (its index among the form's shapes).", "", "- Throws: ``ATDecodingError`` when a field does not hold its type."],
            "public init(fields: [CapturedField], shape: Int) throws(ATDecodingError)", body: [.code(decode)])))
        cases.append(.decl(SwiftDecl(doc: ["True when the result reports success."], "public var isSuccess: Bool", body: [.code(success)])))
        members.append(.decl(SwiftDecl(doc: ["The result of `\(form.syntax.text)`, in one of its shapes."], "public enum \(typeName)Result: Sendable, Hashable", body: cases)))
        return members
    }
}
