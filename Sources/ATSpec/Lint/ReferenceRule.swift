// ReferenceRule.swift: every id a spec names (documents, tables, commands, parameters, results) exists.

/// `unknown-reference`: citations name documents; `table` names an error table;
/// rules, `shares_prefix_with` and `final` name what exists; prompts, `length_from`,
/// data lengths and `success` name parameters of their owner.
struct ReferenceRule: LintRule {
    let id = "unknown-reference"

    func check(_ spec: Spec, into sink: inout DiagnosticSink) {
        let documents = Names(spec.documents.map(\.id))
        let tables = Names(spec.errorTables.map(\.id))
        let commands = Names(spec.commands.map(\.id))
        let commandsAndURCs = Names(spec.commands.map(\.id) + spec.urcs.map(\.id))
        let finals = Names(spec.finalResults.map(\.name.value))

        func known(_ name: Located<String>, in names: Names, _ what: String, _ sink: inout DiagnosticSink) {
            guard !names.set.contains(name.value) else { return }
            var message = "\(what) '\(name.value)' is not defined"
            if let suggestion = Suggest.nearest(to: name.value, in: names.list) { message += "; did you mean '\(suggestion)'?" }
            sink.error(id, message, at: name.location)
        }
        let located = Set(spec.documents.filter(\.isLocated).map(\.id))
        func annotations(_ annotations: Annotations, _ sink: inout DiagnosticSink) {
            for citation in annotations.citations {
                known(citation.doc, in: documents, "document", &sink)
                if citation.section.isEmpty, documents.set.contains(citation.doc.value), !located.contains(citation.doc.value) {
                    sink.error(
                        "missing-key", "a citation of document '\(citation.doc.value)' needs a 'section' (only a document with a url or repository may be cited without one)",
                        at: citation.location)
                }
            }
            for doc in annotations.onlyIn { known(doc, in: documents, "document", &sink) }
        }
        func parameters(_ parameters: [Parameter], _ sink: inout DiagnosticSink) {
            let names = Names(parameters.map(\.name))
            for parameter in parameters {
                annotations(parameter.annotations, &sink)
                if let table = parameter.table { known(table, in: tables, "error table", &sink) }
                if parameter.type == .error, parameter.table == nil, parameter.range == nil {
                    sink.warning(id, "error parameter '\(parameter.name)' names no error table ('table')", at: parameter.location)
                }
                if let lengthFrom = parameter.lengthFrom { known(lengthFrom, in: names, "parameter", &sink) }
            }
        }

        func responseTime(_ time: ResponseTime, _ names: Names, _ sink: inout DiagnosticSink) {
            annotations(time.annotations, &sink)
            if let parameter = time.parameter { known(parameter, in: names, "parameter", &sink) }
        }
        for command in spec.commands {
            annotations(command.annotations, &sink)
            parameters(command.parameters, &sink)
            let names = Names(command.parameters.map(\.name))
            if let time = command.maxResponseTime { responseTime(time, names, &sink) }
            for parameter in command.parameters where parameter.type == .repeated {
                for item in parameter.items { known(item, in: names, "parameter", &sink) }
            }
            for form in command.forms {
                annotations(form.annotations, &sink)
                for final in form.finals { known(final, in: finals, "final result", &sink) }
                for line in form.responses { annotations(line.annotations, &sink) }
                if let prompt = form.prompt {
                    known(prompt.data, in: names, "parameter", &sink)
                    if let length = prompt.length { known(length, in: names, "parameter", &sink) }
                    annotations(prompt.annotations, &sink)
                }
                for deferred in form.deferredShapes {
                    annotations(deferred.annotations, &sink)
                    let inLine = deferred.syntax.parsed.map { Names($0.parameterNames) } ?? names
                    for (name, _) in deferred.success { known(name, in: inLine, "parameter of the deferred result", &sink) }
                    if let time = deferred.timeout { responseTime(time, names, &sink) }
                }
                if let time = form.maxResponseTime { responseTime(time, names, &sink) }
                for constraint in form.constraints + command.constraints {
                    annotations(constraint.annotations, &sink)
                    for name in constraint.names { known(name, in: names, "parameter", &sink) }
                }
            }
        }
        for urc in spec.urcs {
            annotations(urc.annotations, &sink)
            parameters(urc.parameters, &sink)
            for other in urc.sharesPrefixWith { known(other, in: commands, "command", &sink) }
            for part in urc.parts {
                annotations(part.annotations, &sink)
                if let length = part.dataLength { known(length, in: Names(urc.parameters.map(\.name)), "parameter", &sink) }
            }
        }
        for final in spec.finalResults {
            annotations(final.annotations, &sink)
            parameters(final.parameters, &sink)
        }
        for table in spec.errorTables { annotations(table.annotations, &sink) }
        let formNames = Dictionary(spec.commands.map { command in
            (command.id, Names(command.forms.map(DescriptorBuilder.formName)))
        }, uniquingKeysWith: { first, _ in first })
        /// A rule's reference: a command (or URC), or one form of a command (`CMQTTSUB.multi_topic`).
        func reference(_ name: Located<String>, _ names: Names, _ what: String, _ sink: inout DiagnosticSink) {
            let (command, form) = Rule.split(name.value)
            known(Located(command, at: name.location), in: names, what, &sink)
            if let form, let forms = formNames[command] {
                known(Located(form, at: name.location), in: forms, "form of command '\(command)'", &sink)
            }
        }
        for rule in spec.rules {
            if let source = rule.source { known(source.doc, in: documents, "document", &sink) }
            for conflict in rule.conflicts { if let source = conflict.source { known(source.doc, in: documents, "document", &sink) } }
            reference(rule.command, commands, "command", &sink)
            for other in rule.others where other.value != "*" {
                reference(other, commandsAndURCs, "command or URC", &sink)
            }
            if rule.scope != nil || !rule.scopeByCommand.isEmpty {
                // The scope is a parameter of each of the rule's commands.
                for name in [rule.command] + rule.others where name.value != "*" {
                    let commandID = Rule.split(name.value).command
                    guard let command = spec.commands.first(where: { $0.id == commandID }), let scope = rule.scopeParameter(commandID) else { continue }
                    if command.parameter(scope.value) == nil {
                        sink.error(
                            id, "rule scope '\(scope.value)' is not a parameter of command '\(commandID)'; name each command's parameter with scope: {\(commandID): <parameter>, ...}",
                            at: scope.location)
                    }
                }
            }
        }
        for example in spec.examples { annotations(example.annotations, &sink) }
    }
}

/// Names in the order written (for suggestions) and as a set (for membership: a spec with
/// thousands of commands and rules is checked in linear time).
struct Names {
    let list: [String]
    let set: Set<String>

    init(_ list: [String]) {
        self.list = list
        set = Set(list)
    }
}
