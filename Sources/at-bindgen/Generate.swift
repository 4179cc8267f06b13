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
        if let outputFile {
            // The build plugin's mode: exactly what `at-bindgen-build` does.
            guard files.count == 1, let file = files.first else { throw ValidationError("--output-file takes exactly one spec file, not a folder.") }
            var request = SingleSpecRequest(spec: file, outputFile: outputFile)
            (request.sourceName, request.config, request.targetSpecs, request.basePaths) = (sourceName, config, targetSpec, basePaths)
            (request.accessLevel, request.namespace) = (accessLevel, namespace)
            let start = Stopwatch.now()
            let outcome = SingleSpec.run(request)
            for line in outcome.diagnostics { StandardError.print(line) }
            if timing {
                StandardError.print("\(file): \(Stopwatch.milliseconds(since: start)) ms")
                StandardError.print("1 spec read, \(outcome.written ? 1 : 0) file\(outcome.written ? "" : "s") written")
            }
            if !outcome.succeeded { throw ExitCode(1) }
            return
        }
        var request = SingleSpecRequest(spec: files.first ?? "", outputFile: "")
        (request.config, request.targetSpecs) = (config, targetSpec)
        let (settings, problems) = SingleSpec.loadConfig(request)
        for line in problems.messages { StandardError.print(line) }
        if problems.failed { throw ExitCode(1) }
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
            let options: GeneratorOptions
            switch SingleSpec.options(for: file, spec: spec, config: settings, accessLevel: accessLevel, namespace: namespace, sourceName: sourceName) {
            case .success(let found): options = found
            case .failure(let problem):
                StandardError.print(problem.message)
                failed = true
                continue
            }
            let generated = Generator.generate(spec, options: options)
            modules.append(options.namespace ?? spec.module.name.value)
            let target = (output ?? ".") + "/" + generated.path
            let folder = String(target[..<(target.lastIndex(of: "/") ?? target.startIndex)])
            if !folder.isEmpty, let problem = SingleSpec.createFolders(folder) { throw ValidationError(problem) }
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
            if let problem = SingleSpec.createFolders(output + "/" + index) { throw ValidationError(problem) }
            switch FileIO.writeFileIfChanged(Array(generated.contents.utf8), to: output + "/" + generated.path) {
            case .success(let changed): if changed { written += 1 }
            case .failure(let error): throw ValidationError(error.message)
            }
        }
        if timing {
            for line in timings { StandardError.print(line) }
            StandardError.print("total: \(Stopwatch.milliseconds(since: start)) ms for \(files.count) specs")
        }
        StandardError.print("\(files.count) spec\(files.count == 1 ? "" : "s") read, \(written) file\(written == 1 ? "" : "s") written")
        if failed { throw ExitCode(1) }
    }
}

extension GeneratorOptions.AccessLevel: ExpressibleByArgument {}

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
