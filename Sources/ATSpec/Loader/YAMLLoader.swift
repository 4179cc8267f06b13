// YAMLLoader.swift: turns libyaml's parse events into a YAMLNode tree with positions.

import CYAML

/// Reads YAML text through libyaml into a ``YAMLNode`` tree.
///
/// Anchors, aliases and merge keys (`<<:`) are resolved while loading. The loader
/// never crashes on bad input: malformed YAML, duplicate keys, too deep nesting,
/// alias bombs and oversized input become positioned diagnostics instead.
public struct YAMLLoader: Sendable {
    /// Limits that keep time and memory bounded on hostile input.
    public struct Limits: Sendable {
        /// Largest input accepted, in bytes.
        public var maxBytes: Int = 16 << 20
        /// Deepest nesting of mappings and sequences.
        public var maxDepth: Int = 128
        /// Most nodes the document may expand to once aliases are resolved.
        public var maxNodes: Int = 1_000_000

        /// The default limits.
        public init() {}
    }

    /// The limits in force.
    public var limits: Limits

    /// Creates a loader.
    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// The result of loading: the first document's root (nil when the input is
    /// empty or could not be read) and what went wrong.
    public struct Result: Sendable {
        /// The root node of the first document.
        public var root: YAMLNode?
        /// Diagnostics (rule ids `yaml-syntax`, `duplicate-key`, `yaml-limit`).
        public var diagnostics: [Diagnostic]
    }

    /// Loads `bytes` (the contents of `file`, which names it in diagnostics).
    public func load(_ bytes: [UInt8], file: String) -> Result {
        var sink = DiagnosticSink(file: file)
        if bytes.count > limits.maxBytes {
            sink.error(
                "yaml-limit", "file is \(bytes.count) bytes; the loader reads at most \(limits.maxBytes)",
                at: SourceLocation(line: 1, column: 1))
            return Result(root: nil, diagnostics: sink.diagnostics)
        }
        if bytes.contains(0) {
            let offset = bytes.firstIndex(of: 0) ?? 0
            sink.error("yaml-syntax", "file holds a NUL byte; a spec is UTF-8 text", at: Self.location(ofOffset: offset, in: bytes))
            return Result(root: nil, diagnostics: sink.diagnostics)
        }
        var builder = TreeBuilder(limits: limits, sink: sink)
        let root = builder.run(bytes)
        return Result(root: root, diagnostics: builder.sink.diagnostics)
    }

    /// Loads a UTF-8 string.
    public func load(_ text: String, file: String) -> Result {
        load(Array(text.utf8), file: file)
    }

    static func location(ofOffset offset: Int, in bytes: [UInt8]) -> SourceLocation {
        var line = 1
        var column = 1
        for byte in bytes[..<min(offset, bytes.count)] {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return SourceLocation(line: line, column: column)
    }
}

/// Builds the tree from events. A stack, not recursion, so depth costs no native stack.
private struct TreeBuilder {
    let limits: YAMLLoader.Limits
    var sink: DiagnosticSink
    var anchors: [String: YAMLNode] = [:]
    var anchorSizes: [String: Int] = [:]
    var nodeCount = 0

    private enum Frame {
        case mapping(location: SourceLocation, tag: String?, anchor: String?, pairs: [YAMLNode.Pair], pendingKey: YAMLNode?, merges: [YAMLNode], size: Int)
        case sequence(location: SourceLocation, tag: String?, anchor: String?, items: [YAMLNode], size: Int)
    }

    private var stack: [Frame] = []

    init(limits: YAMLLoader.Limits, sink: DiagnosticSink) {
        self.limits = limits
        self.sink = sink
    }

