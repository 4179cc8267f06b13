// SpecDecoder+Unsolicited.swift: reading URCs, final results, error tables, rules and examples.

import ATRuntime

extension SpecDecoder {
    mutating func decodeURC(_ pair: YAMLNode.Pair) -> URC? {
        guard let id = identifierKey(pair, "URC") else { return nil }
        let what = "URC '\(id)'"
        guard let reader = MappingReader(pair.value, what, keys: Self.urcKeys, sink: &sink) else { return nil }
        let title = reader.string("title", required: true, sink: &sink) ?? ""
        if reader["source"] == nil { _ = reader.require("source", sink: &sink) }
        let syntax = decodeSyntax(reader["syntax"], command: false, owner: what)
        var parts: [URCPart] = []
        for item in reader.sequence("parts", sink: &sink) ?? [] {
            let partWhat = "a part of \(what)"
            guard let part = MappingReader(item, partWhat, keys: ["syntax", "role", "repeat", "optional", "data"] + Annotations.keys, sink: &sink) else { continue }
            let partSyntax = decodeSyntax(part.require("syntax", sink: &sink), command: false, owner: partWhat)
            let role = part.choice("role", ["start", "part", "end"], required: true, sink: &sink)
            var length: Located<String>?
            var into: Located<String>?
            if let node = part["data"], let data = MappingReader(node, "data of \(partWhat)", keys: ["length", "into"], sink: &sink) {
                length = data.located("length", required: true, sink: &sink)
                into = data.located("into", required: true, sink: &sink)
            }
            guard let partSyntax, let role else { continue }
            parts.append(URCPart(
                syntax: partSyntax, role: role.value, repeats: part.bool("repeat", sink: &sink) ?? false,
                optional: part.bool("optional", sink: &sink) ?? false, dataLength: length, dataInto: into, annotations: decodeAnnotations(part)))
        }
        if reader["syntax"] == nil, reader["parts"] == nil {
            sink.error("missing-key", "\(what) needs either 'syntax' (one line) or 'parts' (several)", at: pair.value.location)
        } else if reader["syntax"] != nil, reader["parts"] != nil {
            sink.error("type-mismatch", "\(what) has both 'syntax' and 'parts'; a URC is one line or several parts", at: reader.keyLocation("parts"))
        }
        requireVersion2(reader, ["overrides"])
        var urc = URC(
            id: id, location: pair.key.location, title: title, syntax: syntax, parts: parts,
            parameters: decodeParameters(reader, owner: what), sharesPrefixWith: reader.strings("shares_prefix_with", sink: &sink),
            annotations: decodeAnnotations(reader))
        urc.overrides = reader.bool("overrides", sink: &sink) ?? false
        return urc
    }

    mutating func decodeFinal(_ node: YAMLNode) -> FinalResult? {
        guard let reader = MappingReader(node, "a final result", keys: ["name", "syntax", "kind", "parameters", "overrides"] + Annotations.keys, sink: &sink) else { return nil }
        requireVersion2(reader, ["overrides"])
        let name = reader.located("name", required: true, sink: &sink)
        let what = "final result '\(name?.value ?? "?")'"
        let syntax = decodeSyntax(reader.require("syntax", sink: &sink), command: false, owner: what)
        let kind = reader.choice("kind", ["success", "error"], required: true, sink: &sink)
        if reader["source"] == nil { _ = reader.require("source", sink: &sink) }
        guard let name, let syntax, let kind else { return nil }
        var final = FinalResult(name: name, syntax: syntax, kind: kind.value, parameters: decodeParameters(reader, owner: what), annotations: decodeAnnotations(reader))
        final.overrides = reader.bool("overrides", sink: &sink) ?? false
        return final
    }

    mutating func decodeErrorTable(_ pair: YAMLNode.Pair) -> ErrorTable? {
        guard let id = identifierKey(pair, "error table") else { return nil }
        let what = "error table '\(id)'"
        guard let reader = MappingReader(pair.value, what, keys: Self.errorTableKeys, sink: &sink) else { return nil }
        requireVersion2(reader, ["reserved", "verbose", "overrides", "extends"])
        var reserved: [ReservedCodes] = []
        for item in reader.sequence("reserved", sink: &sink) ?? [] {
            guard let entry = MappingReader(item, "a reserved range of \(what)", keys: ["range", "text", "note"], sink: &sink),
                let range = decodeRange(entry, "range")
            else {
                continue
            }
            if reader["range"] == nil, entry["range"] == nil { _ = entry.require("range", sink: &sink) }
            reserved.append(ReservedCodes(range: range.value, text: entry.string("text", sink: &sink) ?? "Reserved", location: item.location))
        }
        let title = reader.string("title", required: true, sink: &sink) ?? ""
        if reader["source"] == nil { _ = reader.require("source", sink: &sink) }
        var codes: [ErrorCode] = []
        for codePair in reader.mapping("codes", required: true, sink: &sink) ?? [] {
            guard let key = codePair.key.scalar, let code = Int(key) else {
                sink.error("type-mismatch", "codes of \(what) are integers; '\(codePair.key.scalar ?? "?")' is not", at: codePair.key.location)
                continue
            }
            guard let codeReader = MappingReader(codePair.value, "code \(code) of \(what)", keys: ["name", "text", "description", "note", "swift_name"], sink: &sink) else { continue }
            codes.append(ErrorCode(
                code: code, name: codeReader.string("name", sink: &sink), text: codeReader.string("text", required: true, sink: &sink) ?? "",
                description: codeReader.string("description", sink: &sink), note: codeReader.string("note", sink: &sink),
                swiftName: codeReader.located("swift_name", sink: &sink), location: codePair.key.location))
        }
        for entry in reserved {
            for code in codes where entry.range.contains(code.code) {
                sink.error("duplicate-error-code", "code \(code.code) of \(what) is in its reserved range \(entry.range.text)", at: code.location)
            }
        }
        var table = ErrorTable(id: id, location: pair.key.location, title: title, codes: codes, reserved: reserved, annotations: decodeAnnotations(reader))
        table.verbose = reader.bool("verbose", sink: &sink) ?? false
        table.overrides = reader.bool("overrides", sink: &sink) ?? false
        table.extends = reader.bool("extends", sink: &sink) ?? false
        if table.overrides, table.extends {
            sink.error("type-mismatch", "\(what) both overrides and extends the base's table; a table replaces it or adds codes to it", at: reader.keyLocation("extends"))
        }
        return table
    }

