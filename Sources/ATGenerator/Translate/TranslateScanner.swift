// TranslateScanner.swift: the generated URC parsers: a dispatch on the line's first bytes, fields read straight from the bytes.

import ATRuntime
import ATSpec

/// Writes a module's `URC.scan(_:)`: for each URC whose lines the interpreting decoder would
/// read in one way only, code that reads its prefix and fields with an ``ATScanner`` and builds
/// the typed value directly.
///
/// A URC gets a parser when its lines are parameters separated by commas (no optional group,
/// literal or list), each an integer, a flag, a value enum or a quoted value (its length
/// declared by the field before it, or ended by the quote); when the framer applies to its
/// prefixes only the data rules of its own lengths; and when its starting prefix is not a
/// prefix of another URC's and does not start with `AT`. A line that starts with a final
/// result's prefix, or with the prefix of a URC without a parser, is left to the decoder, so
/// that the decoder's order (final results first, URCs in the module's order) is kept.
struct ScannerTranslator {
    let spec: Spec
    let composed: Spec
    let plan: NamePlan
    let base: String?

    /// One URC with a parser: its starting prefix and the function that reads the rest.
    struct Parser {
        var prefix: String
        var function: String
        var body: [String]
        var doc: String
    }

    func translate() -> [SwiftMember] {
        let descriptor = DescriptorBuilder.build(composed)
        let rules = ATDecoder.dataRules(descriptor)
        var unsafe = composed.finalResults.compactMap { $0.syntax.parsed?.prefix }
        var parsers: [Parser] = []
        let starts = spec.urcs.map(Self.startPrefix)
        for (index, urc) in spec.urcs.enumerated() {
            guard let prefix = starts[index] else { continue }
            let related = starts.enumerated().contains { other, otherPrefix in
                guard other != index, let otherPrefix else { return false }
                return otherPrefix.hasPrefix(prefix) || prefix.hasPrefix(otherPrefix)
            }
            if !related, !prefix.uppercased().hasPrefix("AT"), let parser = parser(urc, prefix: prefix, rules: rules) {
                parsers.append(parser)
            } else {
                unsafe.append(prefix)
            }
        }
        if let baseSpec = composed.base {
            // A base URC this spec replaces is not the base's to read any more.
            let kept = Set(composed.urcs.filter { $0.origin != nil }.map(\.id))
            unsafe += baseSpec.urcs.filter { !kept.contains($0.id) }.compactMap(Self.startPrefix)
        }
        let fallback = base.map { "return \($0).URC.scan(&s).map(URC.base)" } ?? "return nil"
        var dispatch: [String] = []
        if parsers.isEmpty && base == nil {
            dispatch = ["_ = s", "return nil"]
        } else {
            // Grouped by first byte: the prefixes left to the decoder first, then the parsers.
            let bytes = Set(parsers.compactMap { $0.prefix.utf8.first } + unsafe.compactMap { $0.utf8.first }).sorted()
            let anyPrefix = unsafe.contains { $0.isEmpty }
            if anyPrefix {
                dispatch = ["_ = s", "return nil  // a final result without a prefix: every line is the decoder's"]
            } else {
                dispatch.append("guard let first = s.peekByte() else { return nil }")
                dispatch.append("switch first {")
                for byte in bytes {
                    let scalar = Unicode.Scalar(byte)
                    dispatch.append("case \(byte):  // \(scalar.escaped(asASCII: true))")
                    for prefix in Set(unsafe.filter({ $0.utf8.first == byte })).sorted() {
                        dispatch.append("    if s.peek(\(Slots.literal(prefix))) { return nil }")
                    }
                    for parser in parsers where parser.prefix.utf8.first == byte {
                        dispatch.append("    if s.take(\(Slots.literal(parser.prefix))) { return \(parser.function)(&s) }")
                    }
                    dispatch.append("    \(fallback)")
                }
                dispatch.append("default: \(fallback)")
                dispatch.append("}")
            }
        }
        var members: [SwiftMember] = [.decl(SwiftDecl(
            doc: [
                "Reads a URC straight from the bytes at a line start: \(parsers.isEmpty ? "none of this module's own URCs has a generated parser" : parsers.map { "`\($0.prefix)`" }.joined(separator: ", "))\(base.map { "; the base's (`\($0)`) after them" } ?? "").",
                "", "Nil when the line is not one of them, or not exactly as the spec writes it: ``ATTypedDecoder`` then leaves it to the interpreting decoder.",
            ],
            "public static func scan(_ s: inout ATScanner) -> URC?", body: [.code(dispatch)]))]
        for parser in parsers {
            members.append(.decl(SwiftDecl(doc: [parser.doc], "private static func \(parser.function)(_ s: inout ATScanner) -> URC?", body: [.code(parser.body)])))
        }
        return members
    }

    /// The prefix a URC's first line starts with.
    static func startPrefix(_ urc: URC) -> String? {
        if let line = urc.syntax?.parsed { return line.prefix }
        return urc.parts.first?.syntax.parsed?.prefix
    }

