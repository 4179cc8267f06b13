// DecodeEventJSON.swift: the decoder's events as JSON Lines, the stable output of `at-bindgen decode`.

import ATRuntime

/// Renders ``DecodedEvent``s as one JSON object each, with field values typed by the spec.
///
/// The shape of every object is fixed by `Specs/decode-events.schema.json` (checked by a
/// test): an integer field is always a JSON number, `data` is always an object
/// `{"hex": …, "text": … or null}`, and problems are `"kind": "error"` objects with a
/// stable `code` and a message. No value of a `secret` parameter appears anywhere.
public struct DecodeEventJSON: Sendable {
    /// The version of the output's schema, printed in no event; bumped when a shape changes.
    public static let schemaVersion = 1

    let spec: Spec

    /// A renderer for events decoded with `spec`.
    public init(spec: Spec) {
        self.spec = spec
    }

    /// The JSON lines (without line ends) for one event: the event, then any error its
    /// fields gave (an integer too large for 64 bits).
    public func render(_ event: DecodedEvent) -> [String] {
        var problems: [String] = []
        let object: [(String, String)]
        switch event {
        case .command(let command, let form, let line, let fields):
            object = [
                ("kind", JSON.string("command")), ("name", JSON.string(command)), ("form", JSON.string(form)),
                ("fields", fieldsJSON(fields, parameters(command: command), line, &problems, using: names(command, form) { [$0.syntax] })), ("text", JSON.string(line)),
            ]
        case .response(let command, let form, let index, let line, let fields):
            object = response(command, form, index: index, deferred: false, correlated: true, line, fields, &problems)
        case .deferred(let command, let form, _, let line, let fields):
            object = response(command, form, index: nil, deferred: true, correlated: true, line, fields, &problems)
        case .uncorrelated(let command, let form, let deferred, let line, let fields):
            object = response(command, form, index: nil, deferred: deferred, correlated: false, line.text, fields, &problems)
        case .final(let name, let isSuccess, let line, let fields):
            let parameters = spec.finalResults.first { $0.name.value == name }?.parameters ?? []
            object = [
                ("kind", JSON.string("final")), ("name", JSON.string(name)), ("success", isSuccess ? "true" : "false"),
                ("fields", fieldsJSON(fields, parameters, line, &problems)), ("text", JSON.string(line)),
            ]
        case .prompt:
            object = [("kind", JSON.string("prompt"))]
        case .data(let bytes):
            object = [("kind", JSON.string("data")), ("echo", "false"), ("length", String(bytes.count)), ("data", JSON.bytes(bytes))]
        case .dataEcho(let bytes):
            object = [("kind", JSON.string("data")), ("echo", "true"), ("length", String(bytes.count)), ("data", JSON.bytes(bytes))]
        case .urc(let match, let lines):
            let text = lines.joined(separator: "\n")
            object = [
                ("kind", JSON.string("urc")), ("name", JSON.string(match.name)),
                ("fields", fieldsJSON(match.fields, urcParameters(match.name), text, &problems, using: Set((spec.urcs.first { $0.id == match.name }?.lines ?? []).flatMap { $0.parsed?.parameterNames ?? [] }))),
                ("data", dataJSON(match.data)), ("text", JSON.string(text)),
            ]
        case .brokenURC(let broken):
            let text = broken.lines.joined(separator: "\n")
            let (code, message) = Self.describe(broken)
            object = [
                ("kind", JSON.string("error")), ("code", JSON.string(code)), ("message", JSON.string(message)),
                ("name", JSON.string(broken.name)), ("fields", fieldsJSON(broken.fields, urcParameters(broken.name), text, &problems)),
                ("data", dataJSON(broken.data)), ("text", JSON.string(text)),
            ]
        case .unrecognized(let line):
            object = [("kind", JSON.string("unrecognized")), ("text", JSON.string(line.text)), ("hex", JSON.string(JSON.hex(line.bytes)))]
        case .error(let error):
            object = Self.frameError(error)
        }
        return [JSON.object(object)] + problems
    }

    private func response(
        _ command: String, _ form: String, index: Int?, deferred: Bool, correlated: Bool, _ line: String, _ fields: [CapturedField],
        _ problems: inout [String]
    ) -> [(String, String)] {
        [
            ("kind", JSON.string("response")), ("name", JSON.string(command)), ("form", JSON.string(form)),
            ("index", index.map(String.init) ?? "null"), ("deferred", deferred ? "true" : "false"),
            ("correlated", correlated ? "true" : "false"),
            ("fields", fieldsJSON(fields, parameters(command: command), line, &problems, using: names(command, form) { form in
                if let index, index < form.responses.count { return [form.responses[index].syntax] }
                return (deferred ? [] : form.responses.map(\.syntax)) + form.deferredShapes.map(\.syntax)
            })), ("text", JSON.string(line)),
        ]
    }

    /// The parameter names of the lines `lines` picks from the named form of a command.
    func names(_ command: String, _ form: String, _ lines: (Form) -> [SyntaxString]) -> Set<String> {
        guard let found = spec.command(command)?.forms.first(where: { DescriptorBuilder.formName($0) == form }) else { return [] }
        return Set(lines(found).flatMap { $0.parsed?.parameterNames ?? [] })
    }

