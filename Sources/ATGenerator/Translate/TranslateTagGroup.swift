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
            let (slots, groups) = Slots.of(syntax.tokens)
            let arguments: [(code: ParameterCode, optional: Bool)] = slots.compactMap { slot in code(slot.name).map { ($0, slot.isOptional) } }
            // One value goes unlabelled (`.keepAlive(60)`); several are labelled.
            let associated = arguments.map { (arguments.count == 1 ? "" : "\($0.code.property): ") + "\($0.code.swiftType)\($0.optional ? "?" : "")" }.joined(separator: ", ")
            var doc = formDoc(form)
            for (code, _) in arguments { doc += ["", "- Parameter \(code.property): " + (DocComments.parameter(code.parameter).first ?? "")] }
            cases.append(.decl(SwiftDecl(doc: doc, "case \(caseName)" + (arguments.isEmpty ? "" : "(\(associated))"))))
            let binding = arguments.isEmpty ? "" : "(" + arguments.map { "let \($0.code.property)" }.joined(separator: ", ") + ")"
            let checks = self.checks(arguments, slots: slots, groups: groups, prompt: nil)
            if !checks.isEmpty {
                checkedCases += 1
                let joined = checks.joined(separator: "\n")
                let used = "(" + arguments.map { joined.contains("(\($0.code.property)") || joined.contains(" \($0.code.property)") ? "let \($0.code.property)" : "_" }.joined(separator: ", ") + ")"
                validateCases.append("case .\(caseName)\(used):")
                validateCases += checks.map { "    " + $0 }
            }
            encodeCases.append("case .\(caseName)\(binding):")
            encodeCases += encode(syntax.tokens, prompt: nil).map { "    " + $0 }
            descriptorCases.append("case .\(caseName): \(plan.module).descriptor.forms[\(firstFormIndex + offset)]")
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
        guard let template = tagTemplate(forms) else { return [] }
        members += responsePlumbing(template, typeName: "Write")
        members.append(.decl(SwiftDecl(doc: ["The settings `\(forms.map { $0.syntax.parsed?.leadingQuotedLiteral ?? "" }.joined(separator: "`, `"))`, each with its typed value."], "public enum Setting: Sendable, Hashable", body: cases)))
        var result: [SwiftMember] = [.decl(SwiftDecl(doc: ["The write forms of `AT\(forms.first?.syntax.parsed?.command ?? "")`, selected by their tag."], "public struct Write: ATRequest", body: members))]
        result += responseTypes(template, typeName: "Write")
        return result
    }
}
