// ParameterUsageRule.swift: parameters named in syntaxes are defined, and defined ones are used.

/// `undefined-parameter` (error) and `unused-parameter` (warning).
struct ParameterUsageRule: LintRule {
    let id = "undefined-parameter"

    func check(_ spec: Spec, into sink: inout DiagnosticSink) {
        let elsewhere = Self.usedOutsideSyntaxes(spec)
        for owner in spec.parameterOwners {
            let defined = Set(owner.parameters.map(\.name))
            var used = elsewhere[owner.what] ?? []
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
            for parameter in owner.parameters where !used.contains(parameter.name) {
                sink.warning("unused-parameter", "parameter '\(parameter.name)' of \(owner.what) is defined but never used", at: parameter.location)
            }
        }
    }

    /// Prompt data and length, and multi-part data lengths, use parameters outside syntaxes:
    /// those names by owner (as ``Spec/parameterOwners`` names owners), gathered in one pass.
    static func usedOutsideSyntaxes(_ spec: Spec) -> [String: Set<String>] {
        var names: [String: Set<String>] = [:]
        for command in spec.commands {
            for form in command.forms {
                if let prompt = form.prompt { names["command '\(command.id)'", default: []].formUnion([prompt.data.value, prompt.length?.value].compactMap { $0 }) }
            }
            // Settings a time limit is derived from are named by it.
            for form in command.forms {
                for time in [form.maxResponseTime, command.maxResponseTime].compactMap({ $0 }) + form.deferredShapes.compactMap(\.timeout) {
                    names["command '\(command.id)'", default: []].formUnion(time.derivedFrom + [time.parameter?.value].compactMap { $0 })
                }
            }
            // The items of a repeated parameter are used where it is.
            for parameter in command.parameters where parameter.type == .repeated {
                names["command '\(command.id)'", default: []].formUnion(parameter.items.map(\.value))
            }
        }
        for urc in spec.urcs {
            for parameter in urc.parameters where parameter.type == .repeated {
                names["URC '\(urc.id)'", default: []].formUnion(parameter.items.map(\.value))
            }
            for part in urc.parts {
                names["URC '\(urc.id)'", default: []].formUnion([part.dataLength?.value, part.dataInto?.value].compactMap { $0 })
            }
        }
        return names
    }
}
