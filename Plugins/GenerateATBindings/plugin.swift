// plugin.swift: the command plugin: lint Specs/ and regenerate the committed Generated/ bindings in one command.

import Foundation
import PackagePlugin

/// `swift package --allow-writing-to-package-directory generate-at-bindings [lint] [--specs Specs] [--output Generated] [--index ATModules]`
///
/// Lints the specs first and stops on an error; then writes `<output>/<Module>/<Module>.swift`
/// for every spec, only where the content changed. With the `lint` verb (or `--lint-only`)
/// it only lints. With `--index <name>` it also writes `<output>/<name>/<name>.swift`, a module
/// listing every generated one (this package's own Generated/ has `ATModules`). Paths are relative to the package folder, as `at-bindgen` is run from there.
@main
struct GenerateATBindings: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {
        var extractor = ArgumentExtractor(arguments)
        let lintOnlyFlag = extractor.extractFlag(named: "lint-only") > 0
        let warningsAsErrors = extractor.extractFlag(named: "warnings-as-errors") > 0
        let specs = extractor.extractOption(named: "specs").last ?? "Specs"
        let output = extractor.extractOption(named: "output").last ?? "Generated"
        let index = extractor.extractOption(named: "index").last
        var verbs = extractor.remainingArguments
        let lintOnly = lintOnlyFlag || verbs.first == "lint"
        if verbs.first == "lint" || verbs.first == "generate" { verbs.removeFirst() }
        guard verbs.isEmpty else { throw CommandError.usage(unexpected: verbs) }

        let tool = try context.tool(named: "at-bindgen").url
        let folder = context.package.directoryURL
        try run(tool, ["lint", specs] + (warningsAsErrors ? ["--warnings-as-errors"] : []), in: folder, step: "lint")
        if lintOnly { return }
        try run(tool, ["generate", specs, "--output", output] + (index.map { ["--index", $0] } ?? []), in: folder, step: "generate")
        print("Generated \(output)/ from \(specs)/; review the diff (git diff \(output)) and commit both.")
    }

    /// Runs the tool in the package folder; its diagnostics go straight to the terminal.
    func run(_ tool: URL, _ arguments: [String], in folder: URL, step: String) throws {
        let process = Process()
        process.executableURL = tool
        process.arguments = arguments
        process.currentDirectoryURL = folder
        try process.run()
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            throw CommandError.failed(step: step, arguments: arguments, status: process.terminationStatus)
        }
    }
}

/// Why the command stopped.
enum CommandError: Error, CustomStringConvertible {
    case usage(unexpected: [String])
    case failed(step: String, arguments: [String], status: Int32)

    var description: String {
        switch self {
        case .usage(let unexpected):
            return "unexpected arguments \(unexpected.joined(separator: " ")); usage: generate-at-bindings [lint] [--lint-only] [--warnings-as-errors] [--specs <folder>] [--output <folder>]"
        case .failed(let step, let arguments, let status):
            let stopped = step == "lint" ? "; nothing was generated" : ""
            return "at-bindgen \(arguments.joined(separator: " ")) failed (exit status \(status))\(stopped). Fix the diagnostics above."
        }
    }
}
