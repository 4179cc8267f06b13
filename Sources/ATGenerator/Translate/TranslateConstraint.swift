// TranslateConstraint.swift: the constraints between a form's parameters, checked when a request is built.

import ATSpec

extension CommandTranslator {
    /// The constraints that bind `arguments`: the form's own, and the command's whose parameters
    /// the form all has (a command-wide constraint on the will does not bind the form without it).
    func constraints(of form: Form, arguments: [(code: ParameterCode, optional: Bool)]) -> [Constraint] {
        let names = Set(arguments.map(\.code.parameter.name))
        return (command.constraints + form.constraints).filter { constraint in
            Self.referenced(constraint).allSatisfy(names.contains)
        }
    }

    static func referenced(_ constraint: Constraint) -> [String] {
        (constraint.when + constraint.unless + constraint.equals).map(\.name.value) + (constraint.require + constraint.forbid).map(\.value)
            + constraint.forbidValues.map(\.name.value)
    }

    /// Statements that throw ``ATParameterError/Reason/constraint(text:violation:)`` when a
    /// constraint does not hold.
    func constraintChecks(_ constraints: [Constraint], arguments: [(code: ParameterCode, optional: Bool)]) -> [String] {
        var lines: [String] = []
        func argument(_ name: String) -> (code: ParameterCode, optional: Bool)? { arguments.first { $0.code.parameter.name == name } }
        /// An expression that is true when parameter `name` is given and holds `value`.
        func holds(_ name: String, _ value: Int) -> String? {
            guard let (code, optional) = argument(name) else { return nil }
            let test: (String) -> String
            switch code.parameter.type {
            case .flag: test = { "\($0) == \(value != 0)" }
            case .enum: test = { "\($0).rawValue == \(value)" }
            case .integer, .error: test = { "\($0) == \(value)" }
            default: return nil
            }
            return optional ? "(\(code.property).map { \(test("$0")) } ?? false)" : test(code.property)
        }
        /// True when the parameter holds any of the values.
        func holdsAny(_ entry: ConstraintValue) -> String? {
            let tests = entry.values.compactMap { holds(entry.name.value, $0) }
            guard !tests.isEmpty else { return nil }
            return tests.count == 1 ? tests[0] : "(" + tests.joined(separator: " || ") + ")"
        }
        func describe(_ values: [ConstraintValue]) -> String {
            values.map { "<\($0.name.value)> is " + $0.values.map(String.init).joined(separator: " or ") }.joined(separator: " and ")
        }
        for constraint in constraints {
            let when = constraint.when.compactMap(holdsAny)
            let unless = constraint.unless.compactMap(holdsAny)
            var condition = when
            if !unless.isEmpty { condition.append("!(" + unless.joined(separator: " && ") + ")") }
            var suffix = constraint.when.isEmpty ? "" : " when " + describe(constraint.when)
            if !constraint.unless.isEmpty { suffix += (suffix.isEmpty ? " unless " : ", unless ") + describe(constraint.unless) }
            let text = Slots.literal(constraint.text)
            var body: [String] = []
            for name in constraint.require.map(\.value) {
                guard let (code, optional) = argument(name), optional else { continue }
                body.append("try validator.constraint(\(code.property) != nil, \(Slots.literal(name)), \(text), \(Slots.literal("<\(name)> is required" + suffix)))")
            }
            for name in constraint.forbid.map(\.value) {
                guard let (code, optional) = argument(name) else { continue }
                body.append("try validator.constraint(\(optional ? "\(code.property) == nil" : "false"), \(Slots.literal(name)), \(text), \(Slots.literal("<\(name)> must be left out" + suffix)))")
            }
            for value in constraint.equals {
                guard let test = holdsAny(value) else { continue }
                body.append("try validator.constraint(\(test), \(Slots.literal(value.name.value)), \(text), \(Slots.literal("<\(value.name.value)> must be \(value.values.map(String.init).joined(separator: " or "))" + suffix)))")
            }
            for (name, values) in constraint.forbidValues {
                let tests = values.compactMap { holds(name.value, $0) }
                guard !tests.isEmpty else { continue }
                let listed = values.map(String.init).joined(separator: ", ")
                body.append("try validator.constraint(!(\(tests.joined(separator: " || "))), \(Slots.literal(name.value)), \(text), \(Slots.literal("<\(name.value)> must not be \(listed)" + suffix)))")
            }
            guard !body.isEmpty else { continue }
            if condition.isEmpty {
                lines += body
            } else {
                lines.append("if " + condition.joined(separator: ", ") + " {")
                lines += body.map { "    " + $0 }
                lines.append("}")
            }
        }
        return lines
    }
}
