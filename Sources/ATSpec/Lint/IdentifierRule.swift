// IdentifierRule.swift: names stay distinct once turned into Swift identifiers.

/// `identifier-collision` (error) and `reserved-identifier` (warning).
struct IdentifierRule: LintRule {
    let id = "identifier-collision"

    func check(_ spec: Spec, into sink: inout DiagnosticSink) {
        var types: [(String, String, SourceLocation)] = []
        for command in spec.commands {
            types.append((SwiftNaming.upperCamel(command.annotations.swiftName?.value ?? command.id), "command '\(command.id)'", command.location))
            var forms: [(String, String, SourceLocation)] = []
            for form in command.forms {
                let name = form.name?.value ?? form.kind.rawValue
                forms.append((form.annotations.swiftName?.value ?? SwiftNaming.lowerCamel(name), "form '\(name)' of command '\(command.id)'", form.location))
            }
            collisions(forms, &sink)
            parameters(command.parameters, "command '\(command.id)'", &sink)
        }
        for urc in spec.urcs {
            types.append((SwiftNaming.upperCamel(urc.annotations.swiftName?.value ?? urc.id), "URC '\(urc.id)'", urc.location))
            parameters(urc.parameters, "URC '\(urc.id)'", &sink)
        }
        collisions(types, &sink)
        var finals: [(String, String, SourceLocation)] = []
        for final in spec.finalResults {
            finals.append((final.annotations.swiftName?.value ?? SwiftNaming.lowerCamel(final.name.value), "final result '\(final.name.value)'", final.name.location))
            parameters(final.parameters, "final result '\(final.name.value)'", &sink)
        }
        collisions(finals, &sink)
        for table in spec.errorTables {
            let codes = table.codes.map { code in
                (code.swiftName?.value ?? SwiftNaming.lowerCamel(code.name ?? "code\(code.code)"), "code \(code.code) of error table '\(table.id)'", code.location)
            }
            collisions(codes, &sink)
        }
    }

    func parameters(_ parameters: [Parameter], _ owner: String, _ sink: inout DiagnosticSink) {
        collisions(parameters.map { ($0.annotations.swiftName?.value ?? SwiftNaming.lowerCamel($0.name), "parameter '\($0.name)' of \(owner)", $0.location) }, &sink)
        for parameter in parameters {
            let values = parameter.values.compactMap { value -> (String, String, SourceLocation)? in
                guard let name = value.swiftName?.value ?? value.name.map(SwiftNaming.lowerCamel) else { return nil }
                return (name, "value \(value.value) of '\(parameter.name)' in \(owner)", value.location)
            }
            collisions(values, &sink)
        }
    }

    func collisions(_ names: [(String, String, SourceLocation)], _ sink: inout DiagnosticSink) {
        var seen: [String: String] = [:]
        for (name, what, location) in names {
            if let other = seen[name] {
                sink.error(id, "\(what) becomes the Swift name '\(name)', as \(other) does; set swift_name on one of them", at: location)
            } else {
                seen[name] = what
            }
            if SwiftNaming.keywords.contains(name) {
                sink.warning("reserved-identifier", "\(what) becomes '\(name)', a Swift keyword; it will need backticks (set swift_name to avoid them)", at: location)
            }
        }
    }
}
