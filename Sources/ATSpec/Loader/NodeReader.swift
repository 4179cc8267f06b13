// NodeReader.swift: typed reads from YAML nodes that report unknown keys, missing keys and wrong types.

/// Reads the keys of one mapping, reporting what is wrong with positions.
///
/// Every spec-language type reads itself through one of these: it names its valid
/// keys once, so an unknown key is reported with the nearest valid one suggested.
struct MappingReader {
    let node: YAMLNode
    let what: String
    let pairs: [YAMLNode.Pair]

    /// Starts reading `node` as `what` (e.g. "command 'CMQTTSTART'"); reports keys not in `keys`.
    /// Returns nil (with a diagnostic) when the node is not a mapping.
    init?(_ node: YAMLNode, _ what: String, keys: [String], sink: inout DiagnosticSink) {
        guard let pairs = node.pairs else {
            sink.error("type-mismatch", "\(what) must be a mapping, found \(node.kindDescription)", at: node.location)
            return nil
        }
        self.node = node
        self.what = what
        self.pairs = pairs
        for pair in pairs {
            guard let key = pair.key.scalar else {
                sink.error("type-mismatch", "keys of \(what) must be plain strings", at: pair.key.location)
                continue
            }
            if !keys.contains(key) {
                var message = "unknown key '\(key)' in \(what)"
                if let suggestion = Suggest.nearest(to: key, in: keys) {
                    message += "; did you mean '\(suggestion)'?"
                }
                sink.error("unknown-key", message, at: pair.key.location)
            }
        }
    }

    /// The value node for `key`, if present.
    subscript(key: String) -> YAMLNode? {
        pairs.first { $0.key.scalar == key }?.value
    }

    /// Where `key` is written, or the mapping's start.
    func keyLocation(_ key: String) -> SourceLocation {
        pairs.first { $0.key.scalar == key }?.key.location ?? node.location
    }

    /// Reports a missing required key.
    func require(_ key: String, sink: inout DiagnosticSink) -> YAMLNode? {
        if let value = self[key] { return value }
        sink.error("missing-key", "\(what) is missing required key '\(key)'", at: node.location)
        return nil
    }

    /// A string (any scalar is accepted: numbers and booleans as written).
    func string(_ key: String, required: Bool = false, sink: inout DiagnosticSink) -> String? {
        guard let value = required ? require(key, sink: &sink) : self[key] else { return nil }
        guard let text = value.scalar else {
            sink.error("type-mismatch", "'\(key)' of \(what) must be a string, found \(value.kindDescription)", at: value.location)
            return nil
        }
        return text
    }

    /// A string that must have been written as text (not a bare number or boolean is fine too).
    func located(_ key: String, required: Bool = false, sink: inout DiagnosticSink) -> Located<String>? {
        guard let value = required ? require(key, sink: &sink) : self[key] else { return nil }
        guard let text = value.scalar else {
            sink.error("type-mismatch", "'\(key)' of \(what) must be a string, found \(value.kindDescription)", at: value.location)
            return nil
        }
        return Located(text, at: value.location, style: Self.style(of: value))
    }

    /// An integer.
    func int(_ key: String, required: Bool = false, sink: inout DiagnosticSink) -> Int? {
        guard let value = required ? require(key, sink: &sink) : self[key] else { return nil }
        guard case .scalar(let text, let style) = value.kind, style == .plain, let number = Int(text) else {
            sink.error("type-mismatch", "'\(key)' of \(what) must be an integer, found \(value.kindDescription)", at: value.location)
            return nil
        }
        return number
    }

    /// A boolean (`true` or `false`).
    func bool(_ key: String, sink: inout DiagnosticSink) -> Bool? {
        guard let value = self[key] else { return nil }
        guard case .scalar(let text, .plain) = value.kind, text == "true" || text == "false" else {
            sink.error("type-mismatch", "'\(key)' of \(what) must be true or false, found \(value.kindDescription)", at: value.location)
            return nil
        }
        return text == "true"
    }

    /// One of a fixed set of words.
    func choice(_ key: String, _ choices: [String], required: Bool = false, sink: inout DiagnosticSink) -> Located<String>? {
        guard let value = located(key, required: required, sink: &sink) else { return nil }
        guard choices.contains(value.value) else {
            var message = "'\(key)' of \(what) must be one of \(choices.joined(separator: ", ")); found '\(value.value)'"
            if let suggestion = Suggest.nearest(to: value.value, in: choices) { message += "; did you mean '\(suggestion)'?" }
            sink.error("type-mismatch", message, at: value.location)
            return nil
        }
        return value
    }

    /// A sequence of nodes.
    func sequence(_ key: String, required: Bool = false, sink: inout DiagnosticSink) -> [YAMLNode]? {
        guard let value = required ? require(key, sink: &sink) : self[key] else { return nil }
        guard let items = value.items else {
            sink.error("type-mismatch", "'\(key)' of \(what) must be a sequence, found \(value.kindDescription)", at: value.location)
            return nil
        }
        return items
    }

    /// A sequence of strings.
    func strings(_ key: String, sink: inout DiagnosticSink) -> [Located<String>] {
        guard let items = sequence(key, sink: &sink) else { return [] }
        return items.compactMap { item in
            guard let text = item.scalar else {
                sink.error("type-mismatch", "items of '\(key)' in \(what) must be strings, found \(item.kindDescription)", at: item.location)
                return nil
            }
            return Located(text, at: item.location, style: Self.style(of: item))
        }
    }

    /// A mapping's pairs.
    func mapping(_ key: String, required: Bool = false, sink: inout DiagnosticSink) -> [YAMLNode.Pair]? {
        guard let value = required ? require(key, sink: &sink) : self[key] else { return nil }
        guard let pairs = value.pairs else {
            sink.error("type-mismatch", "'\(key)' of \(what) must be a mapping, found \(value.kindDescription)", at: value.location)
            return nil
        }
        return pairs
    }

    static func style(of node: YAMLNode) -> ScalarStyle {
        if case .scalar(_, let style) = node.kind { return style }
        return .plain
    }
}

/// Finds the nearest valid word to a misspelt one.
enum Suggest {
    /// The candidate closest to `word` by edit distance, if it is close enough to be a likely typo.
    static func nearest(to word: String, in candidates: [String]) -> String? {
        let lowered = Array(word.lowercased().utf8)
        var best: (String, Int)?
        for candidate in candidates {
            let other = Array(candidate.lowercased().utf8)
            // The distance is at least the length difference: a candidate that cannot be close
            // enough is skipped without the table, so a megabyte-long key costs nothing here.
            guard abs(lowered.count - other.count) <= max(1, min(lowered.count, other.count) / 3) else { continue }
            let distance = editDistance(lowered, other)
            if let current = best, current.1 <= distance { continue }
            best = (candidate, distance)
        }
        guard let (candidate, distance) = best else { return nil }
        let allowed = max(1, min(word.utf8.count, candidate.utf8.count) / 3)
        return distance <= allowed ? candidate : nil
    }

    /// Edit distance counting a swap of two neighbours as one edit (optimal string alignment),
    /// keeping three rows of the table.
    static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var twoBack = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], twoBack[j - 2] + 1)
                }
            }
            (twoBack, previous, current) = (previous, current, twoBack)
        }
        return previous[b.count]
    }
}
