// ParameterUsageRule.swift: parameters named in syntaxes are defined, and defined ones are used.

/// `undefined-parameter` (error) and `unused-parameter` (warning).
struct ParameterUsageRule: LintRule {
    let id = "undefined-parameter"

    func check(_ spec: Spec, into sink: inout DiagnosticSink) {
        for owner in spec.parameterOwners {
            let defined = Set(owner.parameters.map(\.name))
            var used = Set<String>()
            for syntax in owner.syntaxes {
                for name in syntax.parsed?.parameterNames ?? [] {
                    used.insert(name)
                    if !defined.contains(name) {
                        var message = "parameter <\(name)> is used in '\(syntax.text)' but not defined in \(owner.what)"
                        if let suggestion = Suggest.nearest(to: name, in: Array(defined)) { message += "; did you mean <\(suggestion)>?" }
                        sink.error(id, message, at: syntax.location)
                    }
                }
            }
            for parameter in owner.parameters {
                if let lengthFrom = parameter.lengthFrom { used.insert(lengthFrom.value) }
            }
            for parameter in owner.parameters where !used.contains(parameter.name) && !usedElsewhere(parameter.name, owner.what, spec) {
                sink.warning("unused-parameter", "parameter '\(parameter.name)' of \(owner.what) is defined but never used", at: parameter.location)
            }
        }
    }

    /// Prompt data and length, and multi-part data lengths, use parameters outside syntaxes.
    func usedElsewhere(_ name: String, _ owner: String, _ spec: Spec) -> Bool {
        for command in spec.commands where owner == "command '\(command.id)'" {
            for form in command.forms {
                if let prompt = form.prompt, prompt.data.value == name || prompt.length.value == name { return true }
            }
        }
        for urc in spec.urcs where owner == "URC '\(urc.id)'" {
            if urc.parts.contains(where: { $0.dataLength?.value == name || $0.dataInto?.value == name }) { return true }
        }
        return false
    }
}
