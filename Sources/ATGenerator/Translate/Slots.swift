// Slots.swift: the parameters of a syntax in order, with the optional groups that hold them.

import ATRuntime

/// A parameter's place in a syntax: its name and the optional groups around it, outermost first.
struct Slot: Hashable {
    var name: String
    var groups: [Int]

    var isOptional: Bool { !groups.isEmpty }
}

enum Slots {
    /// Every parameter of `tokens` once, in order, with its groups; and each group's direct parameters.
    static func of(_ tokens: [SyntaxToken]) -> (slots: [Slot], groups: [Int: [String]]) {
        var slots: [Slot] = []
        var groups: [Int: [String]] = [:]
        var next = 0
        func walk(_ tokens: [SyntaxToken], _ path: [Int]) {
            for token in tokens {
                switch token {
                case .parameter(let name), .parameterList(let name):
                    if !slots.contains(where: { $0.name == name }) { slots.append(Slot(name: name, groups: path)) }
                    if let group = path.last { groups[group, default: []].append(name) }
                case .optional(let inner):
                    next += 1
                    let id = next
                    walk(inner, path + [id])
                default:
                    break
                }
            }
        }
        walk(tokens, [])
        return (slots, groups)
    }

    /// Swift source for a string literal.
    static func literal(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
