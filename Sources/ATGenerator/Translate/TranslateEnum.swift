// TranslateEnum.swift: named values and error tables as open enums (an unknown code is kept, not lost).

import ATRuntime
import ATSpec

enum EnumTranslator {
    /// An enum for a parameter's named values, with `unrecognized` for values the spec does not list.
    static func valueEnum(name: String, parameter: Parameter) -> SwiftDecl {
        var cases = parameter.values.map { (NamePlan.valueCase($0), $0) }
        var seen = Set<String>()
        for index in cases.indices {
            if seen.contains(cases[index].0) { cases[index].0 += "\(cases[index].1.value)" }
            seen.insert(cases[index].0)
        }
        var members: [SwiftMember] = cases.map { caseName, value in
            var doc = ["\(value.value): \(value.description ?? value.name ?? "")"]
            if let note = value.note { doc += [""] + DocComments.wrap("- Note: " + note) }
            return .decl(SwiftDecl(doc: doc, "case \(caseName)"))
        }
        members.append(.decl(SwiftDecl(doc: ["A value the documents do not list, kept as received."], "case unrecognized(Int)")))
        members.append(.decl(SwiftDecl(doc: ["The value for a code; codes the documents do not list become ``unrecognized(_:)``."], "public init(rawValue: Int)", body: [.code(
            ["switch rawValue {"] + cases.map { "case \($0.1.value): self = .\($0.0)" } + ["default: self = .unrecognized(rawValue)", "}"])])))
        members.append(.decl(SwiftDecl(doc: ["The code the module sends."], "public var rawValue: Int", body: [.code(
            ["switch self {"] + cases.map { "case .\($0.0): \($0.1.value)" } + ["case .unrecognized(let value): value", "}"])])))
        var doc = ["The values of `<\(parameter.name)>`."]
        let prose = DocComments.prose(parameter.annotations)
        if !prose.isEmpty { doc += [""] + prose }
        return SwiftDecl(doc: doc, "public enum \(name): Sendable, Hashable", body: members)
    }

    /// An error table: each code a case with the manual's text.
    /// The codes whose text (compared without regard to case) no earlier code has: a text that
    /// several codes share names the first of them.
    static func firstByText(_ codes: [ErrorCode]) -> [ErrorCode] {
        var seen: Set<String> = []
        return codes.filter { seen.insert($0.text.trimmingASCIISpaces().lowercased()).inserted }
    }