    /// The parameter names of a syntax made only of parameters between commas; nil for anything else.
    static func plainParameters(_ syntax: Syntax) -> [String]? {
        var names: [String] = []
        for (index, token) in syntax.tokens.enumerated() {
            switch token {
            case .parameter(let name) where index % 2 == 0: names.append(name)
            case .comma where index % 2 == 1: continue
            default: return nil
            }
        }
        return syntax.tokens.count % 2 == 1 || syntax.tokens.isEmpty ? names : nil
    }

    /// The rules of the framer that apply to lines starting with `prefix`.
    static func rules(_ rules: [DataRule], touching prefix: String) -> [DataRule] {
        let bytes = Array(prefix.utf8)
        return rules.filter { $0.prefix.starts(with: bytes) || bytes.starts(with: $0.prefix) }
    }

    /// The parser of one URC, or nil when it does not fit.
    func parser(_ urc: URC, prefix: String, rules: [DataRule]) -> Parser? {
        let function = "scan" + plan.urcType(urc)
        let caseName = plan.urcCase(urc)
        if let line = urc.syntax?.parsed {
            guard let names = Self.plainParameters(line) else { return nil }
            guard let reads = fieldReads(names, urc: urc, rules: Self.rules(rules, touching: prefix), prefix: prefix, typed: true) else { return nil }
            if names.isEmpty {
                return Parser(prefix: prefix, function: function, body: ["guard s.end() else { return nil }", "return .\(caseName)"], doc: "`\(urc.syntax?.text ?? prefix)`, after its prefix.")
            }
            let typeName = plan.urcType(urc)
            let arguments = reads.values.map { "\($0.property): \($0.property)" }.joined(separator: ", ")
            return Parser(
                prefix: prefix, function: function,
                body: ["guard " + (reads.conditions + ["s.end()"]).joined(separator: ", ") + " else { return nil }", "return .\(caseName)(\(typeName)(\(arguments)))"],
                doc: "`\(urc.syntax?.text ?? prefix)`, after its prefix.")
        }
        return multiPart(urc, prefix: prefix, rules: rules, function: function, caseName: caseName)
    }

    /// The reads of a line's fields: the conditions of a `guard`, and the typed values they bind.
    struct Reads {
        var conditions: [String] = []
        /// Each bound value: its property, its parameter, and whether it is a plain `Int`.
        var values: [(property: String, parameter: String, integer: Bool)] = []
    }

    /// The conditions that read the fields `names` of a line with prefix `prefix`. With `typed`,
    /// each field is bound to a typed value, as the bindings type it; otherwise it is only
    /// checked for its shape, as the decoder checks the later lines of a multi-part URC.
    /// `dataLength` names the field that declares the raw data after the line, bound to `length`.
    func fieldReads(_ names: [String], urc: URC, rules: [DataRule], prefix: String, typed: Bool, dataLength: String? = nil) -> Reads? {
        var reads = Reads()
        var allowed: [DataRule] = []
        for (index, name) in names.enumerated() {
            guard let parameter = urc.parameters.first(where: { $0.name == name }) else { return nil }
            let code = ParameterCode(parameter: parameter, plan: plan, owner: "u:" + urc.id)
            let shape = DescriptorBuilder.shape(parameter)
            if index > 0 { reads.conditions.append("s.comma()") }
            if let lengthName = parameter.lengthFrom?.value, names.contains(lengthName) {
                // Framed by the field before it: the framer's inline rule and the matcher agree only then.
                guard typed, index > 0, names[index - 1] == lengthName, shape == .quoted || parameter.type == .data,
                    let length = reads.values.first(where: { $0.parameter == lengthName }), length.integer
                else { return nil }
                allowed.append(.inlineQuoted(prefix: Array(prefix.utf8), lengthField: index - 1))
                let read = code.swiftType == "String" ? "s.sizedString(\(length.property))" : "s.sizedBytes(\(length.property))"
                reads.conditions.append("let \(code.property) = \(read)")
                reads.values.append((code.property, name, false))
                continue
            }
            if name == dataLength {
                // A length that is also a typed field of the first line is not read here.
                guard !typed, shape == .integer else { return nil }
                allowed.append(.followingLine(prefix: Array(prefix.utf8), lengthField: index))
                reads.conditions.append("let partLength = s.integer()")
                continue
            }
            guard typed else {
                switch shape {
                case .integer: reads.conditions.append("s.integer() != nil")
                case .quoted: reads.conditions.append("s.quoted() != nil")
                case .bare, .any: return nil
                }
                continue
            }
            guard let read = read(code, shape: shape) else { return nil }
            reads.conditions.append("let \(code.property) = \(read)")
            reads.values.append((code.property, name, read == "s.integer()"))
        }
        // The framer must cut the line just as the parser reads it: only the rules of its own lengths.
        for rule in rules where !allowed.contains(where: { $0.kind == rule.kind && $0.prefix == rule.prefix && $0.lengthField == rule.lengthField }) {
            return nil
        }
        return reads
    }

