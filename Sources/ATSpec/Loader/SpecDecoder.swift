// SpecDecoder.swift: builds the spec model from a YAML tree, reporting shape errors with positions.

import ATRuntime

/// Reads a ``Spec`` from a ``YAMLNode`` tree.
///
/// Shape problems (unknown or missing keys, wrong types, malformed ranges and
/// syntax strings) are reported as it reads; what can be read is kept, so one
/// run reports as much as it can.
struct SpecDecoder {
    var sink: DiagnosticSink
    /// The file's bytes, to place transcript lines of block scalars.
    let source: [UInt8]
    /// The byte offset where each line of the file starts (line 1 at index 0), lines counted as libyaml counts them.
    let lineStarts: [Int]
    /// The spec-language version the file declares.
    var version = 1

    /// The newest spec-language version this generator reads.
    static let newestVersion = 2

    init(file: String, bytes: [UInt8]) {
        sink = DiagnosticSink(file: file)
        source = bytes
        lineStarts = ByteScan.lineStarts(bytes)
    }

    static let urcKeys = ["title", "syntax", "parts", "parameters", "shares_prefix_with", "overrides"] + Annotations.keys
    static let errorTableKeys = ["title", "codes", "reserved", "verbose", "overrides", "extends"] + Annotations.keys
    static let ruleKeys = ["kind", "command", "others", "text", "source", "note", "strength", "scope", "inferred", "conflicts"]
    static let exampleKeys = ["id", "title", "transcript", "byte_escapes", "from_start"] + Annotations.keys
    static let responseTimeKeys = ["ms", "from", "formula", "parameter", "unit"] + Annotations.keys
    static let topKeys = ["spec", "module", "documents", "conventions", "shared", "final_results", "errors", "commands", "urcs", "rules", "examples", "builds_on", "mqtt"]

    mutating func decode(_ root: YAMLNode) -> Spec? {
        guard let top = MappingReader(root, "the spec", keys: Self.topKeys, sink: &sink) else { return nil }
        let version = top.int("spec", required: true, sink: &sink) ?? 1
        if let node = top["spec"], !(1...Self.newestVersion).contains(version) {
            sink.error("unsupported-version", "spec-language version \(version) is not supported; this generator reads versions 1 to \(Self.newestVersion)", at: node.location)
        }
        self.version = min(max(version, 1), Self.newestVersion)
        let module = top.require("module", sink: &sink).flatMap { decodeModule($0) }
        requireVersion2(top, ["builds_on"])
        let buildsOn = top.located("builds_on", sink: &sink)
        if let buildsOn, !SyntaxParser.isIdentifier(buildsOn.value.utf8[...]) {
            sink.error("type-mismatch", "builds_on names the module of another spec ('ThreeGPP'); '\(buildsOn.value)' is not a module name", at: buildsOn.location)
        }
        var documents: [Document] = []
        for pair in top.mapping("documents", required: true, sink: &sink) ?? [] {
            if let document = decodeDocument(pair) { documents.append(document) }
        }
        var stringEscape = "none"
        var lineEnding = "\r\n"
        if let node = top["conventions"], let conventions = MappingReader(node, "conventions", keys: ["string_escape", "line_ending", "note"], sink: &sink) {
            stringEscape = conventions.choice("string_escape", ["none"], sink: &sink)?.value ?? "none"
            lineEnding = conventions.string("line_ending", sink: &sink) ?? "\r\n"
        }
        var finals: [FinalResult] = []
        // A spec that builds on another takes that one's final results and may have none of its own.
        for item in top.sequence("final_results", required: buildsOn == nil, sink: &sink) ?? [] {
            if let final = decodeFinal(item) { finals.append(final) }
        }
        var tables: [ErrorTable] = []
        for pair in top.mapping("errors", sink: &sink) ?? [] {
            if let table = decodeErrorTable(pair) { tables.append(table) }
        }
        var commands: [Command] = []
        for pair in top.mapping("commands", required: true, sink: &sink) ?? [] {
            if let command = decodeCommand(pair) { commands.append(command) }
        }
        var urcs: [URC] = []
        for pair in top.mapping("urcs", sink: &sink) ?? [] {
            if let urc = decodeURC(pair) { urcs.append(urc) }
        }
        var rules: [Rule] = []
        for item in top.sequence("rules", sink: &sink) ?? [] {
            if let rule = decodeRule(item) { rules.append(rule) }
        }
        var examples: [Example] = []
        for item in top.sequence("examples", sink: &sink) ?? [] {
            if let example = decodeExample(item) { examples.append(example) }
        }
        requireVersion2(top, ["mqtt"])
        let mqtt = top["mqtt"].flatMap { decodeMQTT($0) }
        guard let module else { return nil }
        var spec = Spec(
            file: sink.file, version: version, module: module, documents: documents, stringEscape: stringEscape,
            lineEnding: lineEnding, finalResults: finals, errorTables: tables, commands: commands, urcs: urcs,
            rules: rules, examples: examples)
        spec.buildsOn = buildsOn
        spec.mqtt = mqtt
        spec.markVerboseErrorFields()
        return spec
    }

