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
            Kinds: command, response, final, prompt, data, urc, unrecognized, error. A line the spec \
            does not describe is printed as unrecognized with its text; decoding goes on.
            """
    )

    @Option(help: "The spec of the module that produced the output.")
    var spec: String

    @Argument(help: "A file of modem output or a transcript; - or nothing for standard input.")
    var input: String = "-"

    func run() throws {
        let loaded = SpecLoader.load(path: spec)
        for diagnostic in loaded.diagnostics where diagnostic.severity == .error { StandardError.print(diagnostic.description) }
        guard let model = loaded.spec, !loaded.diagnostics.contains(where: { $0.severity == .error }) else { throw ExitCode(1) }
        var decoder = ATDecoder(module: DescriptorBuilder.build(model))
        let printer = EventPrinter(spec: model)
        let fd = input == "-" ? 0 : open(input, O_RDONLY)
        guard fd >= 0 else { throw ValidationError("cannot open \(input): \(String(cString: strerror(errno)))") }
        defer { if fd != 0 { close(fd) } }
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { POSIX.readBytes(fd, into: $0) }
            if count < 0, errno == EINTR { continue }
            if count <= 0 { break }
            for event in decoder.feed(chunk[0..<count]) { printer.print(event) }
        }
        for event in decoder.feed([UInt8(ascii: "\n")]) { printer.print(event) }
    }
}

/// Prints events as JSON, with field values typed by the spec.
struct EventPrinter {
    let spec: Spec

    func print(_ event: DecodedEvent) {
        Output.write(JSON.object(render(event)) + "\n", to: 1)
    }

    func render(_ event: DecodedEvent) -> [(String, String)] {
        switch event {
        case .command(let command, let form, let line, let fields):
            return [("kind", JSON.string("command")), ("name", JSON.string(command)), ("form", JSON.string(form)), ("fields", fieldsJSON(fields, parameters(command: command))), ("text", JSON.string(line))]
        case .response(let command, let form, let index, let line, let fields):
            return [("kind", JSON.string("response")), ("name", JSON.string(command)), ("form", JSON.string(form)), ("line", String(index)), ("fields", fieldsJSON(fields, parameters(command: command))), ("text", JSON.string(line))]
        case .deferred(let command, let form, let line, let fields):
            return [("kind", JSON.string("response")), ("name", JSON.string(command)), ("form", JSON.string(form)), ("deferred", "true"), ("fields", fieldsJSON(fields, parameters(command: command))), ("text", JSON.string(line))]
        case .final(let name, let isSuccess, let line, let fields):
            let parameters = spec.finalResults.first { $0.name.value == name }?.parameters ?? []
            return [("kind", JSON.string("final")), ("name", JSON.string(name)), ("success", isSuccess ? "true" : "false"), ("fields", fieldsJSON(fields, parameters)), ("text", JSON.string(line))]
        case .prompt:
            return [("kind", JSON.string("prompt"))]
        case .data(let bytes):
            return [("kind", JSON.string("data")), ("length", String(bytes.count)), ("data", JSON.bytes(bytes))]
        case .urc(let match, let lines):
            let parameters = spec.urcs.first { $0.id == match.name }?.parameters ?? []
            var object = [("kind", JSON.string("urc")), ("name", JSON.string(match.name)), ("fields", fieldsJSON(match.fields, parameters))]
            if !match.data.isEmpty {
                object.append(("data", JSON.object(match.data.keys.sorted().map { ($0, JSON.bytes(match.data[$0] ?? [])) })))
            }
            object.append(("text", JSON.string(lines.joined(separator: "\n"))))
            return object
        case .unrecognized(let text):
            return [("kind", JSON.string("unrecognized")), ("text", JSON.string(text))]
        case .error(let error):
            return [("kind", JSON.string("error")), ("text", JSON.string(error.debugDescription))]
        }
    }

    func parameters(command: String) -> [Parameter] {
        spec.command(command)?.parameters ?? []
    }

    func fieldsJSON(_ fields: [CapturedField], _ parameters: [Parameter]) -> String {
        JSON.object(fields.map { field in
            let parameter = parameters.first { $0.name == field.name }
            if parameter?.isInteger == true, let value = Int(field.text) { return (field.name, String(value)) }
            if parameter?.secret == true { return (field.name, JSON.string("<redacted>")) }
            return (field.name, JSON.string(field.text))
        })
    }
}

/// Minimal JSON text output.
enum JSON {
    static func object(_ pairs: [(String, String)]) -> String {
        "{" + pairs.map { string($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
    }

    static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// UTF-8 text as a string; anything else as `{"hex": "..."}`.
    static func bytes(_ bytes: [UInt8]) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return string(text) }
        let digits = Array("0123456789abcdef")
        return object([("hex", string(String(bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] })))])
    }
}
