// TranslateTagGroup.swift: tag-selected write forms (`AT+SMCONF="URL",<url>`) as one request with an enum of typed settings.

import ATRuntime
import ATSpec

extension CommandTranslator {
    func translateTagGroup(_ forms: [Form]) -> [SwiftMember] {
        var cases: [SwiftMember] = []
        var validateCases: [String] = []
        var encodeCases: [String] = []
        var descriptorCases: [String] = []
        var checkedCases = 0
        for form in forms {
            guard let syntax = form.syntax.parsed, let offset = command.forms.firstIndex(of: form) else { continue }
            let caseName = NamePlan.identifier(SwiftNaming.lowerCamel(form.annotations.swiftName?.value ?? form.name?.value ?? "setting"))
            // A form whose omitted value means "query" sets a value here: its first group is required.
            let tokens = form.omittedMeansQuery ? syntax.settingTokens : syntax.tokens
            let (slots, groups) = Slots.of(tokens)
            let arguments: [(code: ParameterCode, optional: Bool)] = slots.compactMap { slot in code(slot.name).map { ($0, slot.isOptional) } }
            // One value goes unlabelled (`.keepAlive(60)`); several are labelled.
            let associated = arguments.map { (arguments.count == 1 ? "" : "\($0.code.property): ") + "\($0.code.swiftType)\($0.optional ? "?" : "")" }.joined(separator: ", ")
            var doc = formDoc(form)
            for (code, _) in arguments { doc += ["", "- Parameter \(code.property): " + (DocComments.parameter(code.parameter).first ?? "")] }
            cases.append(.decl(SwiftDecl(doc: doc, "case \(caseName)" + (arguments.isEmpty ? "" : "(\(associated))"))))
            let checks = self.checks(arguments, slots: slots, groups: groups, prompt: nil) + constraintChecks(constraints(of: form, arguments: arguments), arguments: arguments)
            let switched = switchCases(caseName, arguments: arguments, checks: checks, tokens: tokens, formIndex: firstFormIndex + offset)
            if !switched.validate.isEmpty { checkedCases += 1 }
            validateCases += switched.validate
            encodeCases += switched.encode
            descriptorCases.append(switched.descriptor)
        }
        if checkedCases < forms.count { validateCases.append("default: break") }
        let prefix = forms.first?.syntax.parsed?.prefix ?? "AT="
        let usesRedacting = encodeCases.contains { $0.contains("redacting") }
        var members: [SwiftMember] = []
        members.append(.decl(SwiftDecl(doc: ["The setting to write, with its typed value."], "public let setting: Setting")))
        members.append(.decl(SwiftDecl(
            doc: ["Builds the write command for `setting`.", "", "- Throws: ``ATParameterError`` naming the parameter, the value and what the manual allows."],
            "public init(_ setting: Setting) throws(ATParameterError)",
            body: [.code([
                "let validator = ATValidator(command: \(Slots.literal("AT" + (forms.first?.syntax.parsed?.command ?? ""))), source: \(Slots.literal(DocComments.sourceText(spec, forms.first?.annotations.source ?? command.annotations.source))))",
                "_ = validator",
                "switch setting {",
            ] + validateCases + ["}", "self.setting = setting"])])))
        members.append(.decl(SwiftDecl(doc: ["The form's routing data."], "public var descriptor: FormDescriptor", body: [.code(["switch setting {"] + descriptorCases + ["}"])])))
        members.append(.decl(SwiftDecl(doc: [], "private func write(redacting: Bool) -> [UInt8]", body: [.code((usesRedacting ? [] : ["_ = redacting"]) + ["var w = ATCommandWriter(\(Slots.literal(prefix)))", "switch setting {"] + encodeCases + ["}", "return w.finish()"])])))
        members.append(.decl(SwiftDecl(doc: ["The command line, ending in CR."], "public func encode() -> [UInt8]", body: [.code(["write(redacting: false)"])])))
        members.append(.decl(SwiftDecl(doc: ["The command line with secrets redacted, for logs."], "public var description: String", body: [.code(["String(decoding: write(redacting: true).dropLast(), as: UTF8.self)"])])))
        guard var template = tagTemplate(forms) else { return [] }
        template.responses = command.tagWriteResponses
        members += responsePlumbing(template, typeName: "Write")
        members.append(.decl(SwiftDecl(doc: ["The settings `\(forms.map { $0.syntax.parsed?.leadingQuotedLiteral ?? "" }.joined(separator: "`, `"))`, each with its typed value."], "public enum Setting: Sendable, Hashable", body: cases)))
        var result: [SwiftMember] = [.decl(SwiftDecl(doc: ["The write forms of `AT\(forms.first?.syntax.parsed?.command ?? "")`, selected by their tag."], "public struct Write: ATRequest", body: [plan.moduleAlias] + members))]
        result += responseTypes(template, typeName: "Write")
        let queries = command.queryTagForms
        if !queries.isEmpty { result += translateTagQuery(queries) }
        return result
    }