    mutating func decodeRule(_ node: YAMLNode) -> Rule? {
        guard
            let reader = MappingReader(
                node, "a rule", keys: Self.ruleKeys, sink: &sink)
        else { return nil }
        requireVersion2(reader, ["strength", "scope", "inferred", "conflicts"])
        let kind = reader.choice("kind", ["must_precede", "must_follow", "precedes_if_used", "clears", "cleared_by"], required: true, sink: &sink)
        if let kind, kind.value == "precedes_if_used", version < 2 {
            sink.error("needs-version", "rule kind 'precedes_if_used' is spec-language version 2; write 'spec: 2' at the top of the file", at: kind.location)
        }
        let command = reader.located("command", required: true, sink: &sink)
        if reader["others"] == nil { _ = reader.require("others", sink: &sink) }
        let others = reader.strings("others", sink: &sink)
        let text = reader.string("text", required: true, sink: &sink)
        let source = reader.require("source", sink: &sink).flatMap { decodeCitation($0, "source of a rule") }
        guard let kind, let command, let text else { return nil }
        var rule = Rule(kind: kind.value, command: command, others: others, text: text, source: source, note: reader.string("note", sink: &sink), location: node.location)
        rule.strength = reader.choice("strength", ["must", "should", "can"], sink: &sink)?.value ?? "must"
        if let node = reader["scope"], let pairs = node.pairs {
            for pair in pairs {
                guard let command = pair.key.scalar, let parameter = pair.value.scalar else {
                    sink.error("type-mismatch", "'scope' of a rule maps command ids to parameter names", at: pair.key.location)
                    continue
                }
                rule.scopeByCommand[command] = Located(parameter, at: pair.value.location)
            }
        } else {
            rule.scope = reader.located("scope", sink: &sink)
        }
        rule.inferred = reader.bool("inferred", sink: &sink) ?? false
        rule.conflicts = (reader.sequence("conflicts", sink: &sink) ?? []).compactMap { decodeConflict($0, "a rule") }
        return rule
    }

    mutating func decodeExample(_ node: YAMLNode) -> Example? {
        guard let reader = MappingReader(node, "an example", keys: Self.exampleKeys, sink: &sink) else { return nil }
        let id = reader.string("id", required: true, sink: &sink)
        let title = reader.string("title", required: true, sink: &sink)
        if reader["source"] == nil { _ = reader.require("source", sink: &sink) }
        let transcriptNode = reader.require("transcript", sink: &sink)
        guard let id, let title, let transcriptNode else { return nil }
        guard case .scalar(let transcript, let style) = transcriptNode.kind else {
            sink.error("type-mismatch", "'transcript' of example '\(id)' must be a block of text (use |), found \(transcriptNode.kindDescription)", at: transcriptNode.location)
            return nil
        }
        let lineCount = transcript.utf8.count { $0 == UInt8(ascii: "\n") } + 1
        let locations = (0..<lineCount).map { transcriptLineLocation(transcriptNode.location, style: style, index: $0) }
        requireVersion2(reader, ["from_start"])
        var example = Example(
            id: id, title: title, transcript: transcript, lineLocations: locations,
            byteEscapes: reader.bool("byte_escapes", sink: &sink) ?? false, location: node.location, annotations: decodeAnnotations(reader))
        example.fromStart = reader.bool("from_start", sink: &sink) ?? false
        return example
    }

    /// Line `index` of a literal block starts on the line after the `|`, at its indentation.
    func transcriptLineLocation(_ start: SourceLocation, style: ScalarStyle, index: Int) -> SourceLocation {
        guard style == .block else { return start }
        let line = start.line + 1 + index
        guard line - 1 < lineStarts.count else { return start }
        var end = lineStarts[line - 1]
        while end < source.count, source[end] == UInt8(ascii: " ") { end += 1 }
        return SourceLocation(line: line, column: end - lineStarts[line - 1] + 1)
    }
}
