// main.swift: at-bindgen-build, the build plugin's tool: one spec to one Swift file, arguments read by hand.
//
// It takes the arguments the plugin passes (the same as `at-bindgen generate --output-file`):
//   generate <spec> --output-file <file> [--source-name <name>] [--config <file>]
//            [--target-spec <name>]... [--base-path <folder>]...
// and runs what `at-bindgen generate` runs for them (ATGenerator's SingleSpec). It has no argument
// parser so that every consumer of the plugin compiles as little as it can for the host.

import ATGenerator

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes `text` to the standard error.
func printError(_ text: String) {
    var text = text
    text.withUTF8 { bytes in _ = write(2, bytes.baseAddress, bytes.count) }
}

func fail(_ message: String, status: Int32 = 2) -> Never {
    printError("at-bindgen-build: \(message)\nusage: at-bindgen-build generate <spec> --output-file <file> [--source-name <name>] [--config <file>] [--target-spec <name>]... [--base-path <folder>]...\n")
    exit(status)
}

var arguments = Array(CommandLine.arguments.dropFirst())
guard arguments.first == "generate" else { fail("the first argument must be 'generate'") }
arguments.removeFirst()
var spec: String?
var outputFile: String?
var sourceName: String?
var config: String?
var targetSpecs: [String] = []
var basePaths: [String] = []
var index = 0
while index < arguments.count {
    let argument = arguments[index]
    func value() -> String {
        index += 1
        guard index < arguments.count else { fail("\(argument) needs a value") }
        return arguments[index]
    }
    switch argument {
    case "--output-file": outputFile = value()
    case "--source-name": sourceName = value()
    case "--config": config = value()
    case "--target-spec": targetSpecs.append(value())
    case "--base-path": basePaths.append(value())
    default:
        if argument.hasPrefix("-") { fail("unknown option \(argument)") }
        if spec != nil { fail("one spec file only (got \(spec ?? "") and \(argument))") }
        spec = argument
    }
    index += 1
}
guard let spec else { fail("name the spec file") }
guard let outputFile else { fail("name the file to write: --output-file <file>") }
var request = SingleSpecRequest(spec: spec, outputFile: outputFile)
request.sourceName = sourceName
request.config = config
request.targetSpecs = targetSpecs
request.basePaths = basePaths
let outcome = SingleSpec.run(request)
for line in outcome.diagnostics { printError(line + "\n") }
exit(outcome.succeeded ? 0 : 1)
