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
        if let offset = ByteScan.firstOffset(of: 0, in: bytes) {
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

    /// The line and column of byte `offset`, counted as libyaml counts them: lines end at LF,
    /// CR LF, a lone CR, NEL, LS or PS, and columns count characters, not bytes.
    static func location(ofOffset offset: Int, in bytes: [UInt8]) -> SourceLocation {
        let starts = ByteScan.lineStarts(bytes)
        let end = min(max(offset, 0), bytes.count)
        let line = (starts.lastIndex { $0 <= end } ?? 0)
        return SourceLocation(line: line + 1, column: ByteScan.characters(in: bytes[starts[line]..<end]) + 1)
    }
}

/// Builds the tree from events. A stack, not recursion, so depth costs no native stack.
private struct TreeBuilder {
    let limits: YAMLLoader.Limits
    var sink: DiagnosticSink
    var anchors: [String: YAMLNode] = [:]
    var anchorSizes: [String: Int] = [:]
    var nodeCount = 0

    /// An open mapping or sequence, mutated in place at the top of the stack.
    private struct Frame {
        var isMapping: Bool
        var location: SourceLocation
        var tag: String?
        var anchor: String?
        var pairs: [YAMLNode.Pair] = []
        var items: [YAMLNode] = []
        /// A mapping's key waiting for its value.
        var pendingKey: YAMLNode?
        var merges: [YAMLNode] = []
        /// Nodes in this collection once aliases are expanded (itself included).
        var size = 1
        /// Where each scalar key of a large mapping is first written, so that finding
        /// duplicates in a mapping with a million keys is not quadratic (see `firstLocation`).
        var keys: [String: SourceLocation] = [:]
        /// True once `keys` indexes every pair.
        var indexed = false
    }

    /// Mappings with fewer pairs are searched for a duplicate key by a scan.
    private static let indexThreshold = 16

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
                    stack.append(Frame(isMapping: true, location: location, tag: Self.optionalString(event.data.mapping_start.tag),
                                       anchor: Self.optionalString(event.data.mapping_start.anchor)))
                case YAML_SEQUENCE_START_EVENT:
                    guard stack.count < limits.maxDepth else {
                        sink.error("yaml-limit", "nesting deeper than \(limits.maxDepth) levels", at: location)
                        return nil
                    }
                    stack.append(Frame(isMapping: false, location: location, tag: Self.optionalString(event.data.sequence_start.tag),
                                       anchor: Self.optionalString(event.data.sequence_start.anchor)))
                case YAML_MAPPING_END_EVENT, YAML_SEQUENCE_END_EVENT:
                    guard let frame = stack.popLast() else { return nil }
                    let kind: YAMLNode.Kind = frame.isMapping ? .mapping(Self.applyMerges(frame.pairs, frame.merges)) : .sequence(frame.items)
                    let node = YAMLNode(kind: kind, location: frame.location, tag: frame.tag)
                    let anchor = frame.anchor
                    let size = frame.size
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
        let top = stack.count - 1
        guard top >= 0 else { return node }
        stack[top].size += size
        guard stack[top].isMapping else {
            stack[top].items.append(node)
            return nil
        }
        guard let key = stack[top].pendingKey else {
            stack[top].pendingKey = node
            return nil
        }
        stack[top].pendingKey = nil
        if key.scalar == "<<", key.kind == .scalar("<<", .plain) {
            if node.pairs != nil {
                stack[top].merges.append(node)
            } else if let items = node.items, items.allSatisfy({ $0.pairs != nil }) {
                stack[top].merges.append(contentsOf: items)
            } else {
                sink.error("yaml-syntax", "a merge key (<<) takes a mapping or a sequence of mappings, not \(node.kindDescription)", at: node.location)
            }
            return nil
        }
        if let text = key.scalar {
            if let first = firstLocation(ofKey: text, at: top) {
                sink.error("duplicate-key", "key '\(text)' appears twice in this mapping (first at line \(first.line))", at: key.location)
            } else if stack[top].indexed {
                stack[top].keys[text] = key.location
            }
        }
        stack[top].pairs.append(YAMLNode.Pair(key: key, value: node))
        return nil
    }

    /// Where `key` was first written in the mapping at `top`: a scan while the mapping is
    /// small, an index once it is large.
    private mutating func firstLocation(ofKey key: String, at top: Int) -> SourceLocation? {
        if stack[top].pairs.count < Self.indexThreshold {
            return stack[top].pairs.first { $0.key.scalar == key }?.key.location
        }
        if !stack[top].indexed {
            stack[top].indexed = true
            for pair in stack[top].pairs {
                if let text = pair.key.scalar, stack[top].keys[text] == nil { stack[top].keys[text] = pair.key.location }
            }
        }
        return stack[top].keys[key]
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