    /// The scanner expression that reads a field as the bindings type it; nil for a type or shape it does not read.
    func read(_ code: ParameterCode, shape: FieldShape) -> String? {
        let parameter = code.parameter
        switch parameter.type {
        case .integer where shape == .integer: return "s.integer()"
        case .flag where shape == .integer: return "s.flag()"
        case .enum where shape == .integer, .error where shape == .integer && !(parameter.acceptsText && code.swiftType != "Int"):
            return code.swiftType == "Int" ? "s.integer()" : "s.integer().map(\(code.swiftType).init(rawValue:))"
        case .string where shape == .quoted, .hex where shape == .quoted, .list where shape == .quoted: return "s.quotedString()"
        case .data where shape == .quoted: return "s.quotedBytes()"
        default: return nil
        }
    }

    /// A URC of several lines (`+CMQTTRXSTART` … `+CMQTTRXEND`): the first line's fields, then
    /// the later lines in any order, each with its raw data, until the end line.
    func multiPart(_ urc: URC, prefix: String, rules: [DataRule], function: String, caseName: String) -> Parser? {
        let parts = urc.parts
        guard parts.count >= 2, parts.count == urc.parts.compactMap({ $0.syntax.parsed }).count, parts[0].role != "end",
            parts.dropFirst().contains(where: { $0.role == "end" })
        else { return nil }
        let prefixes = parts.compactMap { $0.syntax.parsed?.prefix }
        for (index, one) in prefixes.enumerated() {
            for (other, two) in prefixes.enumerated() where other != index && (one.hasPrefix(two) || two.hasPrefix(one)) { return nil }
        }
        guard let startSyntax = parts[0].syntax.parsed, let startNames = Self.plainParameters(startSyntax) else { return nil }
        var into: [String: String] = [:]  // data key → local variable
        var order: [String] = []
        for part in parts {
            guard let key = part.dataInto?.value, into[key] == nil else { continue }
            let parameter = urc.parameters.first { $0.name == key }
            into[key] = parameter.map(NamePlan.property) ?? NamePlan.identifier(SwiftNaming.lowerCamel(key))
            order.append(key)
        }
        func dataRead(_ part: URCPart) -> String? {
            guard part.dataLength != nil else { return nil }
            guard let key = part.dataInto?.value, let variable = into[key] else { return "" }
            return "s.data(partLength, into: &\(variable))"
        }
        guard let start = fieldReads(startNames, urc: urc, rules: Self.rules(rules, touching: prefix), prefix: prefix, typed: true, dataLength: parts[0].dataLength?.value)
        else { return nil }
        var body: [String] = []
        var startConditions = start.conditions + ["s.end()"]
        if let data = dataRead(parts[0]) {
            guard !data.isEmpty else { return nil }
            startConditions.append(data)
        }
        for key in order { body.append("var \(into[key] ?? key): [UInt8] = []") }
        body.insert("guard " + startConditions.joined(separator: ", ") + " else { return nil }", at: 0)
        body.append("while true {")
        body.append("    s.skipLineEnds()")
        var first = true
        for part in parts.dropFirst() {
            guard let syntax = part.syntax.parsed, let names = Self.plainParameters(syntax), !(part.role == "end" && part.dataLength != nil) else { return nil }
            guard let reads = fieldReads(names, urc: urc, rules: Self.rules(rules, touching: syntax.prefix), prefix: syntax.prefix, typed: false, dataLength: part.dataLength?.value)
            else { return nil }
            var conditions = reads.conditions + ["s.end()"]
            if let data = dataRead(part) {
                guard !data.isEmpty else { return nil }
                conditions.append(data)
            }
            body.append("    \(first ? "if" : "} else if") s.take(\(Slots.literal(syntax.prefix))) {")
            body.append("        guard " + conditions.joined(separator: ", ") + " else { return nil }")
            if part.role == "end" { body.append("        break") }
            first = false
        }
        body += ["    } else {", "        return nil", "    }", "}"]
        // Each part's data must add up to the total the first line declared.
        var totals: [String] = []
        for key in order {
            guard let parameter = urc.parameters.first(where: { $0.name == key }), let total = parameter.lengthFrom?.value, startNames.contains(total),
                let totalValue = start.values.first(where: { $0.parameter == total })
            else { continue }
            totals.append("\(into[key] ?? key).count == \(totalValue.property)")
        }
        if !totals.isEmpty { body.append("guard " + totals.joined(separator: ", ") + " else { return nil }") }
        let arguments = start.values.map { "\($0.property): \($0.property)" } + order.map { "\(into[$0] ?? $0): \(into[$0] ?? $0)" }
        body.append("return .\(caseName)(\(plan.urcType(urc))(\(arguments.joined(separator: ", "))))")
        return Parser(prefix: prefix, function: function, body: body, doc: "`\(parts[0].syntax.text)` and the parts after it, after its prefix.")
    }
}
