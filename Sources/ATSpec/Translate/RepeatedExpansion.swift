// RepeatedExpansion.swift: a `repeated` parameter of a syntax written out as the groups the runtime matches.

import ATRuntime

/// Writes a `repeated` parameter (`<subscriptions>`, items `topic`, `qos`, count `1-5`) out as
/// the tokens a line holds: the required groups, then nested optional ones up to the most
/// allowed (`<topic>,<qos>[,<topic>,<qos>[,...]]`). The runtime then matches and captures
/// the groups as any other fields, each item once per group, in order.
public enum RepeatedExpansion {
    /// The most groups a repeated parameter may declare (lint holds specs to it).
    public static let maximumCount = 64

    /// The groups allowed: the count's bounds, clamped to 1...``maximumCount``.
    public static func bounds(_ parameter: Parameter) -> ClosedRange<Int> {
        let lower = max(1, parameter.count?.value.lowerBound ?? 1)
        let upper = min(maximumCount, max(lower, parameter.count?.value.upperBound ?? maximumCount))
        return lower...upper
    }

    /// `syntax` with every repeated parameter written out; unchanged when it has none.
    public static func expand(_ syntax: Syntax, _ parameters: [Parameter]) -> Syntax {
        let repeated = Dictionary(parameters.filter { $0.type == .repeated }.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        guard !repeated.isEmpty, syntax.parameterNames.contains(where: { repeated[$0] != nil }) else { return syntax }
        func walk(_ tokens: [SyntaxToken]) -> [SyntaxToken] {
            tokens.flatMap { token -> [SyntaxToken] in
                switch token {
                case .parameter(let name):
                    guard let parameter = repeated[name] else { return [token] }
                    return groups(parameter)
                case .optional(let inner):
                    return [.optional(walk(inner))]
                default:
                    return [token]
                }
            }
        }
        var expanded = syntax
        expanded.tokens = walk(syntax.tokens)
        return expanded
    }

    static func groups(_ parameter: Parameter) -> [SyntaxToken] {
        let group: [SyntaxToken] = parameter.items.enumerated().flatMap { index, item in
            index == 0 ? [SyntaxToken.parameter(item.value)] : [.comma, .parameter(item.value)]
        }
        let bounds = bounds(parameter)
        var tokens: [SyntaxToken] = []
        for index in 0..<bounds.lowerBound {
            if index > 0 { tokens.append(.comma) }
            tokens += group
        }
        var optional: [SyntaxToken] = []
        for _ in bounds.lowerBound..<bounds.upperBound {
            optional = [.comma] + group + (optional.isEmpty ? [] : [.optional(optional)])
        }
        if !optional.isEmpty { tokens.append(.optional(optional)) }
        return tokens
    }
}
