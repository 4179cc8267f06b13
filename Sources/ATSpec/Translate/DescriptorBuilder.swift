// DescriptorBuilder.swift: the runtime's routing data (ModuleDescriptor) from a spec.

import ATRuntime

/// Builds the ``ModuleDescriptor`` the runtime routes by. The `decode` command uses
/// it directly; the generator renders the same value into the generated bindings.
public enum DescriptorBuilder {
    /// The descriptor of `spec`. Items whose syntax did not parse are left out (lint reports them).
    public static func build(_ spec: Spec) -> ModuleDescriptor {
        let finals = spec.finalResults.compactMap { final -> FinalDescriptor? in
            guard let line = line(final.name.value, final.syntax, final.parameters) else { return nil }
            return FinalDescriptor(name: final.name.value, isSuccess: final.kind == "success", line: line)
        }
        let urcs = spec.urcs.map { urc in
            var totals: [String: String] = [:]
            let startFields = Set(urc.parts.first?.syntax.parsed?.parameterNames ?? [])
            let collected = Set(urc.parts.compactMap { $0.dataInto?.value })
            for parameter in urc.parameters where collected.contains(parameter.name) {
                if let total = parameter.lengthFrom?.value, startFields.contains(total) { totals[parameter.name] = total }
            }
            return URCDescriptor(
                name: urc.id,
                line: urc.syntax.flatMap { line(urc.id, $0, urc.parameters) },
                parts: urc.parts.compactMap { part in
                    guard let partLine = line(urc.id, part.syntax, urc.parameters) else { return nil }
                    return URCPartDescriptor(
                        role: part.role, line: partLine, repeats: part.repeats, optional: part.optional,
                        dataLengthField: part.dataLength?.value, dataInto: part.dataInto?.value)
                },
                dataTotals: totals)
        }
        var forms: [FormDescriptor] = []
        for command in spec.commands {
            for form in command.forms {
                guard let parsed = form.syntax.parsed else { continue }
                let syntax = RepeatedExpansion.expand(parsed, command.parameters)
                let time = form.maxResponseTime ?? command.maxResponseTime
                let shapes = form.deferredShapes.compactMap { line(command.id, $0.syntax, command.parameters, name: $0.name?.value) }
                var success: [(String, String)] = []
                for shape in form.deferredShapes { success += shape.success.map { ($0.name.value, $0.value) } }
                let prompt = form.prompt
                forms.append(FormDescriptor(
                    command: command.id, name: formName(form), syntax: syntax, shapes: self.shapes(command.parameters),
                    responses: form.responses.compactMap { line(command.id, $0.syntax, command.parameters) },
                    deferred: shapes.first,
                    deferredPlacement: form.deferred?.order ?? .after,
                    deferredSuccess: Dictionary(success, uniquingKeysWith: { first, _ in first }),
                    hasPrompt: prompt != nil, promptLengthParameter: prompt?.length?.value,
                    maxResponseTime: time?.milliseconds,
                    promptEncoding: promptEncoding(prompt),
                    secrets: secrets(command.parameters, in: syntax),
                    deferredAlternatives: Array(shapes.dropFirst()),
                    promptTerminator: prompt?.end == nil ? nil : 0x1A, promptCancel: prompt?.cancel == nil ? nil : 0x1B,
                    deferredFailingShapes: Set(form.deferredShapes.indices.filter { form.deferredShapes[$0].shapeSuccess == false }),
                    responseTimeSettings: settings(time, spec)?.names ?? [], responseTimeSettingUnit: settings(time, spec)?.unit ?? 1000))
            }
        }
        return ModuleDescriptor(name: spec.module.name.value, finals: finals, urcs: urcs, forms: forms, rules: rules(spec))
    }

