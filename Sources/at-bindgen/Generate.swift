// Generate.swift: `at-bindgen generate`: lints specs, then writes their Swift bindings.

import ATGenerator
import ATSpec
import ArgumentParser

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate Swift bindings from spec files.",
        discussion: """
            Specs are linted first; a spec with errors is not generated. One file per spec, written only when its \
            content changed: <output>/<Module>/<Module>.swift with --output, or exactly the file named by \
            --output-file (the build plugin's mode: one spec, a file name known before the spec is read).
            """
    )

    @Argument(help: "Spec files or folders of specs.")
    var paths: [String]

    @Option(name: .shortAndLong, help: "The folder to write into, one <Module>/<Module>.swift per spec.")
    var output: String?

    @Option(help: "The file to write the bindings of the one spec into.")
    var outputFile: String?

    @Option(help: "With --output: also write <output>/<name>/<name>.swift, a module that imports and lists every generated module.")
    var index: String?

    @Option(help: "A configuration file (at-bindgen-config.yaml) with access_level and namespaces.")
    var config: String?

    @Option(help: "The access level of the generated declarations: public, package or internal (overrides the configuration; default public).")
    var accessLevel: GeneratorOptions.AccessLevel?

    @Option(help: "The namespace to generate instead of the spec's module name (one spec only; overrides the configuration).")
    var namespace: String?

    @Option(help: "How the generated comments name the spec (default: the path given).")
    var sourceName: String?

    @Option(help: "A spec file name of the target (repeated); with --config, namespaces keys naming none of them are errors.")
    var targetSpec: [String] = []

    @Option(name: .customLong("base-path"), help: "A folder to look in for the spec named by a spec's builds_on (repeated), after the spec's own folder.")
    var basePaths: [String] = []

    @Flag(help: "Print how long loading, linting and generating took.")
    var timing = false

    func validate() throws {
        if paths.isEmpty { throw ValidationError("Name at least one spec file or folder.") }
        switch (output, outputFile) {
        case (nil, nil): throw ValidationError("Name where to write: --output <folder> or --output-file <file>.")
        case (.some, .some): throw ValidationError("Use --output or --output-file, not both.")
        default: break
        }
        if outputFile != nil, paths.count != 1 { throw ValidationError("--output-file takes exactly one spec file.") }
        if let index {
            if output == nil { throw ValidationError("--index writes into the --output folder; name one.") }
            if let problem = GeneratorOptions.namespaceProblem(index) { throw ValidationError("--index: \(problem).") }
        }
        if let namespace, let problem = GeneratorOptions.namespaceProblem(namespace) { throw ValidationError("--namespace: \(problem).") }
        if namespace != nil || sourceName != nil, paths.count != 1 { throw ValidationError("--namespace and --source-name apply to one spec file.") }
    }

    func run() throws {
        let files = try SpecFiles.collect(paths)
        if outputFile != nil, files.count != 1 { throw ValidationError("--output-file takes exactly one spec file, not a folder.") }
        let settings = try loadConfig()
        var failed = false
        var written = 0
        var timings: [String] = []
        var modules: [String] = []
        let start = Stopwatch.now()
        for file in files {
            let fileStart = Stopwatch.now()
            let result = Linter.lint(path: file, searchPaths: basePaths)
            for diagnostic in result.diagnostics { StandardError.print(diagnostic.description) }
            guard let spec = result.spec, !result.diagnostics.contains(where: { $0.severity == .error }) else {
                failed = true
                continue
            }
            guard let options = options(for: file, spec: spec, config: settings) else {
                failed = true
                continue
            }
            let generated = Generator.generate(spec, options: options)
            modules.append(options.namespace ?? spec.module.name.value)
            let target = outputFile ?? ((output ?? ".") + "/" + generated.path)
            let folder = String(target[..<(target.lastIndex(of: "/") ?? target.startIndex)])
            if !folder.isEmpty { try Folders.create(folder) }
            switch FileIO.writeFileIfChanged(Array(generated.contents.utf8), to: target) {
            case .success(let changed): if changed { written += 1 }
            case .failure(let error): throw ValidationError(error.message)
            }
            timings.append("\(file): \(Stopwatch.milliseconds(since: fileStart)) ms")
        }
        if let index, let output, !failed {
            if let clash = modules.first(where: { $0 == index }) {
                throw ValidationError("--index \(clash) is also the name of a generated module; choose another.")
            }
            let generated = Generator.index(name: index, modules: modules, access: accessLevel ?? settings?.accessLevel ?? .public)
            try Folders.create(output + "/" + index)
            switch FileIO.writeFileIfChanged(Array(generated.contents.utf8), to: output + "/" + generated.path) {
            case .success(let changed): if changed { written += 1 }
            case .failure(let error): throw ValidationError(error.message)
            }
        }
        if timing {
            for line in timings { StandardError.print(line) }
            StandardError.print("total: \(Stopwatch.milliseconds(since: start)) ms for \(files.count) specs")
        }
        // A build log shows the diagnostics only; the summary is for people running the tool.
        if outputFile == nil || timing {
            StandardError.print("\(files.count) spec\(files.count == 1 ? "" : "s") read, \(written) file\(written == 1 ? "" : "s") written")
        }
        if failed { throw ExitCode(1) }
    }

    /// The configuration, nil without --config; exits with status 1 when it has errors (printed).
    func loadConfig() throws -> GeneratorConfig? {
        guard let config else { return nil }
        var (loaded, diagnostics) = GeneratorConfig.load(path: config)
        // Every spec of a target is generated by its own build command; only the first reports
        // keys that name no spec, so the error appears once.
        if let loaded, let first = targetSpec.first, paths.first.map(FileName.of) == first {
            diagnostics += loaded.unknownSpecs(among: targetSpec)
        }
        for diagnostic in diagnostics { StandardError.print(diagnostic.description) }
        if diagnostics.contains(where: { $0.severity == .error }) { throw ExitCode(1) }
        return loaded
    }

    /// The generator options for one spec: command-line flags, then the configuration, then the defaults.
    func options(for file: String, spec: Spec, config: GeneratorConfig?) -> GeneratorOptions? {
        var options = GeneratorOptions(accessLevel: accessLevel ?? config?.accessLevel ?? .public, sourceName: sourceName)
        if outputFile != nil {
            options.regenerateNote = "Regenerated from the spec at build time by the at-bindgen build plugin (at-bindgen generate --output-file)."
        }
        if let namespace {
            if let problem = Generator.namespaceProblem(namespace, in: spec) {
                StandardError.print("error: --namespace: \(problem)")
                return nil
            }
            options.namespace = namespace
        } else if let located = config?.namespace(forSpecNamed: FileName.of(file)) {
            if let problem = Generator.namespaceProblem(located.value, in: spec) {
                let diagnostic = Diagnostic(file: config?.file ?? "", location: located.location, severity: .error, rule: "config", message: "namespace of '\(FileName.of(file))': \(problem)")
                StandardError.print(diagnostic.description)
                return nil
            }
            options.namespace = located.value
        }
        return options
    }
}

extension GeneratorOptions.AccessLevel: ExpressibleByArgument {}

/// The last component of a path.
enum FileName {
    static func of(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}

enum Folders {
    static func create(_ path: String) throws {
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            current += "/" + part
            if mkdir(current, 0o755) != 0, errno != EEXIST {
                throw ValidationError("cannot create folder \(current): \(String(cString: strerror(errno)))")
            }
        }
    }
}

/// Wall time for --timing, from the monotonic clock.
enum Stopwatch {
    static func now() -> timespec {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return time
    }

    static func milliseconds(since start: timespec) -> String {
        let end = now()
        let nanos = (Int(end.tv_sec) - Int(start.tv_sec)) * 1_000_000_000 + (Int(end.tv_nsec) - Int(start.tv_nsec))
        let tenths = nanos / 100_000
        return "\(tenths / 10).\(tenths % 10)"
    }
}
