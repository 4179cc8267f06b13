// FormKindRule.swift: a form's kind agrees with its syntax, and several forms of a kind are named.

import ATRuntime

/// `form-kind`: `kind: read` needs `AT+X?`, `kind: test` needs `AT+X=?`, and so on;
/// all forms of a command name the same command; several forms of one kind need names.
struct FormKindRule: LintRule {
    let id = "form-kind"

    func check(_ spec: Spec, into sink: inout DiagnosticSink) {
        for command in spec.commands {
            var commandName: String?
            var kinds: [Syntax.CommandKind: Int] = [:]
            for form in command.forms {
                kinds[form.kind, default: 0] += 1
                guard let parsed = form.syntax.parsed, let kind = parsed.commandKind else { continue }
                if kind != form.kind {
                    sink.error(id, "form of command '\(command.id)' says kind '\(form.kind.rawValue)' but its syntax '\(form.syntax.text)' is a \(kind.rawValue) command", at: form.syntax.location)
                }
                if let name = commandName, let this = parsed.command, name != this {
                    sink.error(id, "command '\(command.id)' mixes forms of '\(name)' and '\(this)'", at: form.syntax.location)
                }
                commandName = commandName ?? parsed.command
            }
            for form in command.forms where kinds[form.kind, default: 0] > 1 && form.name == nil {
                sink.error("missing-key", "command '\(command.id)' has \(kinds[form.kind, default: 0]) \(form.kind.rawValue) forms; each needs a 'name'", at: form.location)
            }
        }
    }
}
