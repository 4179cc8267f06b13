// SpecComposer.swift: a spec that builds on another (`builds_on: ThreeGPP`) composed with it into one.

/// Composes a spec with the spec it builds on.
///
/// The composed spec holds the spec's own commands, URCs, final results, error tables and
/// rules first, then the base's that it does not replace. An own item replaces a base item
/// when it says `overrides: true` and has the base item's id (a command also when it defines
/// the same AT command, a URC also when one of its lines has the prefix and shape of one of the
/// base's, a final result also when it has the same syntax). Without `overrides` that is an
/// error (`shadows-base`): the vendor's definition would silently hide the standard's. An
/// error table with `extends: true` adds its codes to the base's table of the same id; the base's
/// final results that use that table are then the spec's own (they take the extended codes).
public enum SpecComposer {
    /// `spec` composed over `base` (itself already composed), and what composing found.
    public static func compose(_ spec: Spec, onto base: Spec) -> (spec: Spec, diagnostics: [Diagnostic]) {
        var sink = DiagnosticSink(file: spec.file)
        let baseName = base.module.name.value
        var composed = spec
        composed.bases = [base]
        func mark<Item>(_ items: [Item], _ origin: WritableKeyPath<Item, String?>) -> [Item] {
            items.map { item in
                var item = item
                if item[keyPath: origin] == nil { item[keyPath: origin] = baseName }
                return item
            }
        }

        // Documents: the base's are cited by its items.
        for document in base.documents {
            if let own = spec.documents.first(where: { $0.id == document.id }) {
                sink.error("shadows-base", "document id '\(document.id)' is also a document of the base spec \(baseName); give this document another id", at: own.location)
            } else {
                composed.documents.append(document)
            }
        }

        // Commands: by id and by the AT command they define.
        var baseCommands = base.commands
        for command in spec.commands {
            let names = Set(command.forms.compactMap { $0.syntax.parsed?.command })
            replace(
                in: &baseCommands, overrides: command.overrides, at: command.location, sink: &sink,
                hits: { $0.id == command.id || !names.isDisjoint(with: $0.forms.compactMap { $0.syntax.parsed?.command }) },
                nothing: "command '\(command.id)' says 'overrides: true' but the base spec \(baseName) has no such command"
            ) { hit in
                "command '\(command.id)' is also defined by the base spec \(baseName) (as \(hit.map { "'\($0.id)'" }.joined(separator: ", "))); write 'overrides: true' to replace the base's definition, or remove this one to use it"
            }
        }
        composed.commands = spec.commands + mark(baseCommands, \.origin)

        // URCs: by id and by the prefix and shape of their lines.
        var baseURCs = base.urcs
        for urc in spec.urcs {
            let keys = Set(urc.lines.compactMap { Self.lineKey($0, urc.parameters) })
            replace(
                in: &baseURCs, overrides: urc.overrides, at: urc.location, sink: &sink,
                hits: { other in other.id == urc.id || !keys.isDisjoint(with: other.lines.compactMap { Self.lineKey($0, other.parameters) }) },
                nothing: "URC '\(urc.id)' says 'overrides: true' but the base spec \(baseName) has no such URC"
            ) { hit in
                "URC '\(urc.id)' has the id or a line of the base spec \(baseName)'s URC \(hit.map { "'\($0.id)'" }.joined(separator: ", ")), so the two cannot be told apart; write 'overrides: true' to replace the base's, or remove this one to use it"
            }
        }
        composed.urcs = spec.urcs + mark(baseURCs, \.origin)

        // Error tables: replaced, extended, or the base's.
        var baseTables = base.errorTables
        var ownTables: [ErrorTable] = []
        var extended: Set<String> = []
        for table in spec.errorTables {
            guard let index = baseTables.firstIndex(where: { $0.id == table.id }) else {
                if table.overrides || table.extends {
                    sink.error("overrides-nothing", "error table '\(table.id)' says '\(table.extends ? "extends" : "overrides"): true' but the base spec \(baseName) has no table '\(table.id)'", at: table.location)
                }
                ownTables.append(table)
                continue
            }
            let original = baseTables.remove(at: index)
            if table.extends {
                var merged = table
                let added = Set(table.codes.map(\.code))
                for code in table.codes where original.codes.contains(where: { $0.code == code.code }) {
                    sink.error("duplicate-error-code", "code \(code.code) of error table '\(table.id)' is already a code of the base spec \(baseName)'s table; an extending table only adds codes", at: code.location)
                }
                merged.codes = original.codes.filter { !added.contains($0.code) } + table.codes
                merged.reserved = original.reserved + table.reserved
                merged.verbose = original.verbose || table.verbose
                if merged.annotations.source == nil { merged.annotations.source = original.annotations.source }
                extended.insert(table.id)
                ownTables.append(merged)
            } else {
                if !table.overrides {
                    sink.error(
                        "shadows-base",
                        "error table '\(table.id)' is also a table of the base spec \(baseName); write 'extends: true' to add codes to it, 'overrides: true' to replace it, or remove this one to use it",
                        at: table.location)
                }
                ownTables.append(table)
            }
        }
        composed.errorTables = ownTables + mark(baseTables, \.origin)

        // Final results: by name and by syntax; a base result that uses an extended table becomes the spec's own.
        var baseFinals = base.finalResults
        var ownFinals = spec.finalResults
        for final in spec.finalResults {
            replace(
                in: &baseFinals, overrides: final.overrides, at: final.name.location, sink: &sink,
                hits: { $0.name.value == final.name.value || $0.syntax.text == final.syntax.text },
                nothing: "final result '\(final.name.value)' says 'overrides: true' but the base spec \(baseName) has no such final result"
            ) { hit in
                "final result '\(final.name.value)' is also a final result of the base spec \(baseName) ('\(hit[0].syntax.text)'); write 'overrides: true' to replace it, or remove this one to use it"
            }
        }
        for final in baseFinals where final.parameters.contains(where: { $0.type == .error && extended.contains($0.table?.value ?? "") }) {
            var adopted = final
            adopted.origin = nil
            ownFinals.append(adopted)
        }
        baseFinals.removeAll { final in final.parameters.contains { $0.type == .error && extended.contains($0.table?.value ?? "") } }
        composed.finalResults = ownFinals + mark(baseFinals, \.origin)

        composed.rules = spec.rules + mark(base.rules, \.origin)
        composed.markVerboseErrorFields()
        return (composed, sink.diagnostics)
    }

