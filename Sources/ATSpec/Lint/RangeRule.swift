// RangeRule.swift: defaults lie in their range, enum values lie in their type's range.

/// `default-out-of-range` and `value-out-of-range`.
struct RangeRule: LintRule {
    let id = "default-out-of-range"

    func check(_ spec: Spec, into sink: inout DiagnosticSink) {
        for owner in spec.parameterOwners {
            for parameter in owner.parameters {
                check(parameter, owner.what, &sink)
            }
        }
    }

    func check(_ parameter: Parameter, _ owner: String, _ sink: inout DiagnosticSink) {
        let range = parameter.range?.value
        if parameter.type == .flag {
            for value in parameter.values where value.value != 0 && value.value != 1 {
                sink.error("value-out-of-range", "flag '\(parameter.name)' of \(owner) has value \(value.value); a flag is 0 or 1", at: value.location)
            }
        }
        if let range {
            for value in parameter.values where !range.contains(value.value) {
                sink.error("value-out-of-range", "value \(value.value) of '\(parameter.name)' in \(owner) is outside its range \(range)", at: value.location)
            }
        }
        if parameter.type == .enum, parameter.values.isEmpty {
            sink.error("missing-key", "enum '\(parameter.name)' of \(owner) has no 'values'", at: parameter.location)
        }
        guard let defaultValue = parameter.defaultValue else { return }
        if parameter.isInteger {
            guard let number = Int(defaultValue.value) else {
                sink.error(id, "default '\(defaultValue.value)' of '\(parameter.name)' in \(owner) is not an integer", at: defaultValue.location)
                return
            }
            if let range, !range.contains(number) {
                sink.error(id, "default \(number) of '\(parameter.name)' in \(owner) is outside its range \(range)", at: defaultValue.location)
            } else if parameter.type == .flag, number != 0, number != 1 {
                sink.error(id, "default \(number) of flag '\(parameter.name)' in \(owner) is neither 0 nor 1", at: defaultValue.location)
            } else if !parameter.values.isEmpty, parameter.type != .integer, !parameter.values.contains(where: { $0.value == number }) {
                sink.error(id, "default \(number) of '\(parameter.name)' in \(owner) is not one of its values", at: defaultValue.location)
            }
        } else if let length = parameter.length?.value, !length.contains(defaultValue.value.utf8.count), !defaultValue.value.isEmpty {
            sink.error(id, "default '\(defaultValue.value)' of '\(parameter.name)' in \(owner) is \(defaultValue.value.utf8.count) bytes, outside its length \(length)", at: defaultValue.location)
        }
    }
}
