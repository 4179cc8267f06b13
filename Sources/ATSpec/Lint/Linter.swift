// Linter.swift: runs every lint rule over a loaded spec.

import ATRuntime

/// One check of a spec. Each rule has a stable id that appears in its messages.
public protocol LintRule: Sendable {
    /// The rule's id (`undefined-parameter`).
    var id: String { get }
    /// Reports what the rule finds in `spec`.
    func check(_ spec: Spec, into sink: inout DiagnosticSink)
}

/// Lints specs: loader diagnostics first, then every rule in ``Linter/rules``.
public enum Linter {
    /// Every rule, in the order they run.
    public static let rules: [any LintRule] = [
        FormKindRule(),
        ReferenceRule(),
        ParameterUsageRule(),
        RangeRule(),
        DuplicateRule(),
        IdentifierRule(),
        ASCIIRule(),
        ExampleRule(),
        ExampleOrderRule(),
        MQTTRule(),
    ]

    /// Lints an already loaded spec.
    public static func lint(_ spec: Spec) -> [Diagnostic] {
        var sink = DiagnosticSink(file: spec.file)
        for rule in rules {
            rule.check(spec, into: &sink)
        }
        return sink.diagnostics
    }

    /// Loads and lints the spec at `path`, composed with the spec it builds on (found beside it
    /// or in `searchPaths`); diagnostics sorted by position. What the base alone has is not
    /// reported again (lint the base for that): only what the spec and the composition add.
    public static func lint(path: String, searchPaths: [String] = []) -> (spec: Spec?, diagnostics: [Diagnostic]) {
        lintComposed(SpecLoader.loadComposed(path: path, searchPaths: searchPaths), file: path)
    }

    /// Loads and lints spec text named `file`, composed with the spec it builds on (found in the
    /// folder of `file` or in `searchPaths`), as ``lint(path:searchPaths:)`` does.
    public static func lint(text: String, file: String, searchPaths: [String]) -> (spec: Spec?, diagnostics: [Diagnostic]) {
        lintComposed(SpecLoader.loadComposed(text: text, file: file, searchPaths: searchPaths), file: file)
    }

    private static func lintComposed(_ loaded: LoadedSpec, file path: String) -> (spec: Spec?, diagnostics: [Diagnostic]) {
        if loaded.diagnostics.contains(where: { $0.rule == "unknown-base" || $0.rule == "base-has-errors" }) {
            // Without its base the spec cannot be checked as a whole: say only why.
            var diagnostics = loaded.diagnostics
            diagnostics.sort { ($0.location, $0.rule) < ($1.location, $1.rule) }
            return (loaded.spec, diagnostics)
        }
        guard let base = loaded.spec?.base else { return finish(loaded) }
        struct Key: Hashable {
            let location: SourceLocation
            let rule: String
            let message: String
        }
        let known = Set(lint(base).map { Key(location: $0.location, rule: $0.rule, message: $0.message) })
        var result = finish(loaded)
        result.diagnostics.removeAll { $0.file == path && known.contains(Key(location: $0.location, rule: $0.rule, message: $0.message)) && !loaded.diagnostics.contains($0) }
        return result
    }

    /// Loads and lints spec text.
    public static func lint(text: String, file: String) -> (spec: Spec?, diagnostics: [Diagnostic]) {
        finish(SpecLoader.load(text: text, file: file))
    }

    private static func finish(_ loaded: LoadedSpec) -> (spec: Spec?, diagnostics: [Diagnostic]) {
        var diagnostics = loaded.diagnostics
        if let spec = loaded.spec {
            diagnostics += lint(spec)
        }
        diagnostics.sort { ($0.location, $0.rule) < ($1.location, $1.rule) }
        return (loaded.spec, diagnostics)
    }
}

extension Spec {
    /// Every parameter owner with its parameters and syntaxes: commands, URCs, final results.
    var parameterOwners: [(what: String, parameters: [Parameter], syntaxes: [SyntaxString])] {
        var owners: [(String, [Parameter], [SyntaxString])] = []
        for command in commands {
            var syntaxes: [SyntaxString] = []
            for form in command.forms {
                syntaxes.append(form.syntax)
                syntaxes += form.responses.map(\.syntax)
                syntaxes += form.deferredShapes.map(\.syntax)
            }
            owners.append(("command '\(command.id)'", command.parameters, syntaxes))
        }
        for urc in urcs {
            owners.append(("URC '\(urc.id)'", urc.parameters, urc.lines))
        }
        for final in finalResults {
            owners.append(("final result '\(final.name.value)'", final.parameters, [final.syntax]))
        }
        return owners
    }
}
