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
    static func errorEnum(name: String, table: ErrorTable, file: String) -> SwiftDecl {
        var members: [SwiftMember] = table.codes.map { code in
            var doc = ["\(code.code): \(code.text)"]
            if let description = code.description { doc += [""] + DocComments.wrap(description) }
            if let note = code.note { doc += [""] + DocComments.wrap("- Note: " + note) }
            return .decl(SwiftDecl(doc: doc, "case \(NamePlan.errorCase(code))"))
        }
        members.append(.decl(SwiftDecl(doc: ["A code the table does not list, kept as received."], "case unrecognized(Int)")))
        members.append(.decl(SwiftDecl(doc: ["The error for a code; codes the table does not list become ``unrecognized(_:)``."], "public init(rawValue: Int)", body: [.code(
            ["switch rawValue {"] + table.codes.map { "case \($0.code): self = .\(NamePlan.errorCase($0))" } + ["default: self = .unrecognized(rawValue)", "}"])])))
        members.append(.decl(SwiftDecl(doc: ["The code the module sends."], "public var rawValue: Int", body: [.code(
            ["switch self {"] + table.codes.map { "case .\(NamePlan.errorCase($0)): \($0.code)" } + ["case .unrecognized(let value): value", "}"])])))
        members.append(.decl(SwiftDecl(doc: ["The manual's meaning of the code."], "public var text: String", body: [.code(
            ["switch self {"] + table.codes.map { "case .\(NamePlan.errorCase($0)): \(Slots.literal($0.text))" } + ["case .unrecognized(let value): \"unknown error \\(value)\"", "}"])])))
        members.append(.decl(SwiftDecl(doc: ["`<code>: <meaning>`."], "public var description: String", body: [.code(["\"\\(rawValue): \\(text)\""])])))
        var doc = ["\(table.title)."]
        let prose = DocComments.prose(table.annotations)
        if !prose.isEmpty { doc += [""] + prose }
        doc += [""] + DocComments.sources(table.annotations) + ["- Remark: Generated from \(file), errors.\(table.id)"]
        return SwiftDecl(doc: doc, "public enum \(name): Error, Sendable, Hashable, CustomStringConvertible", body: members)
    }
}
