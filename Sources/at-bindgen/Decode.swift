// Decode.swift: `at-bindgen decode`: modem output or a transcript in, one JSON object per event out.

import ATRuntime
import ATSpec
import ArgumentParser

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

struct Decode: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Decode modem output or a transcript with a spec; print one JSON object per event.",
        discussion: """
            JSON Lines, one object per event, as Specs/decode-events.schema.json defines them. Kinds: command, \
            response, final, prompt, data, urc, unrecognized, error. A line the spec does not describe is \
            printed as unrecognized with its text and bytes; problems are errors with a stable code; decoding \
            goes on, and at the end of the input whatever is held (a cut-off line or URC) is reported. No value \
            of a secret parameter is printed.
            """
    )

    @Option(help: "The spec of the module that produced the output.")
    var spec: String

    @Option(name: .customLong("base-path"), help: "A folder to look in for the spec named by a spec's builds_on (repeated), after the spec's own folder.")
    var basePaths: [String] = []

    @Argument(help: "A file of modem output or a transcript; - or nothing for standard input.")
    var input: String = "-"

    func run() throws {
        let loaded = SpecLoader.loadComposed(path: spec, searchPaths: basePaths)
        for diagnostic in loaded.diagnostics where diagnostic.severity == .error { StandardError.print(diagnostic.description) }
        guard let model = loaded.spec, !loaded.diagnostics.contains(where: { $0.severity == .error }) else { throw ExitCode(1) }
        var decoder = ATDecoder(module: DescriptorBuilder.build(model))
        let printer = DecodeEventJSON(spec: model)
        func print(_ event: DecodedEvent) {
            for line in printer.render(event) { Output.write(line + "\n", to: 1) }
        }
        let fd = input == "-" ? 0 : open(input, O_RDONLY)
        guard fd >= 0 else { throw ValidationError("cannot open \(input): \(String(cString: strerror(errno)))") }
        defer { if fd != 0 { close(fd) } }
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { POSIX.readBytes(fd, into: $0) }
            if count < 0, errno == EINTR { continue }
            if count <= 0 { break }
            for event in decoder.feed(chunk[0..<count]) { print(event) }
        }
        for event in decoder.finish() { print(event) }
    }
}

