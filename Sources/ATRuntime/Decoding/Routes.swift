// Routes.swift: a module's lines compiled once for the decoder, with tables that pick the candidates for a line by its first byte.

/// A command form's lines, compiled.
struct CompiledForm: Sendable {
    /// The command line.
    let line: LineMatcher
    /// The command line as firmware parses it: values quoted or not, tags without quotes
    /// (tried when no form matches strictly).
    let lenientLine: LineMatcher
    /// The information lines, in the form's order.
    let responses: [LineMatcher]
    /// The deferred result's shapes, the first one first.
    let deferreds: [LineMatcher]
    /// The indices into `responses` of the lines with a prefix, and of those without one
    /// (`<sn>`): a final result or a URC wins over a line without a prefix.
    let prefixedResponses: [Int]
    let unprefixedResponses: [Int]
    /// The field that declares the prompt data's length, and how that data is written.
    let promptLengthParameter: String?
    let promptEncoding: PromptEncoding
    let promptTerminator: UInt8?
    let promptCancel: UInt8?

    init(_ form: FormDescriptor) {
        line = LineMatcher(form)
        lenientLine = LineMatcher(form, lenient: true)
        let responses = form.responses.map(LineMatcher.init)
        self.responses = responses
        deferreds = form.deferredShapes.map(LineMatcher.init)
        promptTerminator = form.promptTerminator
        promptCancel = form.promptCancel
        prefixedResponses = responses.indices.filter { !responses[$0].isUnprefixed }
        unprefixedResponses = responses.indices.filter { responses[$0].isUnprefixed }
        promptLengthParameter = form.promptLengthParameter
        promptEncoding = form.promptEncoding
    }

    /// How many bytes go over the line after the prompt, read from the command line's fields.
    func promptDataLength(_ fields: [CapturedField]) -> Int? {
        guard let name = promptLengthParameter, let field = fields.first(where: { $0.name == name }), let length = Int(field.text), length >= 0 else {
            return nil
        }
        return promptEncoding.transmittedCount(length)
    }
}

/// A response or deferred line of some form, tried when no command in flight claims a line.
struct AnswerLine: Sendable {
    /// Index into the module's forms.
    let form: Int
    let deferred: Bool
    let matcher: LineMatcher
}

/// Everything the decoder matches lines against, compiled from a ``ModuleDescriptor``.
///
/// Only lines whose prefix could match are tried: `finalsByByte[b]` lists, in the
/// module's order, the final results whose prefix allows a line starting with byte `b`
/// (an empty prefix allows every line), and `urcsByByte[b]` the URCs whose line or
/// first part does. Trying only those, in the same order, gives the same result as
/// trying all of them.
struct Routes: Sendable {
    let finals: [LineMatcher]
    /// Per URC: its single line, if it has one.
    let urcLines: [LineMatcher?]
    /// Per URC: its parts' lines.
    let urcParts: [[LineMatcher]]
    /// Per form of `module.forms`.
    let forms: [CompiledForm]
    let finalsByByte: [[Int]]
    let urcsByByte: [[Int]]
    /// Per final result and per URC: its name.
    let finalNames: [String]
    let urcNames: [String]
    /// Per URC part: the name its data is collected into, when raw data follows it.
    let partDataInto: [[String?]]
    /// Per URC part: true for the part that ends the URC.
    let partEnds: [[Bool]]
    /// Per URC: how many named data blocks its parts collect.
    let urcDataCount: [Int]
    /// Per URC: each data name with the field of its start part that declares its total length, by name.
    let urcTotals: [[(into: String, field: String)]]
    /// Every form's prefixed deferred results, then every form's prefixed information lines,
    /// and, by first byte, the ones whose prefix allows it.
    let answers: [AnswerLine]
    let answersByByte: [[Int]]
    /// The prefixes of the lines and command lines that carry a secret parameter (command
    /// prefixes upper-cased): an unrecognized line that starts with one is shown redacted.
    let secretPrefixes: [(prefix: [UInt8], command: Bool)]