    // MARK: - Module and documents

    mutating func decodeModule(_ node: YAMLNode) -> Module? {
        guard let reader = MappingReader(node, "module", keys: ["name", "vendor", "family", "models", "description", "note"], sink: &sink) else { return nil }
        let name = reader.located("name", required: true, sink: &sink)
        let vendor = reader.string("vendor", required: true, sink: &sink)
        if reader["models"] == nil { _ = reader.require("models", sink: &sink) }
        let models = reader.strings("models", sink: &sink).map(\.value)
        guard let name else { return nil }
        return Module(name: name, vendor: vendor ?? "", family: reader.string("family", sink: &sink), models: models,
                      description: reader.string("description", sink: &sink), note: reader.string("note", sink: &sink))
    }

    mutating func decodeDocument(_ pair: YAMLNode.Pair) -> Document? {
        guard let id = identifierKey(pair, "document") else { return nil }
        guard
            let reader = MappingReader(
                pair.value, "document '\(id)'", keys: ["title", "version", "date", "file", "language", "note", "url", "repository", "path"], sink: &sink)
        else { return nil }
        return Document(
            id: id, location: pair.key.location, title: reader.string("title", required: true, sink: &sink) ?? "",
            version: reader.string("version", sink: &sink), date: reader.string("date", sink: &sink),
            file: reader.string("file", sink: &sink), language: reader.string("language", sink: &sink),
            note: reader.string("note", sink: &sink), url: reader.string("url", sink: &sink),
            repository: reader.string("repository", sink: &sink), path: reader.string("path", sink: &sink))
    }

    // MARK: - Shared pieces

    mutating func identifierKey(_ pair: YAMLNode.Pair, _ what: String) -> String? {
        guard let key = pair.key.scalar, !key.isEmpty else {
            sink.error("type-mismatch", "\(what) ids must be strings", at: pair.key.location)
            return nil
        }
        return key
    }

    mutating func decodeAnnotations(_ reader: MappingReader) -> Annotations {
        var annotations = Annotations()
        annotations.description = reader.string("description", sink: &sink)
        annotations.note = reader.string("note", sink: &sink)
        annotations.swiftName = reader.located("swift_name", sink: &sink)
        if let swiftName = annotations.swiftName, !SyntaxParser.isIdentifier(swiftName.value.utf8[...]) {
            sink.error("type-mismatch", "swift_name '\(swiftName.value)' is not a Swift identifier", at: swiftName.location)
            annotations.swiftName = nil
        }
        annotations.source = reader["source"].flatMap { decodeCitation($0, "source of \(reader.what)") }
        annotations.alsoIn = (reader.sequence("also_in", sink: &sink) ?? []).compactMap { decodeCitation($0, "also_in of \(reader.what)") }
        annotations.conflicts = (reader.sequence("conflicts", sink: &sink) ?? []).compactMap { decodeConflict($0, reader.what) }
        annotations.inferred = reader.bool("inferred", sink: &sink) ?? false
        annotations.asPrinted = reader.string("as_printed", sink: &sink)
        annotations.onlyIn = reader.strings("only_in", sink: &sink)
        return annotations
    }

    mutating func decodeCitation(_ node: YAMLNode, _ what: String) -> SourceCitation? {
        guard let reader = MappingReader(node, what, keys: ["doc", "section", "page"], sink: &sink) else { return nil }
        let doc = reader.located("doc", required: true, sink: &sink)
        // The section may be left out for a document located by url or repository (lint checks which).
        let section = reader.string("section", sink: &sink)
        guard let doc else { return nil }
        return SourceCitation(doc: doc, section: section ?? "", page: reader.string("page", sink: &sink), location: node.location)
    }

