// ExampleRule.swift: every line of every document example matches something the spec declares.

import ATRuntime

/// `example-unmatched` (error), `example-value` and `example-data-length` (warnings).
///
/// Walks each transcript as the runtime would: a command line selects the form in
/// flight; `>` needs a form with a prompt; a line after a length-declaring line is
/// its data; every other line must be a final result, a response or deferred result
/// (of the command in flight first), or a URC.
struct ExampleRule: LintRule {
    let id = "example-unmatched"

    func check(_ spec: Spec, into sink: inout DiagnosticSink) {
        guard !spec.examples.isEmpty else { return }
        let index = SpecIndex(spec)
        for example in spec.examples {
            var walker = TranscriptWalker(index: index, example: example)
            walker.run(into: &sink)
        }
    }
}

/// A line or command syntax the spec declares, prepared once for matching.
struct DeclaredLine {
    /// The parsed syntax.
    let syntax: Syntax
    /// The syntax's prefix as bytes; for a command, upper-cased (commands match case-insensitively).
    let prefix: [UInt8]
    /// How each parameter's value is written (as the runtime decoder matches it).
    let shapes: [String: FieldShape]
    /// The parameters that type the fields, for value checks.
    let parameters: [Parameter]
    /// For a URC part followed by raw data: the field holding the data's length.
    let dataLength: String?

    init(syntax: Syntax, parameters: [Parameter], shapes: [String: FieldShape], dataLength: String? = nil) {
        // Repeated parameters are matched as the runtime matches them: written out as their groups.
        self.syntax = RepeatedExpansion.expand(syntax, parameters)
        let prefix = Array(syntax.prefix.utf8)
        self.prefix = syntax.command == nil ? prefix : prefix.map(Self.upper)
        self.shapes = shapes
        self.parameters = parameters
        self.dataLength = dataLength
    }

    /// The fields of `line` (whose bytes are `bytes`) when it matches; the prefix is
    /// checked first, as the matcher would, so most candidates cost a few byte compares.
    func match(_ line: String, bytes: [UInt8]) -> [CapturedField]? {
        guard bytes.count >= prefix.count else { return nil }
        if syntax.command == nil {
            guard bytes.starts(with: prefix) else { return nil }
        } else {
            for offset in prefix.indices where Self.upper(bytes[offset]) != prefix[offset] { return nil }
        }
        let shapes = self.shapes
        return SyntaxMatcher.match(line, syntax) { shapes[$0] ?? .any }
    }

    /// ASCII upper case, as the matcher compares command prefixes.
    static func upper(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") ? byte - 32 : byte
    }
}

/// The spec's lines and forms, indexed once per spec. A transcript line is tried against
/// the finals, then (with a command in flight) that form's lines and the prefixed lines of
/// the command's other forms, then every command's prefixed lines, then the URCs, the first
/// match winning. Every list is kept once (no per-form copies) and the long ones are looked up
/// by prefix, so the work per line does not grow with the spec.
struct SpecIndex {
    let spec: Spec
    /// Every declared line, referred to by index below.
    let lines: [DeclaredLine]
    /// Every command form that parsed: its command, its place in the command, and its syntax.
    let forms: [(command: Int, form: Int, line: DeclaredLine)]
    /// `forms` by (upper-cased) command prefix.
    let formIndex: PrefixIndex
    /// Final results, in spec order.
    let finals: [Int]
    /// The response and deferred lines of each form, by command and form.
    let formLines: [[[Int]]]
    /// Every command's prefixed response and deferred lines, in spec order, and their prefix index.
    let responses: [Int]
    let responseIndex: PrefixIndex
    /// URC lines and parts, in spec order, and their prefix index.
    let urcs: [Int]
    let urcIndex: PrefixIndex

