// TranslateDescriptor.swift: the module's routing data (ModuleDescriptor) as a Swift expression.

import ATRuntime
import ATSpec

enum DescriptorRenderer {
    /// What a module that builds on another replaces of it.
    struct BaseReference {
        var module: String
        var finals: [String]
        var urcs: [String]
        var commands: [String]

        /// The items of `composed.base` (whose descriptor holds them all, its own base's included)
        /// that the composed spec does not keep as the base's: those it overrides or adopts.
        init?(composed: Spec) {
            guard let base = composed.base else { return nil }
            module = base.module.name.value
            let keptFinals = Set(composed.finalResults.filter { $0.origin != nil }.map(\.name.value))
            let keptURCs = Set(composed.urcs.filter { $0.origin != nil }.map(\.id))
            let keptCommands = Set(composed.commands.filter { $0.origin != nil }.map(\.id))
            finals = base.finalResults.map(\.name.value).filter { !keptFinals.contains($0) }
            urcs = base.urcs.map(\.id).filter { !keptURCs.contains($0) }
            commands = base.commands.map(\.id).filter { !keptCommands.contains($0) }
        }
    }

    static func module(_ descriptor: ModuleDescriptor, base: BaseReference? = nil) -> [String] {
        var lines = ["ModuleDescriptor("]
        lines.append("    name: \(Slots.literal(descriptor.name)),")
        if let base { lines.append("    buildingOn: \(base.module).descriptor,") }
        lines.append("    finals: [")
        for final in descriptor.finals {
            lines.append("        FinalDescriptor(name: \(Slots.literal(final.name)), isSuccess: \(final.isSuccess), line: \(line(final.line))),")
        }
        lines.append("    ],")
        lines.append("    urcs: [")
        for urc in descriptor.urcs {
            lines.append("        URCDescriptor(")
            lines.append("            name: \(Slots.literal(urc.name)), line: \(urc.line.map(line) ?? "nil"),")
            lines.append("            parts: [")
            for part in urc.parts {
                lines.append("                URCPartDescriptor(role: \(Slots.literal(part.role)), line: \(line(part.line)), repeats: \(part.repeats), optional: \(part.optional), dataLengthField: \(optional(part.dataLengthField)), dataInto: \(optional(part.dataInto))),")
            }
            lines.append(urc.dataTotals.isEmpty ? "            ])," : "            ], dataTotals: \(strings(urc.dataTotals))),")
        }
        lines.append("    ],")
        lines.append("    forms: [")
        for (index, form) in descriptor.forms.enumerated() {
            lines.append("        // \(index): \(form.command) \(form.name)")
            lines.append("        FormDescriptor(")
            lines.append("            command: \(Slots.literal(form.command)), name: \(Slots.literal(form.name)), syntax: \(syntax(form.syntax)),")
            lines.append("            shapes: \(shapes(form.shapes)),")
            lines.append("            responses: [\(form.responses.map(line).joined(separator: ", "))],")
            lines.append("            deferred: \(form.deferred.map(line) ?? "nil"), deferredPlacement: .\(form.deferredPlacement.rawValue), deferredSuccess: \(strings(form.deferredSuccess)),")
            var last = "            hasPrompt: \(form.hasPrompt), promptLengthParameter: \(optional(form.promptLengthParameter)), maxResponseTime: \(form.maxResponseTime.map(String.init) ?? "nil")"
            if form.promptEncoding != .raw { last += ", promptEncoding: .\(form.promptEncoding.rawValue)" }
            if !form.secrets.isEmpty { last += ", secrets: \(set(form.secrets))" }
            if !form.deferredAlternatives.isEmpty { last += ", deferredAlternatives: [\(form.deferredAlternatives.map(line).joined(separator: ", "))]" }
            if let terminator = form.promptTerminator { last += ", promptTerminator: \(terminator)" }
            if let cancel = form.promptCancel { last += ", promptCancel: \(cancel)" }
            if !form.deferredFailingShapes.isEmpty { last += ", deferredFailingShapes: [\(form.deferredFailingShapes.sorted().map(String.init).joined(separator: ", "))]" }
            if !form.responseTimeSettings.isEmpty {
                last += ", responseTimeSettings: [\(form.responseTimeSettings.map(Slots.literal).joined(separator: ", "))], responseTimeSettingUnit: \(form.responseTimeSettingUnit)"
            }
            lines.append(last + "),")
        }
        var tail: [String] = []
        if !descriptor.rules.isEmpty {
            tail.append("    rules: [")
            for rule in descriptor.rules {
                tail.append("        RuleDescriptor(")
                tail.append("            kind: .\(rule.kind), strength: .\(rule.strength.rawValue), subject: \(target(rule.subject)),")
                tail.append("            others: [\(rule.others.map(target).joined(separator: ", "))],")
                tail.append("            text: \(Slots.literal(rule.text)), source: \(Slots.literal(rule.source))\(rule.inferred ? ", inferred: true" : "")),")
            }
            tail.append("    ]")
        }
        if let base {
            for (label, names) in [("replacingFinals", base.finals), ("replacingURCs", base.urcs), ("replacingCommands", base.commands)] where !names.isEmpty {
                tail.append("    \(label): [\(names.map(Slots.literal).joined(separator: ", "))]")
            }
        }
        lines.append(tail.isEmpty ? "    ]" : "    ],")
        for (index, line) in tail.enumerated() {
            // Arguments are separated by commas: after a closing `]` that is not the last.
            let closesArgument = line == "    ]" || line.hasPrefix("    replacing")
            lines.append(closesArgument && index < tail.count - 1 ? line + "," : line)
        }
        lines.append(")")
        return lines
    }