    /// One case's lines in the `switch` statements of a tag request: its checks (binding only
    /// the values they use), its encoding and its descriptor.
    func switchCases(
        _ caseName: String, arguments: [(code: ParameterCode, optional: Bool)], checks: [String], tokens: [SyntaxToken], formIndex: Int
    ) -> (validate: [String], encode: [String], descriptor: String) {
        var validate: [String] = []
        if !checks.isEmpty {
            let joined = checks.joined(separator: "\n")
            let used = "(" + arguments.map { joined.contains("(\($0.code.property)") || joined.contains(" \($0.code.property)") ? "let \($0.code.property)" : "_" }.joined(separator: ", ") + ")"
            validate = ["case .\(caseName)\(used):"] + checks.map { "    " + $0 }
        }
        let binding = arguments.isEmpty ? "" : "(" + arguments.map { "let \($0.code.property)" }.joined(separator: ", ") + ")"
        let encode = ["case .\(caseName)\(binding):"] + self.encode(tokens, prompt: nil).map { "    " + $0 }
        return (validate, encode, "case .\(caseName): \(plan.module).descriptor.forms[\(formIndex)]")
    }

    /// The group's query: each tag whose omitted value means "query", sent with what comes
    /// before its value (`AT+QMTCFG="keepalive",<client_idx>`), answered by its own line.
    func translateTagQuery(_ forms: [Form]) -> [SwiftMember] {
        var tagCases: [SwiftMember] = []
        var answerCases: [SwiftMember] = []
        var lineTypes: [SwiftMember] = []
        var validateCases: [String] = []
        var encodeCases: [String] = []
        var descriptorCases: [String] = []
        var decodeCases: [String] = []
        var checkedCases = 0
        let builder = LineStructBuilder(plan: plan, owner: owner, parameters: command.parameters)
        for form in forms {
            guard let syntax = form.syntax.parsed, let offset = command.forms.firstIndex(of: form), let line = form.responses.first, let lineSyntax = line.syntax.parsed else { continue }
            let name = form.annotations.swiftName?.value ?? form.name?.value ?? "setting"
            let caseName = NamePlan.identifier(SwiftNaming.lowerCamel(name))
            let tokens = syntax.queryTokens
            let (slots, groups) = Slots.of(tokens)
            let arguments: [(code: ParameterCode, optional: Bool)] = slots.compactMap { slot in code(slot.name).map { ($0, slot.isOptional) } }
            let associated = arguments.map { (arguments.count == 1 ? "" : "\($0.code.property): ") + "\($0.code.swiftType)\($0.optional ? "?" : "")" }.joined(separator: ", ")
            let queried = Syntax(prefix: syntax.prefix, command: syntax.command, commandKind: syntax.commandKind, tokens: tokens)
            var doc = ["Queries `\(syntax.leadingQuotedLiteral ?? name)`: `\(form.syntax.text)` with the value omitted."]
            for (code, _) in arguments { doc += ["", "- Parameter \(code.property): " + (DocComments.parameter(code.parameter).first ?? "")] }
            tagCases.append(.decl(SwiftDecl(doc: doc, "case \(caseName)" + (arguments.isEmpty ? "" : "(\(associated))"))))
            let checks = self.checks(arguments, slots: slots, groups: groups, prompt: nil)
            let switched = switchCases(caseName, arguments: arguments, checks: checks, tokens: queried.tokens, formIndex: firstFormIndex + offset)
            if !switched.validate.isEmpty { checkedCases += 1 }
            validateCases += switched.validate
            encodeCases += switched.encode
            descriptorCases.append(switched.descriptor)
            let lineType = "Query" + SwiftNaming.upperCamel(name) + "Line"
            var lineDoc = ["The answer to a query of `\(syntax.leadingQuotedLiteral ?? name)`: `\(line.syntax.text)`."]
            let prose = DocComments.prose(line.annotations)
            if !prose.isEmpty { lineDoc += [""] + prose }
            lineTypes.append(.decl(builder.build(name: lineType, doc: lineDoc, syntax: lineSyntax, syntaxText: line.syntax.text)))
            answerCases.append(.decl(SwiftDecl(doc: ["`\(line.syntax.text)`" + (line.repeats ? ", every line in order." : "")], "case \(caseName)(\(line.repeats ? "[\(lineType)]" : lineType))")))
            decodeCases.append("case \(Slots.literal(DescriptorBuilder.formName(form))):")
            if line.repeats {
                decodeCases += ["    var lines: [\(lineType)] = []", "    for fields in collected.lines(0) { lines.append(try \(lineType)(fields: fields)) }", "    return .\(caseName)(lines)"]
            } else {
                decodeCases += [
                    "    guard let fields = collected.lines(0).first else { throw ATDecodingError(expected: \(Slots.literal(line.syntax.text)), field: nil, reason: \"the query was answered without its line\") }",
                    "    return .\(caseName)(try \(lineType)(fields: fields))",
                ]
            }
        }
        if checkedCases < forms.count { validateCases.append("default: break") }
        let expected = forms.compactMap { $0.responses.first?.syntax.text }.joined(separator: " | ")
        decodeCases += ["default:", "    throw ATDecodingError(expected: \(Slots.literal(expected)), field: nil, reason: \"not the answer to a query of this command (form '\\(collected.form)')\")"]
        let prefix = forms.first?.syntax.parsed?.prefix ?? "AT="
        let usesRedacting = encodeCases.contains { $0.contains("redacting") }
        var members: [SwiftMember] = []
        members.append(.decl(SwiftDecl(doc: ["The setting to query, with what selects it."], "public let tag: Tag")))
        var initBody = [
            "let validator = ATValidator(command: \(Slots.literal("AT" + (forms.first?.syntax.parsed?.command ?? ""))), source: \(Slots.literal(DocComments.sourceText(spec, forms.first?.annotations.source ?? command.annotations.source))))",
            "_ = validator",
        ]
        if checkedCases > 0 { initBody += ["switch tag {"] + validateCases + ["}"] }
        initBody.append("self.tag = tag")
        members.append(.decl(SwiftDecl(
            doc: ["Builds the query of `tag`.", "", "- Throws: ``ATParameterError`` naming the parameter, the value and what the manual allows."],
            "public init(_ tag: Tag) throws(ATParameterError)", body: [.code(initBody)])))
        members.append(.decl(SwiftDecl(doc: ["The form's routing data."], "public var descriptor: FormDescriptor", body: [.code(["switch tag {"] + descriptorCases + ["}"])])))
        members.append(.decl(SwiftDecl(doc: [], "private func write(redacting: Bool) -> [UInt8]", body: [.code((usesRedacting ? [] : ["_ = redacting"]) + ["var w = ATCommandWriter(\(Slots.literal(prefix)))", "switch tag {"] + encodeCases + ["}", "return w.finish()"])])))
        members.append(.decl(SwiftDecl(doc: ["The command line, ending in CR."], "public func encode() -> [UInt8]", body: [.code(["write(redacting: false)"])])))
        members.append(.decl(SwiftDecl(doc: ["The command line with secrets redacted, for logs."], "public var description: String", body: [.code(["String(decoding: write(redacting: true).dropLast(), as: UTF8.self)"])])))
        members.append(.decl(SwiftDecl(doc: ["The typed answer."], "public typealias Response = QueryResponse")))
        members.append(.decl(SwiftDecl(
            doc: ["Types the query's answer by the form that was sent.", "", "- Throws: ``ATDecodingError`` when the line did not come or does not hold its types."],
            "public static func response(from collected: ATResponseLines) throws(ATDecodingError) -> QueryResponse", body: [.code(["switch collected.form {"] + decodeCases + ["}"])])))
        members.append(.decl(SwiftDecl(doc: ["The settings that can be queried, each with what selects it."], "public enum Tag: Sendable, Hashable", body: tagCases)))
        var result: [SwiftMember] = [.decl(SwiftDecl(doc: ["The queries of `AT\(forms.first?.syntax.parsed?.command ?? "")`: a tag sent without its value."], "public struct Query: ATRequest", body: [plan.moduleAlias] + members))]
        result += lineTypes
        result.append(.decl(SwiftDecl(doc: ["The answer to a ``Query``, by the tag that was queried."], "public enum QueryResponse: Sendable, Hashable", body: answerCases)))
        return result
    }
}
