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

/// Generates Swift bindings from specs. A pure function of the spec: the same spec
/// gives the same bytes, with no clock, no environment and no file system involved.
public enum Generator {
    /// The file generated for `spec`. The spec should lint clean; items whose syntax
    /// did not parse are left out.
    public static func generate(_ spec: Spec) -> GeneratedFile {
        let file = ModuleTranslator(spec: spec).translate()
        let module = spec.module.name.value
        return GeneratedFile(path: "\(module)/\(module).swift", contents: SwiftRenderer.render(file))
    }
}