    /// The settings a limit's formula multiplies (`<pkt_timeout> * <retry_times>`), each a
    /// parameter some command sets, and the milliseconds per unit of their product; nil for a
    /// formula that is not such a product, or whose settings have no time unit.
    static func settings(_ time: ResponseTime?, _ spec: Spec) -> (names: [String], unit: Int)? {
        guard let formula = time?.formula, let time else { return nil }
        var names: [String] = []
        for factor in formula.split(whereSeparator: { $0 == "*" || $0 == "×" }) {
            let trimmed = factor.filter { $0 != " " }
            guard trimmed.hasPrefix("<"), trimmed.hasSuffix(">"), trimmed.count > 2 else { return nil }
            names.append(String(trimmed.dropFirst().dropLast()))
        }
        guard !names.isEmpty, Set(names).isSubset(of: time.derivedFrom) else { return nil }
        let units = names.compactMap { name in spec.commands.lazy.compactMap { $0.parameter(name)?.unit }.first }
        guard let timed = units.first(where: { $0 == "s" || $0 == "ms" }) else { return nil }
        return (names, timed == "s" ? 1000 : 1)
    }

    /// The ordering rules, with `*` spelled out as every other `mqtt`-scoped command.
    /// In a composed spec, the base's rules are the base's own (named by its file), after the spec's.
    public static func rules(_ spec: Spec) -> [RuleDescriptor] {
        guard let base = spec.base else { return rules(spec.rules, of: spec) }
        return rules(spec.ownRules, of: spec) + rules(base)
    }

    static func rules(_ list: [Rule], of spec: Spec) -> [RuleDescriptor] {
        let file = spec.file.split(separator: "/").last.map(String.init) ?? spec.file
        return list.compactMap { rule in
            guard let kind = RuleDescriptor.Kind(rawValue: rule.kind), let strength = RuleDescriptor.Strength(rawValue: rule.strength) else { return nil }
            func target(_ reference: String) -> RuleDescriptor.Target {
                let (command, form) = Rule.split(reference)
                return RuleDescriptor.Target(command: command, form: form, scope: rule.scopeParameter(command)?.value)
            }
            let subject = target(rule.command.value)
            var others: [RuleDescriptor.Target] = []
            for other in rule.others.map(\.value) {
                if other == "*" {
                    others += spec.commands.filter { $0.scope == "mqtt" && $0.id != subject.command }.map { target($0.id) }
                } else {
                    others.append(target(other))
                }
            }
            let cited = rule.source.map { $0.section.isEmpty ? $0.doc.value : "\($0.doc.value) \($0.section)" }
            return RuleDescriptor(
                kind: kind, strength: strength, subject: subject, others: others, text: rule.text,
                source: [file, cited].compactMap { $0 }.joined(separator: ", "), inferred: rule.inferred)
        }
    }

    /// The name of a form: its `name`, or its kind.
    public static func formName(_ form: Form) -> String {
        form.name?.value ?? form.kind.rawValue
    }

    /// How a prompt's data is written on the line.
    public static func promptEncoding(_ prompt: Prompt?) -> PromptEncoding {
        guard let prompt, prompt.encoding == "hex" else { return .raw }
        return prompt.lengthCounts == "digits" ? .hexDigits : .hex
    }

    static func line(_ name: String, _ syntax: SyntaxString, _ parameters: [Parameter], name shapeName: String? = nil) -> LineDescriptor? {
        guard let written = syntax.parsed else { return nil }
        let parsed = RepeatedExpansion.expand(written, parameters)
        let name = shapeName ?? name
        let used = Set(parsed.parameterNames)
        var lengths: [String: String] = [:]
        for parameter in parameters where used.contains(parameter.name) {
            if let from = parameter.lengthFrom?.value, used.contains(from) { lengths[parameter.name] = from }
        }
        return LineDescriptor(
            name: name, syntax: parsed, shapes: shapes(parameters.filter { used.contains($0.name) }), lengthFields: lengths,
            secrets: secrets(parameters, in: parsed))
    }

    /// The parameters of `syntax` whose values are secret.
    static func secrets(_ parameters: [Parameter], in syntax: Syntax) -> Set<String> {
        let used = Set(syntax.parameterNames)
        return Set(parameters.filter { $0.secret && used.contains($0.name) }.map(\.name))
    }

    /// How each parameter is written on a line.
    public static func shapes(_ parameters: [Parameter]) -> [String: FieldShape] {
        var result: [String: FieldShape] = [:]
        for parameter in parameters {
            result[parameter.name] = shape(parameter)
        }
        return result
    }

    /// How a parameter is written on a line.
    public static func shape(_ parameter: Parameter) -> FieldShape {
        if parameter.isInteger { return .integer }
        if parameter.isQuotedText { return .quoted }
        return .bare
    }
}