    static func errorEnum(name: String, table: ErrorTable, file: String) -> SwiftDecl {
        var members: [SwiftMember] = table.codes.map { code in
            var doc = ["\(code.code): \(code.text)"]
            if let description = code.description { doc += [""] + DocComments.wrap(description) }
            if let note = code.note { doc += [""] + DocComments.wrap("- Note: " + note) }
            return .decl(SwiftDecl(doc: doc, "case \(NamePlan.errorCase(code))"))
        }
        let reserved = table.reserved
        if !reserved.isEmpty {
            let ranges = reserved.map(\.range.text).joined(separator: ", ")
            members.append(.decl(SwiftDecl(doc: ["A code in a range the table reserves (\(ranges)), kept as received."], "case reserved(Int)")))
        }
        members.append(.decl(SwiftDecl(doc: ["A code the table does not list, kept as received."], "case unrecognized(Int)")))
        if table.verbose {
            members.append(.decl(SwiftDecl(doc: ["A text (verbose mode, `AT+CMEE=2`) the table does not list, kept as received."], "case unrecognizedText(String)")))
        }
        let reservedCases = reserved.map { entry in
            "case " + entry.range.ranges.map { $0.lowerBound == $0.upperBound ? "\($0.lowerBound)" : "\($0.lowerBound)...\($0.upperBound)" }.joined(separator: ", ") + ": self = .reserved(rawValue)"
        }
        members.append(.decl(SwiftDecl(doc: ["The error for a code; codes the table does not list become ``unrecognized(_:)``."], "public init(rawValue: Int)", body: [.code(
            ["switch rawValue {"] + table.codes.map { "case \($0.code): self = .\(NamePlan.errorCase($0))" } + reservedCases + ["default: self = .unrecognized(rawValue)", "}"])])))
        if table.verbose {
            members.append(.decl(SwiftDecl(
                doc: ["The error for a code's text as the module writes it in verbose mode (`SIM not inserted`), compared without regard to case and", "surrounding spaces; a text the table does not list becomes ``unrecognizedText(_:)``."],
                "public init(text: String)", body: [.code(
                    ["switch text.trimmingASCIISpaces().lowercased() {"] + Self.firstByText(table.codes).map { "case \(Slots.literal($0.text.lowercased())): self = .\(NamePlan.errorCase($0))" }
                        + ["default: self = .unrecognizedText(text)", "}"])])))
            members.append(.decl(SwiftDecl(
                doc: ["The error for a field that holds a code (`10`) or its text (`SIM not inserted`)."], "public init(field: String)",
                body: [.code(["if let code = Int(field) {", "    self.init(rawValue: code)", "} else {", "    self.init(text: field)", "}"])])))
        }
        let rawType = table.verbose ? "Int?" : "Int"
        members.append(.decl(SwiftDecl(doc: ["The code the module sends" + (table.verbose ? "; nil for a text the table does not list." : ".")], "public var rawValue: \(rawType)", body: [.code(
            ["switch self {"] + table.codes.map { "case .\(NamePlan.errorCase($0)): \($0.code)" } + (reserved.isEmpty ? [] : ["case .reserved(let value): value"]) + ["case .unrecognized(let value): value"]
                + (table.verbose ? ["case .unrecognizedText: nil"] : []) + ["}"])])))
        let reservedText = reserved.isEmpty ? [] : ["case .reserved(let value):"] + reserved.map { entry in
            "    if " + entry.range.ranges.map { "(\($0.lowerBound)...\($0.upperBound)).contains(value)" }.joined(separator: " || ") + " { return \(Slots.literal(entry.text)) }"
        } + ["    return \"reserved\""]
        members.append(.decl(SwiftDecl(doc: ["The manual's meaning of the code."], "public var text: String", body: [.code(
            ["switch self {"] + table.codes.map { "case .\(NamePlan.errorCase($0)): return \(Slots.literal($0.text))" } + reservedText + ["case .unrecognized(let value): return \"unknown error \\(value)\""]
                + (table.verbose ? ["case .unrecognizedText(let text): return text"] : []) + ["}"])])))
        members.append(.decl(SwiftDecl(doc: ["`<code>: <meaning>`" + (table.verbose ? " (the text alone for a text the table does not list)." : ".")], "public var description: String", body: [.code(
            [table.verbose ? "rawValue.map { \"\\($0): \\(text)\" } ?? text" : "\"\\(rawValue): \\(text)\""])])))
        var doc = ["\(table.title)."]
        let prose = DocComments.prose(table.annotations)
        if !prose.isEmpty { doc += [""] + prose }
        doc += [""] + DocComments.sources(table.annotations) + ["- Remark: Generated from \(file), errors.\(table.id)"]
        return SwiftDecl(doc: doc, "public enum \(name): Error, Sendable, Hashable, CustomStringConvertible", body: members)
    }

    /// One group of a repeated parameter with several items (`<topic>,<qos>`), as a struct.
    static func elementStruct(_ code: ParameterCode) -> SwiftDecl {
        let items = code.itemCodes
        var members: [SwiftMember] = items.map { item in
            .decl(SwiftDecl(doc: DocComments.parameter(item.parameter), "public var \(item.property): \(item.swiftType)"))
        }
        members.append(.decl(SwiftDecl(
            doc: ["Creates a group."], "public init(" + items.map { "\($0.property): \($0.swiftType)" }.joined(separator: ", ") + ")",
            body: [.code(items.map { "self.\($0.property) = \($0.property)" })])))
        var doc = ["One group of `<\(code.parameter.name)>`: " + items.map { "`<\($0.parameter.name)>`" }.joined(separator: ", ") + "."]
        let prose = DocComments.prose(code.parameter.annotations)
        if !prose.isEmpty { doc += [""] + prose }
        return SwiftDecl(doc: doc, "public struct \(NamePlan.elementType(code.parameter)): Sendable, Hashable", body: members)
    }
}
