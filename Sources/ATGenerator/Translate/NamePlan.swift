// NamePlan.swift: the Swift names of a spec's items, decided once so every translator agrees.

import ATRuntime
import ATSpec

/// Swift names for the items of one spec.
struct NamePlan {
    let spec: Spec
    /// Enum type name for each (command id, parameter name) that has named values; module-level when shared.
    private(set) var enumTypes: [String: String] = [:]
    /// Enum types declared at module level: name → the parameter that defines it.
    private(set) var sharedEnums: [(name: String, parameter: Parameter)] = []
    /// Enum types declared inside a command: command id → (name, parameter).
    private(set) var commandEnums: [String: [(name: String, parameter: Parameter)]] = [:]
    /// Enum types declared inside URC payloads: URC id → (name, parameter).
    private(set) var urcEnums: [String: [(name: String, parameter: Parameter)]] = [:]

    init(_ spec: Spec) {
        self.spec = spec
        var candidates: [String: [(owner: String, parameter: Parameter)]] = [:]
        for command in spec.commands {
            for parameter in command.parameters where Self.hasEnumType(parameter) {
                candidates[Self.typeName(parameter), default: []].append(("c:" + command.id, parameter))
            }
        }
        for urc in spec.urcs {
            for parameter in urc.parameters where Self.hasEnumType(parameter) {
                candidates[Self.typeName(parameter), default: []].append(("u:" + urc.id, parameter))
            }
        }
        let reserved = Set(["URC", "FinalResult", "Descriptor"] + spec.commands.map(commandType) + spec.urcs.map(urcType) + spec.errorTables.map(errorType))
        for candidate in candidates.keys.sorted() {
            let uses = candidates[candidate] ?? []
            let first = uses[0].parameter
            let same = uses.allSatisfy { $0.parameter.values.map(\.value) == first.values.map(\.value) && $0.parameter.values.map(\.name) == first.values.map(\.name) }
            if same, uses.count > 1, !reserved.contains(candidate) {
                // Declared at module level and always named in full: no type of a command hides it.
                sharedEnums.append((candidate, first))
                for use in uses { enumTypes[use.owner + "/" + use.parameter.name] = spec.module.name.value + "." + candidate }
            } else {
                for use in uses {
                    let id = String(use.owner.dropFirst(2))
                    if use.owner.hasPrefix("c:") {
                        // An enum named as a type of a form of its command (`Configure.Version`) takes `Value` after it.
                        let clashes = spec.command(id)?.scopeTypeNames.contains(candidate) ?? false
                        let name = clashes ? candidate + "Value" : candidate
                        commandEnums[id, default: []].append((name, use.parameter))
                        enumTypes[use.owner + "/" + use.parameter.name] = spec.module.name.value + "." + commandType(spec.command(id)) + "." + name
                    } else {
                        // URC enums share the `URC` namespace: when several URCs define the name
                        // differently, each takes its URC's name in front (`SmsubStatus`).
                        let urcUses = uses.filter { $0.owner.hasPrefix("u:") }
                        let name = urcUses.count > 1 ? SwiftNaming.safeType(urcType(spec.urcs.first { $0.id == id }) + candidate) : candidate
                        urcEnums[id, default: []].append((name, use.parameter))
                        enumTypes[use.owner + "/" + use.parameter.name] = spec.module.name.value + ".URC." + name
                    }
                }
            }
        }
    }

    /// Enums and flags with named values get a type; flags stay `Bool`.
    static func hasEnumType(_ parameter: Parameter) -> Bool {
        parameter.type == .enum
    }

    static func typeName(_ parameter: Parameter) -> String {
        SwiftNaming.safeType(SwiftNaming.upperCamel(parameter.annotations.swiftName?.value ?? parameter.name))
    }

    var module: String { spec.module.name.value }

    func commandType(_ command: Command?) -> String {
        guard let command else { return "_" }
        return SwiftNaming.safeType(SwiftNaming.upperCamel(command.annotations.swiftName?.value ?? command.id))
    }

    func urcType(_ urc: URC?) -> String {
        guard let urc else { return "_" }
        return SwiftNaming.safeType(SwiftNaming.upperCamel(urc.annotations.swiftName?.value ?? urc.id))
    }

    func urcCase(_ urc: URC) -> String {
        Self.identifier(SwiftNaming.lowerCamel(urc.annotations.swiftName?.value ?? urc.id))
    }

