// Generator.swift: the generator's entry point: a linted spec in, Swift source out.

import ATRuntime
import ATSpec

/// A generated source file: where it goes (relative to the output folder) and its text.
public struct GeneratedFile: Sendable, Hashable {
    /// The path relative to the output folder (`SIM7672X/SIM7672X.swift`).
    public var path: String
    /// The Swift source.
    public var contents: String
}

/// Generates Swift bindings from specs. A pure function of the spec and the options:
/// the same input gives the same bytes, with no clock, no environment and no file system involved.
public enum Generator {
    /// The file generated for `spec`. The spec should lint clean; items whose syntax
    /// did not parse are left out. The namespace override, if any, should have passed
    /// ``namespaceProblem(_:in:)``.
    public static func generate(_ spec: Spec, options: GeneratorOptions = GeneratorOptions()) -> GeneratedFile {
        var spec = spec
        if let namespace = options.namespace { spec.module.name.value = namespace }
        if let sourceName = options.sourceName { spec.file = sourceName }
        let file = ModuleTranslator(spec: spec, options: options).translate()
        let module = spec.module.name.value
        return GeneratedFile(path: "\(module)/\(module).swift", contents: SwiftRenderer.render(file, access: options.accessLevel))
    }

    /// Why `name` cannot replace the namespace of `spec`'s bindings, or nil when it can:
    /// it must be a Swift identifier that is not a keyword and not the name of a type
    /// declared inside the namespace.
    public static func namespaceProblem(_ name: String, in spec: Spec) -> String? {
        if let problem = GeneratorOptions.namespaceProblem(name) { return problem }
        let plan = NamePlan(spec)
        var nested = Set(["URC", "FinalResult"])
        nested.formUnion(spec.commands.map { plan.commandType($0) })
        nested.formUnion(spec.urcs.map { plan.urcType($0) })
        nested.formUnion(spec.errorTables.map { plan.errorType($0) })
        nested.formUnion(plan.sharedEnums.map(\.name))
        if nested.contains(name) { return "'\(name)' is already the name of a type inside the namespace" }
        return nil
    }
}
