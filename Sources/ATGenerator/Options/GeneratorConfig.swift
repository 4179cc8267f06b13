// GeneratorConfig.swift: `at-bindgen-config.yaml`, a target's small file of generator options, read with positions.

import ATSpec

/// The options a consumer target sets for the build plugin in `at-bindgen-config.yaml`:
///
/// ```yaml
/// access_level: internal        # public (default), package or internal
/// namespaces:                   # spec file name: the namespace to generate instead of module.name
///   Basic3GPP.atspec.yaml: Modem
/// ```
///
/// Every mistake is a ``Diagnostic`` at the line and column of the offending node.
public struct GeneratorConfig: Sendable, Hashable {
    /// The usual file name; the build plugin looks for it at the top of a target.
    public static let fileName = "at-bindgen-config.yaml"

    /// The path the configuration was read from.
    public var file: String
    /// The access level for every spec of the target, when set.
    public var accessLevel: GeneratorOptions.AccessLevel?
    /// Namespace overrides by spec file name, each with where its key and value were written.
    public var namespaces: [(spec: Located<String>, namespace: Located<String>)]

    /// Creates a configuration.
    public init(file: String, accessLevel: GeneratorOptions.AccessLevel? = nil, namespaces: [(spec: Located<String>, namespace: Located<String>)] = []) {
        self.file = file
        self.accessLevel = accessLevel
        self.namespaces = namespaces
    }

    /// The namespace override for the spec file named `specFileName` (its last path component), with its position.
    public func namespace(forSpecNamed specFileName: String) -> Located<String>? {
        namespaces.first { $0.spec.value == specFileName }?.namespace
    }

    /// Errors for namespace keys that name none of `specFileNames`.
    public func unknownSpecs(among specFileNames: [String]) -> [Diagnostic] {
        namespaces.filter { !specFileNames.contains($0.spec.value) }.map { entry in
            let known = specFileNames.isEmpty ? "the target has no spec files" : "the target's spec files are " + specFileNames.joined(separator: ", ")
            return Diagnostic(
                file: file, location: entry.spec.location, severity: .error, rule: "config",
                message: "namespaces names '\(entry.spec.value)', which is not a spec file of this target; \(known)")
        }
    }

    public static func == (lhs: GeneratorConfig, rhs: GeneratorConfig) -> Bool {
        lhs.file == rhs.file && lhs.accessLevel == rhs.accessLevel && lhs.namespaces.map(\.spec) == rhs.namespaces.map(\.spec)
            && lhs.namespaces.map(\.namespace) == rhs.namespaces.map(\.namespace)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(file)
        hasher.combine(accessLevel)
        hasher.combine(namespaces.map(\.spec))
        hasher.combine(namespaces.map(\.namespace))
    }

    /// Reads the configuration file at `path`.
    public static func load(path: String) -> (config: GeneratorConfig?, diagnostics: [Diagnostic]) {
        switch FileIO.readFile(path, limit: 1 << 20) {
        case .success(let bytes):
            return parse(bytes: bytes, file: path)
        case .failure(let error):
            return (nil, [Diagnostic(file: path, location: SourceLocation(line: 1, column: 1), severity: .error, rule: "io", message: error.message)])
        }
    }

    /// Parses configuration text; `file` names it in diagnostics.
    public static func parse(text: String, file: String) -> (config: GeneratorConfig?, diagnostics: [Diagnostic]) {
        parse(bytes: Array(text.utf8), file: file)
    }

    static func parse(bytes: [UInt8], file: String) -> (config: GeneratorConfig?, diagnostics: [Diagnostic]) {
        var limits = YAMLLoader.Limits()
        limits.maxBytes = 1 << 20
        limits.maxDepth = 8
        limits.maxNodes = 10_000
        let loaded = YAMLLoader(limits: limits).load(bytes, file: file)
        var sink = DiagnosticSink(file: file)
        guard loaded.diagnostics.allSatisfy({ $0.severity != .error }) else { return (nil, loaded.diagnostics) }
        var config = GeneratorConfig(file: file)
        guard let root = loaded.root else { return (config, loaded.diagnostics) }  // an empty file sets nothing
        guard let pairs = root.pairs else {
            sink.error("config", "the configuration must be a mapping with access_level and namespaces, not \(root.kindDescription)", at: root.location)
            return (nil, loaded.diagnostics + sink.diagnostics)
        }
        // The loader has already refused keys written twice.
        for pair in pairs {
            let key = pair.key.scalar ?? ""
            switch key {
            case "access_level":
                let levels = GeneratorOptions.AccessLevel.allCases.map(\.rawValue)
                if let text = pair.value.scalar, let level = GeneratorOptions.AccessLevel(rawValue: text) {
                    config.accessLevel = level
                } else {
                    sink.error("config", "access_level must be one of \(levels.joined(separator: ", ")), not \(pair.value.scalar.map { "'\($0)'" } ?? pair.value.kindDescription)", at: pair.value.location)
                }
            case "namespaces":
                guard let entries = pair.value.pairs else {
                    sink.error("config", "namespaces must be a mapping of spec file name to namespace, not \(pair.value.kindDescription)", at: pair.value.location)
                    continue
                }
                for entry in entries {
                    guard let spec = entry.key.scalar, !spec.isEmpty, !spec.contains("/") else {
                        sink.error("config", "a namespaces key is the file name of a spec (Basic3GPP.atspec.yaml), without folders", at: entry.key.location)
                        continue
                    }
                    guard let namespace = entry.value.scalar else {
                        sink.error("config", "the namespace of '\(spec)' must be a name, not \(entry.value.kindDescription)", at: entry.value.location)
                        continue
                    }
                    if let problem = GeneratorOptions.namespaceProblem(namespace) {
                        sink.error("config", "namespace of '\(spec)': \(problem)", at: entry.value.location)
                        continue
                    }
                    config.namespaces.append((Located(spec, at: entry.key.location), Located(namespace, at: entry.value.location)))
                }
            default:
                let hint = ["access_level", "namespaces"].first { editDistance($0, key) <= 3 }.map { "; did you mean '\($0)'?" } ?? ""
                sink.error("unknown-key", "unknown key '\(key)' (the keys are access_level and namespaces)\(hint)", at: pair.key.location)
            }
        }
        let diagnostics = loaded.diagnostics + sink.diagnostics
        return (sink.hasErrors ? nil : config, diagnostics)
    }

    /// The Levenshtein distance of two keys, for suggestions.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.utf8)
        let b = Array(b.utf8)
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1]
            for (j, y) in b.enumerated() {
                current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }
}
