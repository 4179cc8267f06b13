// RuleTable.swift: data rules grouped by prefix length, so a line is checked once per prefix length it reaches.

/// The configured data rules, indexed for matching while a line grows.
struct RuleTable: Sendable {
    /// The rules, in configuration order.
    let rules: [DataRule]
    /// The distinct prefix lengths, ascending: the line lengths at which a line is checked.
    let lengths: [Int]
    /// For each entry of `lengths`, the indices of the rules with that prefix length, in order.
    let groups: [[Int]]
    /// Every rule's prefix, back to back; rule `r`'s starts at `prefixStarts[r]`.
    let prefixBytes: [UInt8]
    let prefixStarts: [Int]
    /// Per rule: true for a `followingLine` rule, false for an `inlineQuoted` one.
    let follows: [Bool]
    /// Per rule: its prefix's length and the index of its length field.
    let prefixLengths: [Int]
    let lengthFields: [Int]
    /// Per rule: true when its length field may be absent.
    let optionalLengths: [Bool]

    init(_ rules: [DataRule]) {
        self.rules = rules
        var bytes: [UInt8] = []
        var starts: [Int] = []
        for rule in rules {
            starts.append(bytes.count)
            bytes += rule.prefix
        }
        prefixBytes = bytes
        prefixStarts = starts
        follows = rules.map { $0.kind == .followingLine }
        optionalLengths = rules.map(\.lengthIsOptional)
        prefixLengths = rules.map(\.prefix.count)
        lengthFields = rules.map(\.lengthField)
        let lengths = Array(Set(rules.map(\.prefix.count))).sorted()
        self.lengths = lengths
        self.groups = lengths.map { length in rules.indices.filter { rules[$0].prefix.count == length } }
    }

    /// How a line starts out: unclassified if there are rules, plain otherwise.
    var initial: LineClass { lengths.isEmpty ? .plain : .unclassified(boundary: 0) }

    /// Classifies `line`, which is exactly `lengths[boundary]` bytes long: the first rule
    /// of that length whose prefix it equals, else the next boundary a longer prefix could
    /// still match at, else plain.
    func classify(_ line: UnsafeBufferPointer<UInt8>, boundary: Int) -> LineClass {
        let found: (rule: Int, boundary: Int)? = prefixBytes.withUnsafeBufferPointer { prefixes in
            for group in boundary..<lengths.count {
                for rule in groups[group] {
                    guard let base = prefixes.baseAddress, let start = line.baseAddress else { return (rule, group) }  // an empty line: any prefix starts with it
                    if Bytes.equal(base + prefixStarts[rule], start, count: line.count) { return (rule, group) }
                }
            }
            return nil
        }
        guard let found else { return .plain }
        if found.boundary > boundary { return .unclassified(boundary: found.boundary) }
        return follows[found.rule]
            ? .following(rule: found.rule) : .inline(rule: found.rule, phase: .fields(index: 0, inQuotes: false, fieldStart: line.count))
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
