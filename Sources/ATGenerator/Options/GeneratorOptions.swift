// GeneratorOptions.swift: how generated code is shaped beyond the spec: access level, namespace, header note.

import ATSpec

/// Choices about the generated file that are not part of the spec.
///
/// The defaults produce the committed `Generated/` bindings; the build plugin
/// sets them from a target's `at-bindgen-config.yaml`.
public struct GeneratorOptions: Sendable, Hashable {
    /// The access level of every generated declaration.
    public enum AccessLevel: String, Sendable, Hashable, CaseIterable {
        /// Visible to every importer (`public`).
        case `public`
        /// Visible inside the package (`package`).
        case `package`
        /// Visible inside the target only (no modifier).
        case `internal`

        /// The modifier written before a declaration, with its trailing space; empty for `internal`.
        var modifier: String {
            switch self {
            case .public: "public "
            case .package: "package "
            case .internal: ""
            }
        }
    }

    /// The access level of the generated declarations; `public` by default.
    public var accessLevel: AccessLevel
    /// The name of the generated namespace enum, instead of the spec's `module.name`.
    public var namespace: String?
    /// How the generated comments name the spec file, instead of the path it was loaded from.
    public var sourceName: String?
    /// The second header line: how to regenerate the file.
    public var regenerateNote: String

    /// The note of the committed bindings.
    public static let defaultRegenerateNote = "Regenerate with: swift run at-bindgen generate Specs --output Generated --index ATModules"

    /// Creates options; the defaults give the committed bindings.
    public init(
        accessLevel: AccessLevel = .public, namespace: String? = nil, sourceName: String? = nil,
        regenerateNote: String = GeneratorOptions.defaultRegenerateNote
    ) {
        self.accessLevel = accessLevel
        self.namespace = namespace
        self.sourceName = sourceName
        self.regenerateNote = regenerateNote
    }

    /// Why `name` cannot name a namespace, or nil when it can.
    public static func namespaceProblem(_ name: String) -> String? {
        guard let first = name.unicodeScalars.first else { return "a namespace name cannot be empty" }
        let isStart = { (c: Unicode.Scalar) in (c >= "A" && c <= "Z") || (c >= "a" && c <= "z") || c == "_" }
        let isRest = { (c: Unicode.Scalar) in isStart(c) || (c >= "0" && c <= "9") }
        guard isStart(first), name.unicodeScalars.allSatisfy(isRest) else {
            return "'\(name)' is not a Swift identifier (letters, digits and _, not starting with a digit)"
        }
        if SwiftNaming.keywords.contains(name) { return "'\(name)' is a Swift keyword" }
        if ["ATRuntime", "Swift"].contains(name) { return "'\(name)' would shadow a module the generated code uses" }
        return nil
    }
}
