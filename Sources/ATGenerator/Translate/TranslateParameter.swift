// TranslateParameter.swift: how one parameter is checked, written and read in generated code.

import ATRuntime
import ATSpec

/// The code for one parameter of one owner (a command, URC or final result).
struct ParameterCode {
    let parameter: Parameter
    let plan: NamePlan
    /// `c:<command id>` or `u:<urc id>` or `f:<final>`, for enum type lookup.
    let owner: String

    var property: String { NamePlan.property(parameter) }
    var swiftType: String { plan.swiftType(parameter, owner: owner) }

    static func ranges(_ set: RangeSet) -> String {
        "[" + set.ranges.map { "\($0.lowerBound)...\($0.upperBound)" }.joined(separator: ", ") + "]"
    }

    /// The codes of a repeated parameter's items.
    var itemCodes: [ParameterCode] {
        plan.items(of: parameter, owner: owner).map { ParameterCode(parameter: $0, plan: plan, owner: owner) }
    }

    /// How one group's item is reached from the group `element`.
    func itemValue(_ item: ParameterCode, _ element: String) -> String {
        itemCodes.count == 1 ? element : element + "." + item.property
    }

    /// Statements that check `value` (a non-optional expression) before it is sent.
    func checks(_ value: String, lengthRange: RangeSet? = nil) -> [String] {
        let name = Slots.literal(parameter.name)
        switch parameter.type {
        case .repeated:
            let bounds = RepeatedExpansion.bounds(parameter)
            var lines = ["try validator.count(\(value).count, \(name), in: [\(bounds.lowerBound)...\(bounds.upperBound)], \(Slots.literal(parameter.count?.value.text ?? "\(bounds.lowerBound)-\(bounds.upperBound)")))"]
            let inner = itemCodes.flatMap { item in item.checks(itemValue(item, "element")) }
            if !inner.isEmpty {
                lines.append("for element in \(value) {")
                lines += inner.map { "    " + $0 }
                lines.append("}")
            }
            return lines
        case .integer:
            guard let range = parameter.range?.value else { return [] }
            return ["try validator.integer(\(value), \(name), in: \(Self.ranges(range)), \(Slots.literal(range.text)))"]
        case .enum:
            if let range = parameter.range?.value {
                return ["try validator.integer(\(value).rawValue, \(name), in: \(Self.ranges(range)), \(Slots.literal(range.text)))"]
            }
            let values = parameter.values.map(\.value)
            let text = values.map(String.init).joined(separator: ", ")
            return ["try validator.integer(\(value).rawValue, \(name), in: [\(values.map { "\($0)...\($0)" }.joined(separator: ", "))], \(Slots.literal(text)))"]
        case .error:
            return []
        case .flag:
            return []
        case .string where parameter.lengthFrom != nil:
            let range = parameter.length?.value
            return ["try validator.data(\(value), \(name), length: \(range.map(Self.ranges) ?? "nil"), \(Slots.literal(range?.text ?? "any")))"]
        case .string, .list:
            var lines = [lengthCheck("string", value, extra: "quoted: \(parameter.quoted), ", charset: true)]
            if let format = parameter.format, format.kind == "url", let scheme = format.scheme {
                lines.append("try validator.scheme(\(value), \(name), \(Slots.literal(scheme)))")
            }
            return lines
        case .hex:
            return [lengthCheck("hex", value, extra: "quoted: \(parameter.quoted), ", charset: false)]
        case .data:
            let range = parameter.length?.value ?? lengthRange
            return ["try validator.data(\(value), \(name), length: \(range.map(Self.ranges) ?? "nil"), \(Slots.literal(range?.text ?? "any")))"]
        }
    }

    private func lengthCheck(_ function: String, _ value: String, extra: String, charset: Bool) -> String {
        let name = Slots.literal(parameter.name)
        let length = parameter.length?.value
        var text = "try validator.\(function)(\(value), \(name), \(extra)length: \(length.map(Self.ranges) ?? "nil"), \(Slots.literal(length?.text ?? "any"))"
        if charset { text += ", charset: \(parameter.charset.map(Slots.literal) ?? "nil")" }
        if charset, parameter.lengthUnit == "characters" { text += ", countsCharacters: true" }
        return text + ")"
    }

    /// The statement that writes `value` into the command writer `w`.
    func write(_ value: String) -> String {
        let plain: String
        switch parameter.type {
        case .integer: plain = "w.integer(\(value))"
        case .enum, .error: plain = swiftType == "Int" ? "w.integer(\(value))" : "w.integer(\(value).rawValue)"
        case .flag: plain = "w.flag(\(value))"
        case .string where parameter.lengthFrom != nil: plain = "w.quoted(String(decoding: \(value), as: UTF8.self))"
        case .string, .hex, .list: plain = parameter.quoted && parameter.type != .list ? "w.quoted(\(value))" : "w.bare(\(value))"
        case .data: plain = "w.bare(String(decoding: \(value), as: UTF8.self))"
        case .repeated:
            let items = itemCodes.map { $0.write(itemValue($0, "element")) }.joined(separator: "; w.comma(); ")
            return "for (index, element) in \(value).enumerated() { if index > 0 { w.comma() }; \(items) }"
        }
        if parameter.secret {
            return "if redacting { w.literal(\"<redacted>\") } else { \(plain) }"
        }
        return plain
    }

    /// The expression that reads this parameter from an `ATFieldReader` named `r`.
    func read(optional: Bool) -> String {
        let name = Slots.literal(parameter.name)
        switch parameter.type {
        case .integer:
            return optional ? "try r.optionalInteger(\(name))" : "try r.integer(\(name))"
        case .error where parameter.acceptsText && swiftType != "Int":
            // A verbose table's field: the code, or its text (`+CME ERROR: SIM not inserted`).
            return optional ? "r.optionalString(\(name)).map(\(swiftType).init(field:))" : "\(swiftType)(field: try r.string(\(name)))"
        case .enum, .error:
            if swiftType == "Int" { return optional ? "try r.optionalInteger(\(name))" : "try r.integer(\(name))" }
            return optional ? "try r.optionalInteger(\(name)).map(\(swiftType).init(rawValue:))" : "\(swiftType)(rawValue: try r.integer(\(name)))"
        case .flag:
            return optional ? "try r.optionalFlag(\(name))" : "try r.flag(\(name))"
        case .string where parameter.lengthFrom != nil, .data:
            return optional ? "r.optionalBytes(\(name))" : "try r.bytes(\(name))"
        case .string, .hex, .list:
            return optional ? "r.optionalString(\(name))" : "try r.string(\(name))"
        case .repeated:
            let items = itemCodes
            let names = "[" + items.map { Slots.literal($0.parameter.name) }.joined(separator: ", ") + "]"
            let element = items.count == 1
                ? items[0].read(optional: false)
                : plan.elementScope(owner) + "." + NamePlan.elementType(parameter) + "(" + items.map { "\($0.property): \($0.read(optional: false))" }.joined(separator: ", ") + ")"
            let itemType = items.count == 1 ? items[0].swiftType : plan.elementScope(owner) + "." + NamePlan.elementType(parameter)
            return "try r.\(optional ? "optionalGroups" : "groups")(\(names)) { (r: ATFieldReader) throws(ATDecodingError) -> \(itemType) in \(element) }"
        }
    }
}