    /// A framing error's code, message and details.
    static func frameError(_ error: FrameError) -> [(String, String)] {
        let kind = ("kind", JSON.string("error"))
        switch error {
        case .lineTooLong(let discarded):
            return [kind, ("code", JSON.string("line_too_long")), ("message", JSON.string("a line of \(discarded) bytes was longer than the line limit and was dropped")), ("length", String(discarded))]
        case .declaredLengthTooLarge(let declared, let limit):
            return [
                kind, ("code", JSON.string("declared_length_too_large")),
                ("message", JSON.string("a line declared \(declared) bytes of data, over the limit of \(limit); the data was not collected")),
                ("length", String(declared)), ("limit", String(limit)),
            ]
        case .malformedLength(let line):
            return [
                kind, ("code", JSON.string("malformed_length")), ("message", JSON.string("the length field of a data-declaring line is missing or not a number")),
                ("text", JSON.string(String(decoding: line, as: UTF8.self))), ("hex", JSON.string(JSON.hex(line))),
            ]
        case .truncatedData(let received, let declared):
            return [
                kind, ("code", JSON.string("truncated_data")),
                ("message", JSON.string("the input ended after \(received.count) of \(declared) declared data bytes")),
                ("length", String(declared)), ("data", JSON.bytes(received)),
            ]
        case .unterminatedData(let received):
            return [
                kind, ("code", JSON.string("unterminated_data")),
                ("message", JSON.string("data after a prompt did not reach its terminator within \(received.count) bytes")),
                ("length", String(received.count)), ("data", JSON.bytes(received)),
            ]
        case .cancelledData(let received):
            return [
                kind, ("code", JSON.string("cancelled_data")),
                ("message", JSON.string("data after a prompt was cancelled after \(received.count) bytes")),
                ("length", String(received.count)), ("data", JSON.bytes(received)),
            ]
        }
    }

    /// A broken URC's code and message.
    static func describe(_ broken: BrokenURC) -> (String, String) {
        switch broken.reason {
        case .interrupted: return ("urc_interrupted", "\(broken.name): another line came before its last part")
        case .endOfInput: return ("urc_cut_off", "\(broken.name): the input ended before its last part")
        case .lengthMismatch(let data, let declared, let received):
            return ("urc_length_mismatch", "\(broken.name): its parts carried \(received) bytes of \(data), its start declared \(declared)")
        case .tooLarge(let limit): return ("urc_too_large", "\(broken.name): its parts carried more than \(limit) bytes of data")
        }
    }

    func parameters(command: String) -> [Parameter] {
        spec.command(command)?.parameters ?? []
    }

    func urcParameters(_ name: String) -> [Parameter] {
        spec.urcs.first { $0.id == name }?.parameters ?? []
    }

    func dataJSON(_ data: [String: [UInt8]]) -> String {
        JSON.object(data.keys.sorted().map { ($0, JSON.bytes(data[$0] ?? [])) })
    }

    /// The fields as an object; an integer that does not fit 64 bits is left out and reported.
    func fieldsJSON(_ fields: [CapturedField], _ parameters: [Parameter], _ line: String, _ problems: inout [String], using names: Set<String> = []) -> String {
        // The items of a repeated parameter the line holds come once per group: they are rendered
        // as one array under the repeated parameter's name (of values for one item, of objects for several).
        var itemOf: [String: Parameter] = [:]
        for parameter in parameters where parameter.type == .repeated && names.contains(parameter.name) {
            for item in parameter.items { itemOf[item.value] = parameter }
        }
        var pairs: [(String, String)] = []
        var groups: [String: [[(String, String)]]] = [:]
        var order: [String] = []
        for field in fields {
            guard let value = value(field, parameters, line, &problems) else { continue }
            guard let repeated = itemOf[field.name] else {
                pairs.append((field.name, value))
                continue
            }
            if groups[repeated.name] == nil {
                groups[repeated.name] = []
                order.append(repeated.name)
                pairs.append((repeated.name, ""))
            }
            var list = groups[repeated.name] ?? []
            if list.last?.contains(where: { $0.0 == field.name }) ?? true { list.append([]) }
            list[list.count - 1].append((field.name, value))
            groups[repeated.name] = list
        }
        for index in pairs.indices where pairs[index].1.isEmpty {
            let name = pairs[index].0
            let single = (parameters.first { $0.name == name }?.items.count ?? 0) == 1
            let rendered = (groups[name] ?? []).map { group in single ? (group.first?.1 ?? "null") : JSON.object(group) }
            pairs[index].1 = "[" + rendered.joined(separator: ",") + "]"
        }
        return JSON.object(pairs)
    }

    /// A field's value as JSON: a number for an integer parameter (nil, with a problem, when it
    /// does not fit 64 bits), a string otherwise, `"<redacted>"` for a secret.
    func value(_ field: CapturedField, _ parameters: [Parameter], _ line: String, _ problems: inout [String]) -> String? {
        let parameter = parameters.first { $0.name == field.name }
        if field.secret || parameter?.secret == true { return JSON.string("<redacted>") }
        guard parameter?.isInteger == true else { return JSON.string(field.text) }
        if let value = Int64(field.text) { return String(value) }
        problems.append(JSON.object([
            ("kind", JSON.string("error")), ("code", JSON.string("integer_out_of_range")),
            ("message", JSON.string("\(field.name) = \(field.text) does not fit a 64-bit integer; the field is left out of the event before")),
            ("field", JSON.string(field.name)), ("value", JSON.string(field.text)), ("text", JSON.string(line)),
        ]))
        return nil
    }
}

/// Minimal JSON text output.
public enum JSON {
    /// An object of already-rendered values, in the given order.
    public static func object(_ pairs: [(String, String)]) -> String {
        "{" + pairs.map { string($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
    }

    /// A string literal.
    public static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// Lower-case hexadecimal digits of the bytes.
    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        return String(bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] })
    }

    /// Bytes as `{"hex": "...", "text": "..."}`, `text` null when they are not UTF-8.
    public static func bytes(_ bytes: [UInt8]) -> String {
        let text = String(validating: bytes, as: UTF8.self).map(string) ?? "null"
        return object([("hex", string(hex(bytes))), ("text", text)])
    }
}
