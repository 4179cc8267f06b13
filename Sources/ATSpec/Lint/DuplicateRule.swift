// DuplicateRule.swift: no command, form, URC shape, final result or error code is defined twice.

import ATRuntime

/// `duplicate-command`, `duplicate-form`, `duplicate-urc`, `duplicate-error-code`, `duplicate-final`.
struct DuplicateRule: LintRule {
    let id = "duplicate-command"

    func check(_ spec: Spec, into sink: inout DiagnosticSink) {
        var commandNames: [String: String] = [:]
        for command in spec.commands {
            let names = Set(command.forms.compactMap { $0.syntax.parsed?.command })
            for name in names.sorted() {
                if let other = commandNames[name] {
                    sink.error(id, "command 'AT\(name)' is defined twice: as '\(other)' and as '\(command.id)'", at: command.location)
                }
                commandNames[name] = command.id
            }
            var forms: [String: SourceLocation] = [:]
            for form in command.forms {
                let key = form.kind.rawValue + "/" + (form.name?.value ?? "")
                if let first = forms[key] {
                    sink.error("duplicate-form", "command '\(command.id)' has two \(form.kind.rawValue) forms named '\(form.name?.value ?? "")' (first at line \(first.line))", at: form.location)
                }
                forms[key] = form.location
            }
        }
        // Several URCs may share a prefix with different shapes (`+QMTRECV` with and without a
        // length); one whose shape repeats another's could never be told apart from it.
        var urcLines: [String: String] = [:]
        for urc in spec.urcs {
            for line in urc.lines {
                guard let parsed = line.parsed else { continue }
                let key = parsed.prefix.isEmpty ? line.text : parsed.prefix + "|" + Self.shape(RepeatedExpansion.expand(parsed, urc.parameters).tokens, urc.parameters)
                if let other = urcLines[key], other != urc.id {
                    sink.error("duplicate-urc", "URC line '\(line.text)' has the prefix and the shape of URC '\(other)' already: the two cannot be told apart", at: line.location)
                }
                urcLines[key] = urc.id
            }
        }
        var finals: [String: SourceLocation] = [:]
        for final in spec.finalResults {
            if let first = finals[final.name.value] {
                sink.error("duplicate-final", "final result '\(final.name.value)' is defined twice (first at line \(first.line))", at: final.name.location)
            }
            finals[final.name.value] = final.name.location
        }
        for table in spec.errorTables {
            var seen: [Int: SourceLocation] = [:]
            for code in table.codes {
                if let first = seen[code.code] {
                    sink.error("duplicate-error-code", "error code \(code.code) appears twice in table '\(table.id)' (first at line \(first.line))", at: code.location)
                }
                seen[code.code] = code.location
            }
        }
    }

    /// What a line's items look like to the matcher: literals as written, parameters by how they are written.
    static func shape(_ tokens: [SyntaxToken], _ parameters: [Parameter]) -> String {
        tokens.map { token -> String in
            switch token {
            case .parameter(let name):
                guard let parameter = parameters.first(where: { $0.name == name }) else { return "<any>" }
                return "<\(DescriptorBuilder.shape(parameter))>"
            case .quotedLiteral(let text): return "\"" + text.uppercased() + "\""
            case .literal(let text): return text
            case .valueList(let text): return "(" + text + ")"
            case .parameterList: return "(<list>)"
            case .comma: return ","
            case .optional(let inner): return "[" + shape(inner, parameters) + "]"
            }
        }.joined()
    }
}
