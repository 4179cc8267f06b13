// Main.swift: the at-bindgen command-line tool.

import ArgumentParser
import ATSpec

@main
struct ATBindgen: ParsableCommand {
    /// The tool's version, printed by `--version`.
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "at-bindgen",
        abstract: "Typed Swift bindings for AT commands, generated from YAML specs of vendor manuals.",
        version: ATBindgen.version,
        subcommands: [Lint.self, Generate.self, Decode.self]
    )
}
