// TranslateURC.swift: the module's URCs as one enum, each case carrying a typed payload.

import ATRuntime
import ATSpec

struct URCTranslator {
    let spec: Spec
    let plan: NamePlan
    /// The module the spec builds on: its URCs are one case, `base`.
    var base: String?
    /// The spec with its base's items, for what the decoder reads (the generated parsers keep to it).
    var composed: Spec? = nil

    func translate() -> [SwiftDecl] {
        var cases: [SwiftMember] = []
        var decodeCases: [String] = []
        var payloads: [SwiftMember] = []
        for urc in spec.urcs {
            let caseName = plan.urcCase(urc)
            let typeName = plan.urcType(urc)
            var doc = ["`\(urc.syntax?.text ?? urc.parts.first?.syntax.text ?? urc.id)`: \(urc.title)."]
            let prose = DocComments.prose(urc.annotations)
            if !prose.isEmpty { doc += [""] + prose }
            if !urc.sharesPrefixWith.isEmpty {
                doc += ["", "- Important: the same prefix answers " + urc.sharesPrefixWith.map { "`\($0.value)`" }.joined(separator: ", ") + "; a line is this URC only when no such command is waiting for it."]
            }
            doc += [""] + DocComments.sources(urc.annotations) + ["- Remark: Generated from \(spec.file), urcs.\(urc.id)"]
            guard let payload = payload(urc, typeName: typeName, doc: doc) else {
                cases.append(.decl(SwiftDecl(doc: doc, "case \(caseName)")))
                decodeCases.append("case \(Slots.literal(urc.id)): _ = match; return .\(caseName)")
                continue
            }
            payloads.append(.decl(payload))
            cases.append(.decl(SwiftDecl(doc: doc, "case \(caseName)(\(typeName))")))
            let dataArgument = urc.parts.isEmpty ? "" : ", data: match.data"
            decodeCases.append("case \(Slots.literal(urc.id)): return .\(caseName)(try \(typeName)(fields: match.fields\(dataArgument)))")
        }
        var members = cases
        var fallback = ["return nil"]
        if let base {
            members.append(.decl(SwiftDecl(doc: ["A URC of `\(base)`, the module this one builds on (`+CREG`, `+CPIN`, ...)."], "case base(\(base).URC)")))
            fallback = ["return try \(base).URC.decode(match).map(URC.base)"]
        }
        members.append(.decl(SwiftDecl(
            doc: ["Types a URC the decoder matched; nil when the name is not one of this module's" + (base == nil ? "." : " or its base's."), "", "- Throws: ``ATDecodingError`` when a field does not hold its type."],
            "public static func decode(_ match: URCMatch) throws(ATDecodingError) -> URC?",
            body: [.code(decodeCases.isEmpty ? (base == nil ? ["_ = match"] : []) + fallback : ["switch match.name {"] + decodeCases + ["default: " + fallback[0], "}"])])))
        members += ScannerTranslator(spec: spec, composed: composed ?? spec, plan: plan, base: base).translate()
        for urc in spec.urcs {
            for (name, parameter) in plan.urcEnums[urc.id] ?? [] {
                payloads.append(.decl(EnumTranslator.valueEnum(name: name, parameter: parameter)))
            }
        }
        let urcEnum = SwiftDecl(doc: ["The unsolicited result codes of \(plan.module)."], "public enum URC: ATUnsolicited", body: members)
        return payloads.isEmpty ? [urcEnum] : [urcEnum, SwiftDecl(doc: [], "extension \(plan.module).URC", body: payloads)]
    }