    /// An error table's type: its `swift_name` as written (a table of results that include
    /// successes need not be called an error), else its id with `Error` after it.
    /// The member of every request type that names its module (``ATRequest/Module``).
    var moduleAlias: SwiftMember {
        .decl(SwiftDecl(doc: ["The module whose command this is: its engine, or that of a module building on it, sends it."], "public typealias Module = \(module)"))
    }

    func errorType(_ table: ErrorTable) -> String {
        if let chosen = table.annotations.swiftName?.value { return SwiftNaming.safeType(SwiftNaming.upperCamel(chosen)) }
        let base = SwiftNaming.upperCamel(table.id)
        return SwiftNaming.safeType(base.hasSuffix("Error") ? base : base + "Error")
    }

    /// The Swift type of a parameter's value.
    func swiftType(_ parameter: Parameter, owner: String) -> String {
        switch parameter.type {
        case .integer: return "Int"
        case .flag: return "Bool"
        case .string where parameter.lengthFrom != nil:
            // Framed by a declared byte length (a received message inside quotes): any bytes.
            return "[UInt8]"
        case .string, .hex, .list: return "String"
        case .data: return "[UInt8]"
        case .enum: return enumTypes[owner + "/" + parameter.name] ?? "Int"
        case .repeated:
            let items = items(of: parameter, owner: owner)
            if items.count == 1 { return "[" + swiftType(items[0], owner: owner) + "]" }
            return "[" + elementScope(owner) + "." + Self.elementType(parameter) + "]"
        case .error:
            if let table = parameter.table?.value, let found = spec.errorTables.first(where: { $0.id == table }) {
                // A table of the spec this one builds on is that module's type.
                return (found.origin ?? module) + "." + errorType(found)
            }
            return "Int"
        }
    }

    /// The parameters of the owner (`c:<command>`, `u:<urc>`, `f:<final>`).
    func parameters(of owner: String) -> [Parameter] {
        let id = String(owner.dropFirst(2))
        if owner.hasPrefix("c:") { return spec.command(id)?.parameters ?? [] }
        if owner.hasPrefix("u:") { return spec.urcs.first { $0.id == id }?.parameters ?? [] }
        return spec.finalResults.first { $0.name.value == id }?.parameters ?? []
    }

    /// The item parameters of a repeated parameter, in order.
    func items(of parameter: Parameter, owner: String) -> [Parameter] {
        let all = parameters(of: owner)
        return parameter.items.compactMap { item in all.first { $0.name == item.value } }
    }

    /// The type a repeated parameter's groups are declared in: its command's namespace, or `URC`.
    func elementScope(_ owner: String) -> String {
        let id = String(owner.dropFirst(2))
        if owner.hasPrefix("c:") { return module + "." + commandType(spec.command(id)) }
        return module + ".URC"
    }

    /// The struct name of one group of a repeated parameter with several items.
    static func elementType(_ parameter: Parameter) -> String {
        SwiftNaming.safeType(SwiftNaming.upperCamel(parameter.element?.value ?? parameter.name + "_item"))
    }

    /// The property name of a parameter.
    static func property(_ parameter: Parameter) -> String {
        identifier(SwiftNaming.lowerCamel(parameter.annotations.swiftName?.value ?? parameter.name))
    }

    /// The case name of an enum value.
    static func valueCase(_ value: EnumValue) -> String {
        if let swiftName = value.swiftName?.value { return identifier(swiftName) }
        if let name = value.name { return identifier(SwiftNaming.lowerCamel(name)) }
        if let description = value.description, description.split(separator: " ").count <= 4, let first = description.first, first.isLetter {
            return identifier(SwiftNaming.lowerCamel(description))
        }
        return "value\(value.value < 0 ? "Minus\(-value.value)" : String(value.value))"
    }

    /// The case name of an error code.
    static func errorCase(_ code: ErrorCode) -> String {
        if let swiftName = code.swiftName?.value { return identifier(swiftName) }
        return identifier(SwiftNaming.lowerCamel(code.name ?? "code\(code.code)"))
    }

    /// A member identifier: a keyword or a name the generated code uses itself gets `_` after it.
    static func identifier(_ name: String) -> String {
        SwiftNaming.safeMember(name)
    }

    /// A form's type name (see ``Command/formType(_:)``).
    static func formType(_ form: Form, in command: Command) -> String {
        command.formType(form)
    }

    static func commandScopeTypes(_ command: Command) -> Set<String> {
        command.scopeTypeNames
    }

    static func tagForms(_ command: Command) -> [Form] {
        command.tagForms
    }
}
