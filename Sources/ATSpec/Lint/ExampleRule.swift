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
        let index = SpecIndex(spec)
        for example in spec.examples {
            var walker = TranscriptWalker(index: index, example: example)
            walker.run(into: &sink)
        }
    }
}

/// A line the spec declares, with the parameters that type its fields.
struct DeclaredLine {
    enum Owner {
        case final(FinalResult)
        case response(Command, Form)
        case deferred(Command, Form)
        case urc(URC, URCPart?)
    }

    let syntax: Syntax
    let text: String
    let parameters: [Parameter]
    let owner: Owner
}

/// The spec's lines and forms, indexed once for matching.
struct SpecIndex {
    let spec: Spec
    let finals: [DeclaredLine]
    let urcs: [DeclaredLine]
    let responses: [DeclaredLine]

    init(_ spec: Spec) {
        self.spec = spec
        finals = spec.finalResults.compactMap { final in
            final.syntax.parsed.map { DeclaredLine(syntax: $0, text: final.syntax.text, parameters: final.parameters, owner: .final(final)) }
        }
        var urcLines: [DeclaredLine] = []
        for urc in spec.urcs {
            if let syntax = urc.syntax?.parsed, let text = urc.syntax?.text {
                urcLines.append(DeclaredLine(syntax: syntax, text: text, parameters: urc.parameters, owner: .urc(urc, nil)))
            }
            for part in urc.parts {
                if let syntax = part.syntax.parsed {
                    urcLines.append(DeclaredLine(syntax: syntax, text: part.syntax.text, parameters: urc.parameters, owner: .urc(urc, part)))
                }
            }
        }
        urcs = urcLines
        var responseLines: [DeclaredLine] = []
        for command in spec.commands {
            for form in command.forms {
                responseLines += Self.lines(of: form, in: command)
            }
        }
        responses = responseLines
    }

    /// The response and deferred lines of one form.
    static func lines(of form: Form, in command: Command) -> [DeclaredLine] {
        var lines = form.responses.compactMap { line in
            line.syntax.parsed.map { DeclaredLine(syntax: $0, text: line.syntax.text, parameters: command.parameters, owner: .response(command, form)) }
        }
        if let deferred = form.deferred, let syntax = deferred.syntax.parsed {
            lines.append(DeclaredLine(syntax: syntax, text: deferred.syntax.text, parameters: command.parameters, owner: .deferred(command, form)))
        }
        return lines
    }

    /// How a parameter's value is written, for the matcher (as the runtime decoder matches it).
    static func shape(_ parameters: [Parameter]) -> (String) -> FieldShape {
        let shapes = DescriptorBuilder.shapes(parameters)
        return { shapes[$0] ?? .any }
    }
}

/// Walks one transcript line by line.
struct TranscriptWalker {
    let index: SpecIndex
    let example: Example
    var inFlight: (command: Command, form: Form)?
    var pendingData: Int?

    init(index: SpecIndex, example: Example) {
        self.index = index
        self.example = example
    }

    mutating func run(into sink: inout DiagnosticSink) {
        for (number, rawLine) in example.lines.enumerated() {
            let location = number < example.lineLocations.count ? example.lineLocations[number] : example.location
            var line = rawLine
            if line.hasSuffix("\r") { line.removeLast() }
            if line.trimmingSpaces.isEmpty { continue }
            if let expected = pendingData {
                let count = example.bytes(of: line).count
                if count != expected {
                    sink.warning("example-data-length", "example '\(example.id)': data line is \(count) bytes but the line before it declares \(expected)", at: location)
                }
                pendingData = nil
                continue
            }
            if line.uppercased().hasPrefix("AT") {
                command(line, location, &sink)
            } else if line.hasPrefix(">") {
                if inFlight?.form.prompt == nil {
                    let what = inFlight.map { "command '\($0.command.id)' has no prompt" } ?? "no command is in flight"
                    sink.error(ExampleRule().id, "example '\(example.id)': prompt '>' but \(what)", at: location)
                }
            } else {
                result(line, location, &sink)
            }
        }
    }

    mutating func command(_ line: String, _ location: SourceLocation, _ sink: inout DiagnosticSink) {
        for command in index.spec.commands {
            for form in command.forms {
                guard let syntax = form.syntax.parsed,
                    let fields = SyntaxMatcher.match(line, syntax, shape: SpecIndex.shape(command.parameters))
                else { continue }
                checkValues(fields, command.parameters, line, location, &sink)
                inFlight = (command, form)
                return
            }
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

    mutating func result(_ line: String, _ location: SourceLocation, _ sink: inout DiagnosticSink) {
        var candidates = index.finals
        if let (command, form) = inFlight {
            candidates += SpecIndex.lines(of: form, in: command)
            for other in command.forms where other != form {
                candidates += SpecIndex.lines(of: other, in: command).filter { !$0.syntax.prefix.isEmpty }
            }
        }
        candidates += index.responses.filter { !$0.syntax.prefix.isEmpty } + index.urcs
        for candidate in candidates {
            guard let fields = SyntaxMatcher.match(line, candidate.syntax, shape: SpecIndex.shape(candidate.parameters)) else { continue }
            checkValues(fields, candidate.parameters, line, location, &sink)
            if case .urc(_, let part?) = candidate.owner, let lengthName = part.dataLength?.value,
                let value = fields.first(where: { $0.name == lengthName }), let length = Int(value.text), length > 0
            {
                pendingData = length
            }
            return
        }
        sink.error(ExampleRule().id, "example '\(example.id)': line '\(line)' matches no final result, response or URC in the spec", at: location)
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