    init(_ module: ModuleDescriptor) {
        finals = module.finals.map { LineMatcher($0.line) }
        urcLines = module.urcs.map { $0.line.map(LineMatcher.init) }
        urcParts = module.urcs.map { $0.parts.map { LineMatcher($0.line) } }
        forms = module.forms.map(CompiledForm.init)
        partDataInto = module.urcs.map { $0.parts.map { $0.dataLengthField == nil ? nil : $0.dataInto } }
        partEnds = module.urcs.map { $0.parts.map { $0.role == "end" } }
        finalNames = module.finals.map(\.name)
        urcNames = module.urcs.map(\.name)
        urcTotals = module.urcs.map { urc in urc.dataTotals.keys.sorted().map { ($0, urc.dataTotals[$0] ?? "") } }
        urcDataCount = module.urcs.map { urc in Set(urc.parts.compactMap { $0.dataLengthField == nil ? nil : $0.dataInto }).count }
        var answers: [AnswerLine] = []
        for (index, form) in forms.enumerated() {
            for deferred in form.deferreds where !deferred.isUnprefixed { answers.append(AnswerLine(form: index, deferred: true, matcher: deferred)) }
        }
        for (index, form) in forms.enumerated() {
            for response in form.prefixedResponses.map({ form.responses[$0] }) {
                answers.append(AnswerLine(form: index, deferred: false, matcher: response))
            }
        }
        self.answers = answers
        answersByByte = (0...255).map { byte in answers.indices.filter { answers[$0].matcher.canStart(with: UInt8(byte)) } }
        var secretPrefixes: [(prefix: [UInt8], command: Bool)] = []
        func addSecret(_ prefix: [UInt8], command: Bool) {
            guard !prefix.isEmpty, !secretPrefixes.contains(where: { $0.prefix == prefix }) else { return }
            secretPrefixes.append((prefix, command))
        }
        for form in module.forms {
            if !form.secrets.isEmpty { addSecret(Array(Self.fixedHead(form.syntax).utf8).map(LineMatcher.upper), command: true) }
            for line in form.responses + form.deferredShapes where !line.secrets.isEmpty {
                addSecret(Array(line.syntax.prefix.utf8), command: false)
            }
        }
        for urc in module.urcs {
            for line in (urc.line.map { [$0] } ?? []) + urc.parts.map(\.line) where !line.secrets.isEmpty {
                addSecret(Array(line.syntax.prefix.utf8), command: false)
            }
        }
        self.secretPrefixes = secretPrefixes
        let finals = self.finals
        let urcLines = self.urcLines
        let urcParts = self.urcParts
        finalsByByte = (0...255).map { byte in finals.indices.filter { finals[$0].canStart(with: UInt8(byte)) } }
        urcsByByte = (0...255).map { byte in
            urcLines.indices.filter { index in
                urcLines[index]?.canStart(with: UInt8(byte)) == true || urcParts[index].first?.canStart(with: UInt8(byte)) == true
            }
        }
    }

    /// A syntax's prefix and the literals after it up to the first parameter
    /// (`AT+SMCONF="PASSWORD",`): what a line of that form always starts with.
    static func fixedHead(_ syntax: Syntax) -> String {
        var head = syntax.prefix
        for token in syntax.tokens {
            switch token {
            case .literal(let text): head += text
            case .quotedLiteral(let text): head += "\"" + text + "\""
            case .comma: head += ","
            default: return head
            }
        }
        return head
    }

    /// The bytes to show of a line nothing matched: when it starts with the prefix of a line
    /// or command that carries a secret, everything after that prefix is `<redacted>`.
    func shownBytes(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        for (prefix, command) in secretPrefixes where bytes.count > prefix.count {
            var matches = true
            for index in prefix.indices where (command ? LineMatcher.upper(bytes[index]) : bytes[index]) != prefix[index] {
                matches = false
                break
            }
            if matches { return Array(bytes[0..<prefix.count]) + Array("<redacted>".utf8) }
        }
        return Array(bytes)
    }

    /// The index of the first form whose command line matches `bytes`, with its fields and
    /// the matcher that matched: as the manual writes it, else as firmware parses it.
    func form(matching bytes: UnsafeBufferPointer<UInt8>, scratch: inout MatchScratch) -> (Int, [CapturedField], LineMatcher)? {
        for index in forms.indices {
            if let fields = forms[index].line.match(bytes, scratch: &scratch) { return (index, fields, forms[index].line) }
        }
        for index in forms.indices {
            if let fields = forms[index].lenientLine.match(bytes, scratch: &scratch) { return (index, fields, forms[index].lenientLine) }
        }
        return nil
    }
}
