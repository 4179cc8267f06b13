// TranslateLine.swift: a received line (information line, deferred result, URC) as a typed struct.

import ATRuntime
import ATSpec

/// Builds the struct for one received line: one property per parameter, a
/// memberwise initializer, and an initializer from the matched fields.
struct LineStructBuilder {
    let plan: NamePlan
    let owner: String
    let parameters: [Parameter]

    /// The properties of a line: (code, optional) in syntax order.
    func properties(_ syntax: Syntax) -> [(ParameterCode, Bool)] {
        Slots.of(syntax.tokens).slots.compactMap { slot in
            guard let parameter = parameters.first(where: { $0.name == slot.name }) else { return nil }
            return (ParameterCode(parameter: parameter, plan: plan, owner: owner), slot.isOptional)
        }
    }

    /// A struct named `name` for lines of `syntax`; `extra` adds stored data properties (multi-part URCs).
    func build(
        name: String, doc: [String], syntax: Syntax, syntaxText: String,
        extraData: [(property: String, key: String, doc: [String])] = [], success: [(name: String, value: String)] = []
    ) -> SwiftDecl {
        let properties = properties(syntax)
        var members: [SwiftMember] = []
        for (code, optional) in properties {
            members.append(.decl(SwiftDecl(doc: DocComments.parameter(code.parameter), "public let \(code.property): \(code.swiftType)\(optional ? "?" : "")")))
        }
        for data in extraData {
            members.append(.decl(SwiftDecl(doc: data.doc, "public let \(data.property): [UInt8]")))
        }
        // Memberwise initializer, for tests and for building expected values.
        let arguments = properties.map { "\($0.0.property): \($0.0.swiftType)\($0.1 ? "? = nil" : "")" } + extraData.map { "\($0.property): [UInt8]" }
        let assignments = properties.map { "self.\($0.0.property) = \($0.0.property)" } + extraData.map { "self.\($0.property) = \($0.property)" }
        members.append(.decl(SwiftDecl(doc: ["Creates a value with the given fields."], "public init(\(arguments.joined(separator: ", ")))", body: assignments.isEmpty ? [] : [.code(assignments)])))
        // From matched fields.
        var decode = ["let r = ATFieldReader(fields, expected: \(Slots.literal(syntaxText)))"]
        if properties.isEmpty { decode = ["_ = fields"] }
        for (code, optional) in properties {
            decode.append("\(code.property) = \(code.read(optional: optional))")
        }
        for data in extraData {
            decode.append("\(data.property) = data[\(Slots.literal(data.key))] ?? []")
        }
        let dataArgument = extraData.isEmpty ? "" : ", data: [String: [UInt8]]"
        members.append(.decl(SwiftDecl(
            doc: ["Types a line matched against `\(syntaxText)`.", "", "- Throws: ``ATDecodingError`` when a field does not hold its type."],
            "public init(fields: [CapturedField]\(dataArgument)) throws(ATDecodingError)", body: [.code(decode)])))
        if !success.isEmpty {
            let conditions = success.compactMap { entry -> String? in
                guard let (code, optional) = properties.first(where: { $0.0.parameter.name == entry.name }) else { return nil }
                return optional ? "\(code.property).map { \(Self.raw(code, "$0")) } == \(entry.value)" : "\(Self.raw(code, code.property)) == \(entry.value)"
            }
            if !conditions.isEmpty {
                members.append(.decl(SwiftDecl(
                    doc: ["True when the result reports success (" + success.map { "`\($0.name)` = \($0.value)" }.joined(separator: ", ") + ")."],
                    "public var isSuccess: Bool", body: [.code([conditions.joined(separator: " && ")])])))
            }
        }
        let secrets = properties.filter { $0.0.parameter.secret }
        var conformances = "Sendable, Hashable"
        if !secrets.isEmpty {
            conformances += ", CustomStringConvertible, CustomDebugStringConvertible"
            let parts = properties.map { code, _ in
                code.parameter.secret ? "\(code.property): <redacted>" : "\(code.property): \\(String(describing: \(code.property)))"
            }
            members.append(.decl(SwiftDecl(doc: ["The fields, with secrets redacted."], "public var description: String", body: [.code(["\"\(name)(\(parts.joined(separator: ", ")))\""])])))
            members.append(.decl(SwiftDecl(doc: ["The fields, with secrets redacted."], "public var debugDescription: String", body: [.code(["description"])])))
        }
        return SwiftDecl(doc: doc, "public struct \(name): \(conformances)", body: members)
    }

    /// The integer a value stands for.
    static func raw(_ code: ParameterCode, _ value: String) -> String {
        switch code.parameter.type {
        case .flag: return "(\(value) ? 1 : 0)"
        case .enum, .error: return code.swiftType == "Int" ? value : "\(value).rawValue"
        default: return value
        }
    }
}