    /// The payload struct of a URC, or nil when it carries nothing.
    func payload(_ urc: URC, typeName: String, doc: [String]) -> SwiftDecl? {
        let builder = LineStructBuilder(plan: plan, owner: "u:" + urc.id, parameters: urc.parameters)
        if let syntax = urc.syntax?.parsed, let text = urc.syntax?.text {
            guard !syntax.parameterNames.isEmpty else { return nil }
            return builder.build(name: typeName, doc: ["The fields of `\(text)`."], syntax: syntax, syntaxText: text)
        }
        guard let start = urc.parts.first(where: { $0.role == "start" }) ?? urc.parts.first, let syntax = start.syntax.parsed else { return nil }
        var extra: [(property: String, key: String, doc: [String])] = []
        for part in urc.parts {
            guard let into = part.dataInto?.value, !extra.contains(where: { $0.key == into }) else { continue }
            let parameter = urc.parameters.first { $0.name == into }
            let property = parameter.map(NamePlan.property) ?? NamePlan.identifier(SwiftNaming.lowerCamel(into))
            var doc = ["The bytes of every `\(part.syntax.text)` part, joined."]
            if let parameter { doc += [""] + DocComments.parameter(parameter) }
            extra.append((property, into, doc))
        }
        return builder.build(name: typeName, doc: ["The fields of `\(start.syntax.text)` and the data of the parts that follow it."], syntax: syntax, syntaxText: start.syntax.text, extraData: extra)
    }
}

struct FinalTranslator {
    let spec: Spec
    let plan: NamePlan
    /// The module the spec builds on: its final results are one case, `base`.
    var base: String?