    init(_ spec: Spec) {
        self.spec = spec
        var lines: [DeclaredLine] = []
        func add(_ line: DeclaredLine) -> Int {
            lines.append(line)
            return lines.count - 1
        }
        var finals: [Int] = []
        for final in spec.finalResults {
            if let syntax = final.syntax.parsed {
                finals.append(add(DeclaredLine(syntax: syntax, parameters: final.parameters, shapes: DescriptorBuilder.shapes(final.parameters))))
            }
        }
        var urcs: [Int] = []
        for urc in spec.urcs {
            let shapes = DescriptorBuilder.shapes(urc.parameters)
            if let syntax = urc.syntax?.parsed { urcs.append(add(DeclaredLine(syntax: syntax, parameters: urc.parameters, shapes: shapes))) }
            for part in urc.parts {
                if let syntax = part.syntax.parsed {
                    urcs.append(add(DeclaredLine(syntax: syntax, parameters: urc.parameters, shapes: shapes, dataLength: part.dataLength?.value)))
                }
            }
        }
        var formLines: [[[Int]]] = []
        var forms: [(command: Int, form: Int, line: DeclaredLine)] = []
        for (commandIndex, command) in spec.commands.enumerated() {
            let shapes = DescriptorBuilder.shapes(command.parameters)
            var perForm: [[Int]] = []
            for (formIndex, form) in command.forms.enumerated() {
                var own: [Int] = []
                for response in form.responses {
                    if let syntax = response.syntax.parsed { own.append(add(DeclaredLine(syntax: syntax, parameters: command.parameters, shapes: shapes))) }
                }
                for deferred in form.deferredShapes {
                    if let syntax = deferred.syntax.parsed { own.append(add(DeclaredLine(syntax: syntax, parameters: command.parameters, shapes: shapes))) }
                }
                perForm.append(own)
                if let syntax = form.syntax.parsed {
                    forms.append((commandIndex, formIndex, DeclaredLine(syntax: syntax, parameters: command.parameters, shapes: shapes)))
                }
            }
            formLines.append(perForm)
        }
        let responses = formLines.flatMap { $0.flatMap { $0 } }.filter { !lines[$0].prefix.isEmpty }
        self.lines = lines
        self.forms = forms
        self.finals = finals
        self.formLines = formLines
        self.responses = responses
        self.urcs = urcs
        formIndex = PrefixIndex(forms.map(\.line.prefix))
        responseIndex = PrefixIndex(responses.map { lines[$0].prefix })
        urcIndex = PrefixIndex(urcs.map { lines[$0].prefix })
    }
}

/// Positions in a list of prefixes, grouped by prefix, so the entries a line can match (those
/// whose prefix it starts with, and those without one) are found with a few lookups.
struct PrefixIndex {
    /// Positions of the entries with an empty prefix.
    let unprefixed: [Int]
    /// Positions by prefix, ascending.
    let byPrefix: [[UInt8]: [Int]]
    /// The distinct lengths of the non-empty prefixes.
    let lengths: [Int]

    init(_ prefixes: [[UInt8]]) {
        var unprefixed: [Int] = []
        var byPrefix: [[UInt8]: [Int]] = [:]
        for (position, prefix) in prefixes.enumerated() {
            if prefix.isEmpty { unprefixed.append(position) } else { byPrefix[prefix, default: []].append(position) }
        }
        self.unprefixed = unprefixed
        self.byPrefix = byPrefix
        lengths = Set(byPrefix.keys.map(\.count)).sorted()
    }

    /// The positions of the entries whose prefix `bytes` starts with, and of those without a
    /// prefix, ascending (the list's order).
    func candidates(_ bytes: [UInt8]) -> [Int] {
        var result = unprefixed
        var groups = unprefixed.isEmpty ? 0 : 1
        for length in lengths {
            guard length <= bytes.count else { break }
            if let positions = byPrefix[Array(bytes[0..<length])] {
                result += positions
                groups += 1
            }
        }
        if groups > 1 { result.sort() }
        return result
    }
}

/// Walks one transcript line by line.
struct TranscriptWalker {
    let index: SpecIndex
    let example: Example
    /// The entry of `index.forms` in flight, and the fields of its command line.
    var inFlight: Int?
    var inFlightFields: [CapturedField] = []
    var pendingData: Int?

    /// Longer example lines are reported, not matched: the runtime's decoder frames
    /// lines of at most 4096 bytes by default, and matching cost grows with length.
    static let maxLineLength = 4096

    init(index: SpecIndex, example: Example) {
        self.index = index
        self.example = example
    }

