// Main.swift: the at-bindgen command-line tool.

import ArgumentParser
import ATSpec

@main
struct ATBindgen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "at-bindgen",
        abstract: "Typed Swift bindings for AT commands, generated from YAML specs of vendor manuals.",
        subcommands: [Lint.self, Generate.self, Decode.self]
    )
}
