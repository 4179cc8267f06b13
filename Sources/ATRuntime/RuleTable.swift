// RuleTable.swift: data rules grouped by prefix length, so a line is checked once per prefix length it reaches.

/// The configured data rules, indexed for matching while a line grows.
struct RuleTable: Sendable {
    /// The rules, in configuration order.
    let rules: [DataRule]
    /// The distinct prefix lengths, ascending: the line lengths at which a line is checked.
    let lengths: [Int]
    /// For each entry of `lengths`, the indices of the rules with that prefix length, in order.
    let groups: [[Int]]

    init(_ rules: [DataRule]) {
        self.rules = rules
        let lengths = Array(Set(rules.map(\.prefix.count))).sorted()
        self.lengths = lengths
        self.groups = lengths.map { length in rules.indices.filter { rules[$0].prefix.count == length } }
    }

    /// How a line starts out: unclassified if there are rules, plain otherwise.
    var initial: LineClass { lengths.isEmpty ? .plain : .unclassified(boundary: 0) }

    /// Classifies `line`, which is exactly `lengths[boundary]` bytes long: the first rule
    /// of that length whose prefix it equals, else the next boundary a longer prefix could
    /// still match at, else plain.
    func classify(_ line: [UInt8], boundary: Int) -> LineClass {
        for rule in groups[boundary] where rules[rule].prefix == line {
            switch rules[rule] {
            case .followingLine: return .following(rule: rule)
            case .inlineQuoted:
                return .inline(rule: rule, phase: .fields(index: 0, inQuotes: false, fieldStart: line.count))
            }
        }
        for next in (boundary + 1)..<lengths.count {
            for rule in groups[next] where rules[rule].prefix.starts(with: line) {
                return .unclassified(boundary: next)
            }
        }
        return .plain
    }
}

/// What the framer knows about the line it is collecting.
enum LineClass: Sendable {
    /// Too short yet to tell; checked again when it is `lengths[boundary]` bytes long.
    case unclassified(boundary: Int)
    /// No data rule applies.
    case plain
    /// A `followingLine` rule applies; its length is read when the line ends.
    case following(rule: Int)
    /// An `inlineQuoted` rule applies; fields are tracked as bytes arrive.
    case inline(rule: Int, phase: InlinePhase)
}

/// Progress through an inline-quoted line.
enum InlinePhase: Sendable {
    /// Counting fields; `fieldStart` is where field `index` begins in the line buffer.
    case fields(index: Int, inQuotes: Bool, fieldStart: Int)
    /// The length was accepted; waiting for the opening quote of the content.
    case awaitingQuote(count: Int)
    /// Inside the content: `remaining` raw bytes still belong to it.
    case raw(remaining: Int)
}
