// plugin.swift: the lint command plugin: check the specs in Specs/ without the write permission generating needs.

import Foundation
import PackagePlugin

/// `swift package lint-at-specs [--specs Specs] [--warnings-as-errors]`: prints
/// `path:line:column: error|warning: message [rule]` diagnostics and fails on an error.
@main
struct LintATSpecs: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {
        var extractor = ArgumentExtractor(arguments)
        let warningsAsErrors = extractor.extractFlag(named: "warnings-as-errors") > 0
        let specs = extractor.extractOption(named: "specs").last ?? "Specs"
        guard extractor.remainingArguments.isEmpty else {
            throw LintError("unexpected arguments \(extractor.remainingArguments.joined(separator: " ")); usage: lint-at-specs [--specs <folder or file>] [--warnings-as-errors]")
        }
        let process = Process()
        process.executableURL = try context.tool(named: "at-bindgen").url
        process.arguments = ["lint", specs] + (warningsAsErrors ? ["--warnings-as-errors"] : [])
        process.currentDirectoryURL = context.package.directoryURL
        try process.run()
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            throw LintError("the specs in \(specs) have errors (see the diagnostics above)")
        }
    }
}

/// Why linting failed.
struct LintError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