    mutating func run(_ bytes: [UInt8]) -> YAMLNode? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            sink.error("yaml-syntax", "libyaml could not start a parser", at: SourceLocation(line: 1, column: 1))
            return nil
        }
        defer { yaml_parser_delete(&parser) }
        return bytes.withUnsafeBufferPointer { buffer -> YAMLNode? in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            var root: YAMLNode?
            var documents = 0
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    reportParserError(parser)
                    return nil
                }
                defer { yaml_event_delete(&event) }
                let location = SourceLocation(line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return root
                case YAML_DOCUMENT_START_EVENT:
                    documents += 1
                    if documents > 1 {
                        sink.error("yaml-syntax", "a spec file holds one YAML document; found a second", at: location)
                        return root
                    }
                case YAML_SCALAR_EVENT:
                    let text = Self.string(event.data.scalar.value, length: event.data.scalar.length)
                    let style: ScalarStyle
                    switch event.data.scalar.style {
                    case YAML_SINGLE_QUOTED_SCALAR_STYLE, YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = .quoted
                    case YAML_LITERAL_SCALAR_STYLE, YAML_FOLDED_SCALAR_STYLE: style = .block
                    default: style = .plain
                    }
                    let node = YAMLNode(kind: .scalar(text, style), location: location, tag: Self.optionalString(event.data.scalar.tag))
                    guard count(1, at: location) else { return nil }
                    if let anchor = Self.optionalString(event.data.scalar.anchor) {
                        anchors[anchor] = node
                        anchorSizes[anchor] = 1
                    }
                    if let done = add(node, size: 1) { root = done }
                case YAML_ALIAS_EVENT:
                    let name = Self.optionalString(event.data.alias.anchor) ?? ""
                    guard var node = anchors[name] else {
                        sink.error("yaml-syntax", "alias *\(name) names no anchor defined before it", at: location)
                        return nil
                    }
                    // The alias stands where it is used; what it holds keeps its own positions.
                    node.location = location
                    let size = anchorSizes[name] ?? 1
                    guard count(size, at: location) else { return nil }
                    if let done = add(node, size: size) { root = done }
                case YAML_MAPPING_START_EVENT:
                    guard stack.count < limits.maxDepth else {
                        sink.error("yaml-limit", "nesting deeper than \(limits.maxDepth) levels", at: location)
                        return nil
                    }
                    stack.append(.mapping(location: location, tag: Self.optionalString(event.data.mapping_start.tag),
                                          anchor: Self.optionalString(event.data.mapping_start.anchor), pairs: [], pendingKey: nil, merges: [], size: 1))
                case YAML_SEQUENCE_START_EVENT:
                    guard stack.count < limits.maxDepth else {
                        sink.error("yaml-limit", "nesting deeper than \(limits.maxDepth) levels", at: location)
                        return nil
                    }
                    stack.append(.sequence(location: location, tag: Self.optionalString(event.data.sequence_start.tag),
                                           anchor: Self.optionalString(event.data.sequence_start.anchor), items: [], size: 1))
                case YAML_MAPPING_END_EVENT, YAML_SEQUENCE_END_EVENT:
                    guard let frame = stack.popLast() else { return nil }
                    let node: YAMLNode
                    let anchor: String?
                    let size: Int
                    switch frame {
                    case .mapping(let location, let tag, let anchorName, let pairs, _, let merges, let total):
                        node = YAMLNode(kind: .mapping(Self.applyMerges(pairs, merges)), location: location, tag: tag)
                        anchor = anchorName
                        size = total
                    case .sequence(let location, let tag, let anchorName, let items, let total):
                        node = YAMLNode(kind: .sequence(items), location: location, tag: tag)
                        anchor = anchorName
                        size = total
                    }
                    guard count(1, at: location) else { return nil }
                    if let anchor {
                        anchors[anchor] = node
                        anchorSizes[anchor] = size
                    }
                    if let done = add(node, size: size) { root = done }
                default:
                    break
                }
            }
        }
    }

    /// Counts expanded nodes; false (with a diagnostic) once the limit is passed.
    private mutating func count(_ size: Int, at location: SourceLocation) -> Bool {
        nodeCount += size
        if nodeCount > limits.maxNodes {
            sink.error("yaml-limit", "document expands to more than \(limits.maxNodes) nodes (an alias bomb?)", at: location)
            return false
        }
        return true
    }

    /// Adds a finished node to the open collection; returns it when it is the document root.
    private mutating func add(_ node: YAMLNode, size: Int) -> YAMLNode? {
        guard let top = stack.popLast() else { return node }
        switch top {
        case .sequence(let location, let tag, let anchor, var items, let total):
            items.append(node)
            stack.append(.sequence(location: location, tag: tag, anchor: anchor, items: items, size: total + size))
        case .mapping(let location, let tag, let anchor, var pairs, let pendingKey, var merges, let total):
            if let key = pendingKey {
                if key.scalar == "<<", key.kind == .scalar("<<", .plain) {
                    if node.pairs != nil {
                        merges.append(node)
                    } else if let items = node.items, items.allSatisfy({ $0.pairs != nil }) {
                        merges.append(contentsOf: items)
                    } else {
                        sink.error("yaml-syntax", "a merge key (<<) takes a mapping or a sequence of mappings, not \(node.kindDescription)", at: node.location)
                    }
                } else {
                    if let text = key.scalar, pairs.contains(where: { $0.key.scalar == text }) {
                        let first = pairs.first { $0.key.scalar == text }?.key.location ?? key.location
                        sink.error("duplicate-key", "key '\(text)' appears twice in this mapping (first at line \(first.line))", at: key.location)
                    }
                    pairs.append(YAMLNode.Pair(key: key, value: node))
                }
                stack.append(.mapping(location: location, tag: tag, anchor: anchor, pairs: pairs, pendingKey: nil, merges: merges, size: total + size))
            } else {
                stack.append(.mapping(location: location, tag: tag, anchor: anchor, pairs: pairs, pendingKey: node, merges: merges, size: total + size))
            }
        }
        return nil
    }

    /// Explicit keys win over merged ones; earlier merges win over later ones.
    private static func applyMerges(_ pairs: [YAMLNode.Pair], _ merges: [YAMLNode]) -> [YAMLNode.Pair] {
        guard !merges.isEmpty else { return pairs }
        var result = pairs
        var seen = Set(pairs.compactMap { $0.key.scalar })
        for merge in merges {
            for pair in merge.pairs ?? [] {
                guard let key = pair.key.scalar, !seen.contains(key) else { continue }
                seen.insert(key)
                result.append(pair)
            }
        }
        return result
    }

    private mutating func reportParserError(_ parser: yaml_parser_t) {
        let problem = parser.problem.map { String(cString: $0) } ?? "malformed YAML"
        let mark = parser.problem_mark
        var message = problem
        if let context = parser.context.map({ String(cString: $0) }) {
            message = "\(problem) (\(context) at line \(parser.context_mark.line + 1), column \(parser.context_mark.column + 1))"
        }
        sink.error("yaml-syntax", message, at: SourceLocation(line: Int(mark.line) + 1, column: Int(mark.column) + 1))
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?, length: Int) -> String {
        guard let pointer else { return "" }
        let buffer = UnsafeBufferPointer(start: pointer, count: length)
        return String(decoding: buffer, as: UTF8.self)
    }

    private static func optionalString(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: pointer)
    }
}
