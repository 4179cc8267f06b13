// YAMLNode.swift: the small YAML tree the loader builds, with the position of every node.

/// How a scalar was written, which decides how it is typed (`0` is a number, `"0"` a string).
public enum ScalarStyle: Sendable, Hashable {
    /// Unquoted.
    case plain
    /// In `'...'` or `"..."`.
    case quoted
    /// A `|` or `>` block.
    case block
}

/// A node of a YAML document: a scalar, a mapping or a sequence, and where it starts.
public struct YAMLNode: Sendable, Hashable {
    /// What the node holds.
    public enum Kind: Sendable, Hashable {
        /// A scalar's text and how it was written.
        case scalar(String, ScalarStyle)
        /// Key/value pairs in document order (merge keys already applied).
        case mapping([Pair])
        /// Items in document order.
        case sequence([YAMLNode])
    }

    /// One key/value pair of a mapping.
    public struct Pair: Sendable, Hashable {
        /// The key node (a scalar for every key the spec language knows).
        public var key: YAMLNode
        /// The value node.
        public var value: YAMLNode
    }

    /// What the node holds.
    public var kind: Kind
    /// Where the node starts in the file.
    public var location: SourceLocation
    /// The explicit tag, if any (`!!str`).
    public var tag: String?

    /// The text of a scalar, or nil.
    public var scalar: String? {
        if case .scalar(let text, _) = kind { return text }
        return nil
    }

    /// The pairs of a mapping, or nil.
    public var pairs: [Pair]? {
        if case .mapping(let pairs) = kind { return pairs }
        return nil
    }

    /// The items of a sequence, or nil.
    public var items: [YAMLNode]? {
        if case .sequence(let items) = kind { return items }
        return nil
    }

    /// The value for a scalar key in a mapping, or nil.
    public subscript(key: String) -> YAMLNode? {
        pairs?.first { $0.key.scalar == key }?.value
    }

    /// A short name of what the node is, for messages (`a mapping`, `a sequence`, `a string`).
    public var kindDescription: String {
        switch kind {
        case .mapping: return "a mapping"
        case .sequence: return "a sequence"
        case .scalar(let text, let style):
            if style == .plain, Int(text) != nil { return "a number" }
            if style == .plain, ["true", "false"].contains(text) { return "a boolean" }
            return "a string"
        }
    }
}