    static func target(_ target: RuleDescriptor.Target) -> String {
        var arguments = ["command: \(Slots.literal(target.command))"]
        if let form = target.form { arguments.append("form: \(Slots.literal(form))") }
        if let scope = target.scope { arguments.append("scope: \(Slots.literal(scope))") }
        return "RuleDescriptor.Target(" + arguments.joined(separator: ", ") + ")"
    }

    static func optional(_ text: String?) -> String { text.map(Slots.literal) ?? "nil" }

    static func line(_ line: LineDescriptor) -> String {
        var text = "LineDescriptor(name: \(Slots.literal(line.name)), syntax: \(syntax(line.syntax)), shapes: \(shapes(line.shapes))"
        if !line.lengthFields.isEmpty { text += ", lengthFields: \(strings(line.lengthFields))" }
        if !line.secrets.isEmpty { text += ", secrets: \(set(line.secrets))" }
        return text + ")"
    }

    static func set(_ names: Set<String>) -> String {
        "[" + names.sorted().map(Slots.literal).joined(separator: ", ") + "]"
    }

    static func syntax(_ syntax: Syntax) -> String {
        var text = "Syntax(prefix: \(Slots.literal(syntax.prefix))"
        if let command = syntax.command { text += ", command: \(Slots.literal(command))" }
        if let kind = syntax.commandKind { text += ", commandKind: .\(kind.rawValue)" }
        return text + ", tokens: \(tokens(syntax.tokens)))"
    }

    static func tokens(_ tokens: [SyntaxToken]) -> String {
        "[" + tokens.map { token -> String in
            switch token {
            case .parameter(let name): return ".parameter(\(Slots.literal(name)))"
            case .quotedLiteral(let text): return ".quotedLiteral(\(Slots.literal(text)))"
            case .literal(let text): return ".literal(\(Slots.literal(text)))"
            case .valueList(let text): return ".valueList(\(Slots.literal(text)))"
            case .parameterList(let name): return ".parameterList(\(Slots.literal(name)))"
            case .comma: return ".comma"
            case .optional(let inner): return ".optional(\(self.tokens(inner)))"
            }
        }.joined(separator: ", ") + "]"
    }

    static func shapes(_ shapes: [String: FieldShape]) -> String {
        guard !shapes.isEmpty else { return "[:]" }
        return "[" + shapes.keys.sorted().map { key -> String in
            let shape: String
            switch shapes[key] ?? .any {
            case .quoted: shape = ".quoted"
            case .integer: shape = ".integer"
            case .bare: shape = ".bare"
            case .any: shape = ".any"
            }
            return "\(Slots.literal(key)): \(shape)"
        }.joined(separator: ", ") + "]"
    }

    static func strings(_ map: [String: String]) -> String {
        guard !map.isEmpty else { return "[:]" }
        return "[" + map.keys.sorted().map { "\(Slots.literal($0)): \(Slots.literal(map[$0] ?? ""))" }.joined(separator: ", ") + "]"
    }
}
