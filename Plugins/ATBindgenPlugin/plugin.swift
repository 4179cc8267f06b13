// plugin.swift: the build-tool plugin: each `*.atspec.yaml` of a target becomes one Swift file at build time.

import PackagePlugin

import Foundation

/// Runs `at-bindgen generate` on every spec file of the target it is applied to.
///
/// Conventions (see the README's "Using the build plugin"):
/// - a spec file is any file of the target whose name ends in `.atspec.yaml` or `.atspec.yml`;
/// - `Name.atspec.yaml` becomes `Name.swift` in the plugin's work folder, so every output
///   name is known before the spec is read, and each spec is its own build command with
///   exact inputs (the spec, the configuration) and one output;
/// - an optional `at-bindgen-config.yaml` at any place in the target sets `access_level`
///   and per-spec `namespaces`.
///
/// The tool lints first: a broken spec fails the build with `path:line:column: error:`
/// diagnostics and no file, never with Swift errors in generated code.
@main
struct ATBindgenPlugin {
    static let specSuffixes = [".atspec.yaml", ".atspec.yml"]
    static let configNames = ["at-bindgen-config.yaml", "at-bindgen-config.yml"]

    func commands(files: [URL], packageRoot: URL, workDirectory: URL, tool: URL, targetName: String, bundledSpecs: URL? = nil) throws -> [Command] {
        let specs = files.filter { url in Self.specSuffixes.contains { url.lastPathComponent.hasSuffix($0) } }
            .sorted { $0.path(percentEncoded: false) < $1.path(percentEncoded: false) }
        let configs = files.filter { Self.configNames.contains($0.lastPathComponent) }
        if configs.count > 1 {
            throw PluginError.severalConfigs(target: targetName, files: configs.map { relative($0, to: packageRoot) })
        }
        if specs.isEmpty {
            let yaml = files.filter { ["yaml", "yml"].contains($0.pathExtension) && !Self.configNames.contains($0.lastPathComponent) }
            throw PluginError.noSpecs(target: targetName, otherYAML: yaml.map { relative($0, to: packageRoot) })
        }
        var outputs: [String: URL] = [:]
        for spec in specs {
            let name = Self.outputName(spec)
            if let other = outputs[name] {
                throw PluginError.sameOutput(target: targetName, output: name, files: [other, spec].map { relative($0, to: packageRoot) })
            }
            outputs[name] = spec
        }
        let config = configs.first
        let specNames = specs.map(\.lastPathComponent)
        let folder = workDirectory.appending(component: "GeneratedSources")
        return specs.map { spec in
            let output = folder.appending(component: Self.outputName(spec))
            var arguments = [
                "generate", spec.path(percentEncoded: false),
                "--output-file", output.path(percentEncoded: false),
                "--source-name", relative(spec, to: packageRoot),
            ]
            if let config {
                arguments += ["--config", config.path(percentEncoded: false)]
                arguments += specNames.flatMap { ["--target-spec", $0] }
            }
            // A spec that builds on a bundled spec (`builds_on: ThreeGPP`) finds it here, after its own folder.
            var bases: [URL] = []
            if let bundledSpecs {
                arguments += ["--base-path", bundledSpecs.path(percentEncoded: false)]
                bases = Self.specFiles(in: bundledSpecs)
            }
            return .buildCommand(
                displayName: "Generating \(output.lastPathComponent) from \(spec.lastPathComponent)",
                executable: tool,
                arguments: arguments,
                environment: [:],
                inputFiles: [spec] + (config.map { [$0] } ?? []) + bases,
                outputFiles: [output]
            )
        }
    }

    /// The `.yaml` files of a folder of bundled specs, sorted.
    static func specFiles(in folder: URL) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path(percentEncoded: false))) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted().map { folder.appending(component: $0) }
    }

    /// The `Specs` folder of the package that provides this plugin (the base specs that user specs
    /// build on), found among the packages the consumer depends on.
    static func bundledSpecs(_ package: Package) -> URL? {
        var seen: Set<String> = []
        var pending = [package]
        while let next = pending.popLast() {
            guard seen.insert(next.id).inserted else { continue }
            // The package with the runtime that generated code imports is the one this plugin comes from.
            // (Its plugin targets are not in the graph a plugin sees; its runtime and its tool are.)
            if next.products.contains(where: { $0.name == "ATRuntime" }), next.products.contains(where: { $0.name == "at-bindgen" }) {
                let folder = next.directoryURL.appending(component: "Specs")
                return FileManager.default.fileExists(atPath: folder.path(percentEncoded: false)) ? folder : nil
            }
            pending += next.dependencies.map(\.package)
        }
        return nil
    }

    /// `Basic3GPP.atspec.yaml` → `Basic3GPP.swift`.
    static func outputName(_ spec: URL) -> String {
        var name = spec.lastPathComponent
        for suffix in specSuffixes where name.hasSuffix(suffix) {
            name.removeLast(suffix.count)
        }
        return name + ".swift"
    }

    /// The path of `file` from the package root when it lies inside it, else its full path.
    func relative(_ file: URL, to root: URL) -> String {
        let path = file.standardizedFileURL.path(percentEncoded: false)
        var base = root.standardizedFileURL.path(percentEncoded: false)
        if !base.hasSuffix("/") { base += "/" }
        return path.hasPrefix(base) ? String(path.dropFirst(base.count)) : path
    }
}

extension ATBindgenPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        guard let target = target as? SourceModuleTarget else { throw PluginError.notASourceTarget(target: target.name) }
        return try commands(
            files: target.sourceFiles.map(\.url), packageRoot: context.package.directoryURL,
            workDirectory: context.pluginWorkDirectoryURL, tool: context.tool(named: "at-bindgen-build").url, targetName: target.name,
            bundledSpecs: Self.bundledSpecs(context.package))
    }
}

#if canImport(XcodeProjectPlugin)
    import XcodeProjectPlugin

    extension ATBindgenPlugin: XcodeBuildToolPlugin {
        func createBuildCommands(context: XcodePluginContext, target: XcodeTarget) throws -> [Command] {
            try commands(
                files: target.inputFiles.map(\.url), packageRoot: context.xcodeProject.directoryURL,
                workDirectory: context.pluginWorkDirectoryURL, tool: context.tool(named: "at-bindgen-build").url, targetName: target.displayName)
        }
    }
#endif

/// Why the plugin cannot set up a target: each names the target, what it looks for and the fix.
enum PluginError: Error, CustomStringConvertible {
    case notASourceTarget(target: String)
    case noSpecs(target: String, otherYAML: [String])
    case sameOutput(target: String, output: String, files: [String])
    case severalConfigs(target: String, files: [String])

    var description: String {
        switch self {
        case .notASourceTarget(let target):
            return "ATBindgenPlugin applies to targets with source files; '\(target)' has none."
        case .noSpecs(let target, let otherYAML):
            var text = "Target '\(target)' applies ATBindgenPlugin but has no spec file: add one named <Name>.atspec.yaml (or .atspec.yml) to the target's folder"
            if !otherYAML.isEmpty { text += "; these YAML files do not end in .atspec.yaml and are not read: " + otherYAML.joined(separator: ", ") }
            return text + "."
        case .sameOutput(let target, let output, let files):
            return "Target '\(target)': \(files.joined(separator: " and ")) would both generate \(output); rename one of them."
        case .severalConfigs(let target, let files):
            return "Target '\(target)' has more than one configuration file (\(files.joined(separator: ", "))); keep one at-bindgen-config.yaml."
        }
    }
}