    mutating func decodeConflict(_ node: YAMLNode, _ owner: String) -> Conflict? {
        guard let reader = MappingReader(node, "a conflict of \(owner)", keys: ["key", "value", "source", "note"], sink: &sink) else { return nil }
        let key = reader.located("key", required: true, sink: &sink)
        let value = reader.require("value", sink: &sink)
        let source = reader.require("source", sink: &sink).flatMap { decodeCitation($0, "source of a conflict") }
        guard let key, let value else { return nil }
        return Conflict(key: key, value: Self.render(value), source: source, note: reader.string("note", sink: &sink), location: node.location)
    }

    /// A node written back as short YAML-like text, for conflict values.
    static func render(_ node: YAMLNode) -> String {
        switch node.kind {
        case .scalar(let text, _): return text
        case .sequence(let items): return "[" + items.map(render).joined(separator: ", ") + "]"
        case .mapping(let pairs): return "{" + pairs.map { "\(render($0.key)): \(render($0.value))" }.joined(separator: ", ") + "}"
        }
    }

    mutating func decodeSyntax(_ node: YAMLNode?, command: Bool, owner: String) -> SyntaxString? {
        guard let node else { return nil }
        guard let text = node.scalar else {
            sink.error("type-mismatch", "'syntax' of \(owner) must be a string, found \(node.kindDescription)", at: node.location)
            return nil
        }
        do {
            let parsed = command ? try SyntaxParser.parseCommand(text) : try SyntaxParser.parseLine(text)
            return SyntaxString(text: text, location: offsetLocation(node, 0), parsed: parsed)
        } catch {
            sink.error("syntax-error", "in syntax of \(owner): \(error.message)", at: offsetLocation(node, error.offset))
            return SyntaxString(text: text, location: offsetLocation(node, 0), parsed: nil)
        }
    }

    /// The location of byte `offset` inside a one-line scalar (after its opening quote, if
    /// quoted); columns count characters, as libyaml's do.
    func offsetLocation(_ node: YAMLNode, _ offset: Int) -> SourceLocation {
        let quoted = ScalarStyle.quoted == MappingReader.style(of: node)
        let characters = node.scalar.map { ByteScan.characters(in: Array($0.utf8).prefix(offset)) } ?? offset
        return SourceLocation(line: node.location.line, column: node.location.column + characters + (quoted ? 1 : 0))
    }

    mutating func decodeRange(_ reader: MappingReader, _ key: String, lowest: Int = Int.min) -> Located<RangeSet>? {
        guard let node = reader[key] else { return nil }
        guard let text = node.scalar else {
            sink.error("type-mismatch", "'\(key)' of \(reader.what) must be a range like \"1-10\", found \(node.kindDescription)", at: node.location)
            return nil
        }
        switch RangeSet.parse(text, lowest: lowest) {
        case .success(let range): return Located(range, at: node.location)
        case .failure(let error):
            sink.error("invalid-range", "'\(key)' of \(reader.what): \(error.message)", at: node.location)
            return nil
        }
    }

    mutating func decodeResponseTime(_ node: YAMLNode?, _ owner: String, key: String = "max_response_time") -> ResponseTime? {
        guard let node, let reader = MappingReader(node, "\(key) of \(owner)", keys: Self.responseTimeKeys, sink: &sink) else { return nil }
        requireVersion2(reader, ["from", "formula", "parameter", "unit"])
        let parameter = reader.located("parameter", sink: &sink)
        let ms = reader.int("ms", required: parameter == nil, sink: &sink)
        if let ms, ms < 0 { sink.error("invalid-range", "\(key) of \(owner) must not be negative", at: reader.keyLocation("ms")) }
        guard ms != nil || parameter != nil else { return nil }
        var time = ResponseTime(milliseconds: ms ?? 0, location: node.location, annotations: decodeAnnotations(reader))
        time.derivedFrom = reader.strings("from", sink: &sink).map(\.value)
        time.formula = reader.string("formula", sink: &sink)
        time.parameter = parameter
        time.parameterUnit = reader.choice("unit", ["s", "ms"], sink: &sink)?.value ?? "s"
        if time.formula != nil, time.derivedFrom.isEmpty {
            sink.error("missing-key", "\(key) of \(owner) gives a 'formula' without the settings it is derived 'from'", at: reader.keyLocation("formula"))
        }
        return time
    }

    /// Keys of spec-language version 2 used in a version-1 spec: an error that says what to change.
    mutating func requireVersion2(_ reader: MappingReader, _ keys: [String]) {
        guard version < 2 else { return }
        for key in keys where reader[key] != nil {
            sink.error(
                "needs-version", "'\(key)' of \(reader.what) is spec-language version 2; write 'spec: 2' at the top of the file (version 1 specs keep working unchanged under 2)",
                at: reader.keyLocation(key))
        }
    }
}