    func translate() -> SwiftDecl {
        var members: [SwiftMember] = []
        var decodeCases: [String] = []
        var successCases: [String] = []
        var describeCases: [String] = []
        for final in spec.finalResults {
            let caseName = NamePlan.identifier(SwiftNaming.lowerCamel(final.annotations.swiftName?.value ?? final.name.value))
            var doc = ["`\(final.syntax.text)`"]
            let prose = DocComments.prose(final.annotations)
            if !prose.isEmpty { doc += [""] + prose }
            doc += [""] + DocComments.sources(final.annotations)
            let names = final.syntax.parsed.map { Slots.of($0.tokens).slots } ?? []
            let codes = names.compactMap { slot in final.parameters.first { $0.name == slot.name }.map { (ParameterCode(parameter: $0, plan: plan, owner: "f:" + final.name.value), slot.isOptional) } }
            let bound = Dictionary(codes.map { ($0.0.parameter.name, $0.0.property) }, uniquingKeysWith: { first, _ in first })
            let template = final.syntax.parsed.map { Self.template($0, bound: bound) } ?? Slots.literal(final.syntax.text)
            if codes.isEmpty {
                members.append(.decl(SwiftDecl(doc: doc, "case \(caseName)")))
                decodeCases.append("case \(Slots.literal(final.name.value)): return .\(caseName)")
                describeCases.append("case .\(caseName): \(template)")
            } else {
                let associated = codes.map { "\($0.0.property): \($0.0.swiftType)\($0.1 ? "?" : "")" }.joined(separator: ", ")
                members.append(.decl(SwiftDecl(doc: doc, "case \(caseName)(\(associated))")))
                decodeCases.append("case \(Slots.literal(final.name.value)):")
                decodeCases.append("    let r = ATFieldReader(fields, expected: \(Slots.literal(final.syntax.text)))")
                decodeCases.append("    return .\(caseName)(" + codes.map { "\($0.0.property): \($0.0.read(optional: $0.1))" }.joined(separator: ", ") + ")")
                describeCases.append("case .\(caseName)(" + codes.map { "let \($0.0.property)" }.joined(separator: ", ") + "): \(template)")
            }
            if final.kind == "success" { successCases.append(".\(caseName)") }
        }
        var fallback = "default: return nil"
        if let base {
            members.append(.decl(SwiftDecl(doc: ["A final result of `\(base)`, the module this one builds on (`OK`, `+CME ERROR: <err>`, ...)."], "case base(\(base).FinalResult)")))
            fallback = "default: return try \(base).FinalResult.decode(name: name, fields: fields).map(FinalResult.base)"
            describeCases.append("case .base(let result): result.description")
        }
        members.append(.decl(SwiftDecl(
            doc: ["Types a final result the decoder matched; nil when the name is not one of this module's.", "", "- Throws: ``ATDecodingError`` when a field does not hold its type."],
            "public static func decode(name: String, fields: [CapturedField]) throws(ATDecodingError) -> FinalResult?",
            body: [.code((decodeCases.contains { $0.contains("fields") } || base != nil ? [] : ["_ = fields"]) + ["switch name {"] + decodeCases + [fallback, "}"])])))
        var successBody = successCases.isEmpty ? ["false"] : ["switch self {", "case " + successCases.joined(separator: ", ") + ": true", "default: false", "}"]
        if base != nil {
            successBody = ["switch self {"] + (successCases.isEmpty ? [] : ["case " + successCases.joined(separator: ", ") + ": true"]) + ["case .base(let result): result.isSuccess"] + (spec.finalResults.count > successCases.count ? ["default: false"] : []) + ["}"]
        }
        members.append(.decl(SwiftDecl(doc: ["True for a result that ends a command successfully (`OK`)."], "public var isSuccess: Bool", body: [.code(successBody)])))
        var codeCases: [String] = []
        for final in spec.finalResults {
            let caseName = NamePlan.identifier(SwiftNaming.lowerCamel(final.annotations.swiftName?.value ?? final.name.value))
            let names = final.syntax.parsed.map { Slots.of($0.tokens).slots } ?? []
            let bound = names.compactMap { slot in final.parameters.first { $0.name == slot.name }.map { ($0, slot.isOptional) } }
            guard let index = bound.firstIndex(where: { $0.0.type == .error && $0.0.table != nil && !$0.1 }), let table = bound[index].0.table?.value else { continue }
            let pattern = bound.enumerated().map { $0.offset == index ? "let code" : "_" }.joined(separator: ", ")
            codeCases.append("case .\(caseName)(\(pattern)): ATErrorCode(table: \(Slots.literal(table)), code: code.rawValue, text: code.text)")
        }
        if base != nil { codeCases.append("case .base(let result): result.errorCode") }
        if !codeCases.isEmpty {
            if codeCases.count < spec.finalResults.count + (base == nil ? 0 : 1) { codeCases.append("default: nil") }
            members.append(.decl(SwiftDecl(
                doc: ["The error table code the result carries, with the manual's meaning; nil for `OK` and `ERROR`."], "public var errorCode: ATErrorCode?",
                body: [.code(["switch self {"] + codeCases + ["}"])])))
        }
        members.append(.decl(SwiftDecl(
            doc: ["The result as the module writes it, each code with its meaning where the spec gives one."], "public var description: String",
            body: [.code(["switch self {"] + describeCases + ["}"])])))
        return SwiftDecl(doc: ["The final result codes of \(plan.module): what ends every command."], "public enum FinalResult: ATFinalResult", body: members)
    }

    /// A string expression that writes a final result's syntax with its fields
    /// interpolated; an optional group's fields are left out when absent.
    static func template(_ syntax: Syntax, bound: [String: String]) -> String {
        var parts: [String] = [Slots.literal(syntax.prefix + (syntax.tokens.isEmpty || syntax.prefix.isEmpty ? "" : " "))]
        func walk(_ tokens: [SyntaxToken], optional: Bool) {
            for token in tokens {
                switch token {
                case .literal(let text): parts.append(Slots.literal(text))
                case .quotedLiteral(let text): parts.append(Slots.literal("\"" + text + "\""))
                case .comma: parts.append(Slots.literal(","))
                case .valueList(let text): parts.append(Slots.literal("(" + text + ")"))
                case .parameter(let name), .parameterList(let name):
                    guard let property = bound[name] else {
                        parts.append(Slots.literal("<" + name + ">"))
                        continue
                    }
                    parts.append(optional ? "(\(property).map { String(describing: $0) } ?? \"\")" : "String(describing: \(property))")
                case .optional(let inner): walk(inner, optional: true)
                }
            }
        }
        walk(syntax.tokens, optional: false)
        return parts.joined(separator: " + ")
    }
}
