// Routes.swift: a module's lines compiled once for the decoder, with tables that pick the candidates for a line by its first byte.

/// A command form's lines, compiled.
struct CompiledForm: Sendable {
    /// The command line.
    let line: LineMatcher
    /// The information lines, in the form's order.
    let responses: [LineMatcher]
    /// The deferred result.
    let deferred: LineMatcher?

    init(_ form: FormDescriptor) {
        line = LineMatcher(form)
        responses = form.responses.map(LineMatcher.init)
        deferred = form.deferred.map(LineMatcher.init)
    }
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

    init(_ module: ModuleDescriptor) {
        finals = module.finals.map { LineMatcher($0.line) }
        urcLines = module.urcs.map { $0.line.map(LineMatcher.init) }
        urcParts = module.urcs.map { $0.parts.map { LineMatcher($0.line) } }
        forms = module.forms.map(CompiledForm.init)
        partDataInto = module.urcs.map { $0.parts.map { $0.dataLengthField == nil ? nil : $0.dataInto } }
        partEnds = module.urcs.map { $0.parts.map { $0.role == "end" } }
        finalNames = module.finals.map(\.name)
        urcNames = module.urcs.map(\.name)
        urcDataCount = module.urcs.map { urc in Set(urc.parts.compactMap { $0.dataLengthField == nil ? nil : $0.dataInto }).count }
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

    /// The index of the first form whose command line matches `bytes`, with its fields.
    func form(matching bytes: UnsafeBufferPointer<UInt8>, scratch: inout MatchScratch) -> (Int, [CapturedField])? {
        for index in forms.indices {
            if let fields = forms[index].line.match(bytes, scratch: &scratch) { return (index, fields) }
        }
        return nil
    }
}
