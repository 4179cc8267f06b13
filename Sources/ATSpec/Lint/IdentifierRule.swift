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
            collisions(forms, &sink, checkReserved: false)
            for form in command.forms {
                // A form becomes a type (`Write`, `OneTopic`); a tag form may become a case of `Setting`.
                let name = form.name?.value ?? form.kind.rawValue
                let type = form.annotations.swiftName.map { SwiftNaming.upperCamel($0.value) } ?? SwiftNaming.upperCamel(name)
                var candidates = [type]
                if form.name != nil, form.syntax.parsed?.leadingQuotedLiteral != nil {
                    candidates.append(form.annotations.swiftName?.value ?? SwiftNaming.lowerCamel(name))
                }
                for candidate in candidates { reserved(candidate, "form '\(name)' of command '\(command.id)'", form.location, &sink) }
            }
            parameters(command.parameters, "command '\(command.id)'", &sink)
            let scope = command.scopeTypeNames
            for parameter in command.parameters where parameter.type == .enum {
                let type = SwiftNaming.safeType(SwiftNaming.upperCamel(parameter.annotations.swiftName?.value ?? parameter.name))
                if scope.contains(type), !Self.isShared(parameter, type, in: spec) {
                    sink.warning(
                        "reserved-identifier",
                        "the enum of parameter '\(parameter.name)' of command '\(command.id)' would be named '\(type)', as a type of a form of the command is; the generator names it '\(type)Value' (set swift_name to choose another name)",
                        at: parameter.location)
                }
            }
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
        for parameter in parameters where parameter.type == .enum {
            reserved(SwiftNaming.upperCamel(parameter.annotations.swiftName?.value ?? parameter.name), "the enum of parameter '\(parameter.name)' of \(owner)", parameter.location, &sink)
        }
        for parameter in parameters {
            let values = parameter.values.compactMap { value -> (String, String, SourceLocation)? in
                guard let name = value.swiftName?.value ?? value.name.map(SwiftNaming.lowerCamel) else { return nil }
                return (name, "value \(value.value) of '\(parameter.name)' in \(owner)", value.location)
            }
            collisions(values, &sink)
        }
    }

    func collisions(_ names: [(String, String, SourceLocation)], _ sink: inout DiagnosticSink, checkReserved: Bool = true) {
        var seen: [String: String] = [:]
        for (name, what, location) in names {
            if let other = seen[name] {
                sink.error(id, "\(what) becomes the Swift name '\(name)', as \(other) does; set swift_name on one of them", at: location)
            } else {
                seen[name] = what
            }
            if checkReserved { reserved(name, what, location, &sink) }
        }
    }

    /// True when the generator declares the enum of `parameter` once at module level: the
    /// same values under the same type name elsewhere in the spec (and not a name it reserves).
    static func isShared(_ parameter: Parameter, _ type: String, in spec: Spec) -> Bool {
        var uses = 0
        for other in spec.commands.flatMap(\.parameters) + spec.urcs.flatMap(\.parameters) where other.type == .enum {
            guard SwiftNaming.safeType(SwiftNaming.upperCamel(other.annotations.swiftName?.value ?? other.name)) == type else { continue }
            guard other.values.map(\.value) == parameter.values.map(\.value), other.values.map(\.name) == parameter.values.map(\.name) else { return false }
            uses += 1
        }
        let reserved = Set(["URC", "FinalResult", "Descriptor"] + spec.commands.map { SwiftNaming.safeType(SwiftNaming.upperCamel($0.annotations.swiftName?.value ?? $0.id)) })
        return uses > 1 && !reserved.contains(type)
    }

    /// Warns when the generator renames `name`.
    func reserved(_ name: String, _ what: String, _ location: SourceLocation, _ sink: inout DiagnosticSink) {
        guard let (renamed, reason) = Self.renaming(name) else { return }
        sink.warning(
            "reserved-identifier", "\(what) becomes '\(name)', \(reason); the generator names it '\(renamed)' (set swift_name to choose another name)",
            at: location)
    }

    /// What the generator renames `name` to, and why; nil when it keeps it. Type names are
    /// upper camel case, member names lower camel case.
    static func renaming(_ name: String) -> (String, String)? {
        let isType = name.first?.isUppercase == true
        let renamed = isType ? SwiftNaming.safeType(name) : SwiftNaming.safeMember(name)
        guard renamed != name else { return nil }
        return (renamed, SwiftNaming.keywords.contains(name) ? "a Swift keyword" : "a name the generated code uses itself")
    }
}