    /// Removes from `base` the items an own item replaces (those `hits` accepts), reporting
    /// `shadows-base` when it does so without `overrides: true`, and `overrides-nothing` when it
    /// says `overrides: true` and replaces nothing.
    static func replace<Item>(
        in base: inout [Item], overrides: Bool, at location: SourceLocation, sink: inout DiagnosticSink,
        hits: (Item) -> Bool, nothing: @autoclosure () -> String, shadows: ([Item]) -> String
    ) {
        let hit = base.filter(hits)
        if hit.isEmpty {
            if overrides { sink.error("overrides-nothing", nothing(), at: location) }
            return
        }
        if !overrides { sink.error("shadows-base", shadows(hit), at: location) }
        base.removeAll(where: hits)
    }

    /// What a URC line looks like to the matcher: prefix and shape (as the duplicate rule compares them).
    static func lineKey(_ line: SyntaxString, _ parameters: [Parameter]) -> String? {
        guard let parsed = line.parsed else { return nil }
        return parsed.prefix.isEmpty ? line.text : parsed.prefix + "|" + DuplicateRule.shape(RepeatedExpansion.expand(parsed, parameters).tokens, parameters)
    }
}

extension Spec {
    /// The spec's own items, without those of the spec it builds on.
    public var ownCommands: [Command] { commands.filter { $0.origin == nil } }
    public var ownURCs: [URC] { urcs.filter { $0.origin == nil } }
    public var ownFinalResults: [FinalResult] { finalResults.filter { $0.origin == nil } }
    public var ownErrorTables: [ErrorTable] { errorTables.filter { $0.origin == nil } }
    public var ownRules: [Rule] { rules.filter { $0.origin == nil } }
}

extension Spec {
    /// Marks every `error` parameter whose table is `verbose` (``Parameter/acceptsText``).
    mutating func markVerboseErrorFields() {
        let verbose = Set(errorTables.filter(\.verbose).map(\.id))
        func mark(_ parameters: inout [Parameter]) {
            for index in parameters.indices where parameters[index].type == .error {
                parameters[index].acceptsText = verbose.contains(parameters[index].table?.value ?? "")
            }
        }
        for index in commands.indices { mark(&commands[index].parameters) }
        for index in urcs.indices { mark(&urcs[index].parameters) }
        for index in finalResults.indices { mark(&finalResults[index].parameters) }
    }
}