    mutating func run(into sink: inout DiagnosticSink) {
        for (number, rawLine) in example.lines.enumerated() {
            let location = number < example.lineLocations.count ? example.lineLocations[number] : example.location
            var line = rawLine
            var bytes = Array(line.utf8)
            if bytes.last == UInt8(ascii: "\r") {
                bytes.removeLast()
                line = String(decoding: bytes, as: UTF8.self)
            }
            if bytes.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) { continue }
            if let expected = pendingData {
                let count = example.bytes(of: line).count
                if count != expected {
                    sink.warning("example-data-length", "example '\(example.id)': data line is \(count) bytes but the line before it declares \(expected)", at: location)
                }
                pendingData = nil
                continue
            }
            if bytes.count > Self.maxLineLength {
                sink.error(ExampleRule().id, "example '\(example.id)': line is \(bytes.count) bytes, longer than the \(Self.maxLineLength) the runtime frames; it is not matched", at: location)
                continue
            }
            if bytes.count >= 2, bytes[0] | 0x20 == UInt8(ascii: "a"), bytes[1] | 0x20 == UInt8(ascii: "t") {
                command(line, bytes, location, &sink)
            } else if bytes.first == UInt8(ascii: ">") {
                if let entry = inFlight.map({ index.forms[$0] }), let prompt = index.spec.commands[entry.command].forms[entry.form].prompt {
                    checkPromptData(line, prompt, location, &sink)
                    continue
                }
                let what = inFlight.map { "command '\(index.spec.commands[index.forms[$0].command].id)' has no prompt" } ?? "no command is in flight"
                sink.error(ExampleRule().id, "example '\(example.id)': prompt '>' but \(what)", at: location)
            } else {
                result(line, bytes, location, &sink)
            }
        }
    }

    mutating func command(_ line: String, _ bytes: [UInt8], _ location: SourceLocation, _ sink: inout DiagnosticSink) {
        for position in index.formIndex.candidates(bytes.map(DeclaredLine.upper)) {
            let entry = index.forms[position]
            guard let fields = entry.line.match(line, bytes: bytes) else { continue }
            checkValues(fields, entry.line.parameters, line, location, &sink)
            inFlight = position
            inFlightFields = fields
            return
        }
        inFlight = nil
        let name = (try? SyntaxParser.parseCommand(line))?.command
        let known = index.spec.commands.first { command in command.forms.contains { $0.syntax.parsed?.command == name } }
        if let known {
            let forms = known.forms.map(\.syntax.text).joined(separator: "; ")
            sink.error(ExampleRule().id, "example '\(example.id)': '\(line)' matches no form of command '\(known.id)' (\(forms))", at: location)
        } else {
            sink.error(ExampleRule().id, "example '\(example.id)': command line '\(line)' matches no command in the spec", at: location)
        }
    }

    /// The data a prompt line shows must be as long as the command declared: the decoder
    /// takes that many bytes after the prompt (a prompt line that shows none is left alone).
    func checkPromptData(_ line: String, _ prompt: Prompt, _ location: SourceLocation, _ sink: inout DiagnosticSink) {
        var shown = example.bytes(of: line).dropFirst()
        if shown.first == UInt8(ascii: " ") { shown = shown.dropFirst() }
        guard !shown.isEmpty, let lengthName = prompt.length?.value, let field = inFlightFields.first(where: { $0.name == lengthName }), let length = Int(field.text)
        else { return }
        let declared = DescriptorBuilder.promptEncoding(prompt).transmittedCount(length)
        if shown.count != declared {
            sink.warning(
                "example-data-length",
                "example '\(example.id)': the prompt line shows \(shown.count) bytes of data but the command declares \(declared); the decoder takes \(declared) bytes after the prompt",
                at: location)
        }
    }

    mutating func result(_ line: String, _ bytes: [UInt8], _ location: SourceLocation, _ sink: inout DiagnosticSink) {
        if let candidate = firstMatch(line, bytes) {
            let declared = index.lines[candidate.line]
            checkValues(candidate.fields, declared.parameters, line, location, &sink)
            if let lengthName = declared.dataLength, let value = candidate.fields.first(where: { $0.name == lengthName }),
                let length = Int(value.text), length > 0
            {
                pendingData = length
            }
            return
        }
        sink.error(ExampleRule().id, "example '\(example.id)': line '\(line)' matches no final result, response or URC in the spec", at: location)
    }

    /// The first declared line that `line` (whose bytes are `bytes`) matches, in the order
    /// ``SpecIndex`` describes, with its fields.
    func firstMatch(_ line: String, _ bytes: [UInt8]) -> (line: Int, fields: [CapturedField])? {
        func attempt(_ candidate: Int) -> (line: Int, fields: [CapturedField])? {
            index.lines[candidate].match(line, bytes: bytes).map { (candidate, $0) }
        }
        for candidate in index.finals {
            if let found = attempt(candidate) { return found }
        }
        if let position = inFlight {
            let entry = index.forms[position]
            let perForm = index.formLines[entry.command]
            for candidate in perForm[entry.form] {
                if let found = attempt(candidate) { return found }
            }
            for (form, siblings) in perForm.enumerated() where form != entry.form {
                for candidate in siblings where !index.lines[candidate].prefix.isEmpty {
                    if let found = attempt(candidate) { return found }
                }
            }
        }
        for position in index.responseIndex.candidates(bytes) {
            if let found = attempt(index.responses[position]) { return found }
        }
        for position in index.urcIndex.candidates(bytes) {
            if let found = attempt(index.urcs[position]) { return found }
        }
        return nil
    }

    func checkValues(_ fields: [CapturedField], _ parameters: [Parameter], _ line: String, _ location: SourceLocation, _ sink: inout DiagnosticSink) {
        for field in fields {
            guard let parameter = parameters.first(where: { $0.name == field.name }) else { continue }
            if parameter.isInteger, let number = Int(field.text) {
                if let range = parameter.range?.value, !range.contains(number) {
                    sink.warning("example-value", "example '\(example.id)': \(field.name) = \(number) in '\(line)' is outside its range \(range)", at: location)
                } else if parameter.type == .enum, parameter.range == nil, !parameter.values.contains(where: { $0.value == number }) {
                    sink.warning("example-value", "example '\(example.id)': \(field.name) = \(number) in '\(line)' is not one of its values", at: location)
                }
            } else if let length = parameter.length?.value, !length.contains(field.text.utf8.count), parameter.lengthFrom == nil {
                sink.warning("example-value", "example '\(example.id)': \(field.name) in '\(line)' is \(field.text.utf8.count) bytes, outside its length \(length)", at: location)
            }
        }
    }
}
