// ExampleOrderRule.swift: every document example keeps the spec's `must` ordering rules.

import ATRuntime

/// `example-breaks-rule` (error): an example sends a command that a `must` ordering rule
/// forbids at that point (the rule, or the example, misreads the manual).
///
/// Each transcript is decoded as the runtime decodes it, and the commands pass through
/// ``ATRuleChecker`` as the engine's opt-in check passes them: a command answered with a
/// final result that is not a failure has succeeded (documents often leave a command's
/// `OK` out). An example marked `from_start: true` begins with a freshly started module, so
/// every command a rule requires must be in it; any other example is a fragment of a
/// session, so a required command it does not send at all is taken to have succeeded
/// before it, while one it does send must come in the right order.
struct ExampleOrderRule: LintRule {
    let id = "example-breaks-rule"

    func check(_ spec: Spec, into sink: inout DiagnosticSink) {
        guard !spec.examples.isEmpty, !spec.rules.isEmpty else { return }
        let module = DescriptorBuilder.build(spec)
        guard module.rules.contains(where: { $0.strength == .must && ($0.kind == .mustPrecede || $0.kind == .mustFollow) }) else { return }
        for example in spec.examples {
            var decoder = ATDecoder(module: module)
            var checker = ATRuleChecker(rules: module.rules)
            if !example.fromStart {
                let sent = Set(example.lines.compactMap { module.form(matching: $0)?.0.command })
                checker.assumed = Set(module.forms.map(\.command)).subtracting(sent)
            }
            var pending: (form: FormDescriptor, fields: [CapturedField])?
            for (index, bytes) in example.wireLines(module) {
                let events = decoder.feed(bytes)
                for event in events {
                    switch event {
                    case .command(let command, let form, let shown, let fields):
                        guard let descriptor = module.forms.first(where: { $0.command == command && $0.name == form }) else { continue }
                        // The previous command's final result is not printed: it did not fail.
                        if let done = pending { checker.succeeded(done.form, fields: done.fields) }
                        if let violation = checker.violation(sending: descriptor, fields: fields, label: shown) {
                            let location = index < example.lineLocations.count ? example.lineLocations[index] : example.location
                            sink.error(
                                id,
                                "example '\(example.id)' sends \(shown) before \(violation.missing) succeeded, which rule \"\(violation.rule.text)\" (\(violation.rule.source)) requires: the rule or the example misreads the manual",
                                at: location)
                        }
                        pending = (descriptor, fields)
                    case .final(_, let isSuccess, _, _):
                        if isSuccess, let done = pending { checker.succeeded(done.form, fields: done.fields) }
                        pending = nil
                    default:
                        continue
                    }
                }
            }
        }
    }
}
