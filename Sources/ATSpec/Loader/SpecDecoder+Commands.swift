// SpecDecoder+Commands.swift: reading commands and their forms.

import ATRuntime

extension SpecDecoder {
    static let commandKeys = ["title", "scope", "max_response_time", "attributes", "forms", "parameters", "constraints", "overrides"] + Annotations.keys
    static let formKeys = ["kind", "name", "syntax", "responses", "deferred", "prompt", "final", "max_response_time", "omitted_means_query", "constraints"] + Annotations.keys
    static let promptKeys = ["text", "data", "length", "encoding", "length_counts", "end", "cancel", "followed_by_line_end"] + Annotations.keys
    static let constraintKeys = ["when", "unless", "require", "forbid", "equals", "forbid_values", "text"] + Annotations.keys
    static let deferredKeys = ["name", "syntax", "order", "success", "timeout"] + Annotations.keys
    static let attributeKeys = ["pin_restricted", "persistent", "sync_mode", "effect_immediately", "parameter_saving_mode"]

    mutating func decodeCommand(_ pair: YAMLNode.Pair) -> Command? {
        guard let id = identifierKey(pair, "command") else { return nil }
        let what = "command '\(id)'"
        guard let reader = MappingReader(pair.value, what, keys: Self.commandKeys, sink: &sink) else { return nil }
        let title = reader.string("title", required: true, sink: &sink) ?? ""
        let scope = reader.choice("scope", ["mqtt", "auxiliary", "base"], sink: &sink)?.value ?? "mqtt"
        if reader["source"] == nil { _ = reader.require("source", sink: &sink) }
        var attributes: [String: String] = [:]
        if let node = reader["attributes"], let attributeReader = MappingReader(node, "attributes of \(what)", keys: Self.attributeKeys, sink: &sink) {
            for key in Self.attributeKeys {
                if let value = attributeReader.string(key, sink: &sink) { attributes[key] = value }
            }
        }
        var forms: [Form] = []
        for item in reader.sequence("forms", required: true, sink: &sink) ?? [] {
            if let form = decodeForm(item, command: what) { forms.append(form) }
        }
        requireVersion2(reader, ["constraints", "overrides"])
        var command = Command(
            id: id, location: pair.key.location, title: title, scope: scope,
            maxResponseTime: decodeResponseTime(reader["max_response_time"], what), attributes: attributes, forms: forms,
            parameters: decodeParameters(reader, owner: what), constraints: decodeConstraints(reader, what),
            annotations: decodeAnnotations(reader))
        command.overrides = reader.bool("overrides", sink: &sink) ?? false
        return command
    }

    mutating func decodeConstraints(_ reader: MappingReader, _ owner: String) -> [Constraint] {
        var constraints: [Constraint] = []
        for item in reader.sequence("constraints", sink: &sink) ?? [] {
            let what = "a constraint of \(owner)"
            guard let entry = MappingReader(item, what, keys: Self.constraintKeys, sink: &sink) else { continue }
            func values(_ key: String) -> [ConstraintValue] {
                (entry.mapping(key, sink: &sink) ?? []).compactMap { pair in
                    guard let name = pair.key.scalar else { return nil }
                    let items = pair.value.items ?? [pair.value]
                    let numbers = items.compactMap { $0.scalar.flatMap { Int($0) } }
                    guard !numbers.isEmpty, numbers.count == items.count else {
                        sink.error("type-mismatch", "'\(key)' of \(what): the value of '\(name)' must be an integer or a list of integers (an enum's or flag's value as the manual writes it)", at: pair.value.location)
                        return nil
                    }
                    return ConstraintValue(name: Located(name, at: pair.key.location), values: numbers)
                }
            }
            var forbidValues: [(name: Located<String>, values: [Int])] = []
            for pair in entry.mapping("forbid_values", sink: &sink) ?? [] {
                guard let name = pair.key.scalar else { continue }
                let items = pair.value.items ?? [pair.value]
                let numbers = items.compactMap { $0.scalar.flatMap(Int.init) }
                if numbers.count != items.count {
                    sink.error("type-mismatch", "'forbid_values' of \(what): the values of '\(name)' must be integers", at: pair.value.location)
                }
                forbidValues.append((Located(name, at: pair.key.location), numbers))
            }
            let constraint = Constraint(
                when: values("when"), unless: values("unless"), require: entry.strings("require", sink: &sink),
                forbid: entry.strings("forbid", sink: &sink), equals: values("equals"), forbidValues: forbidValues,
                text: entry.string("text", required: true, sink: &sink) ?? "", annotations: decodeAnnotations(entry), location: item.location)
            if constraint.require.isEmpty, constraint.forbid.isEmpty, constraint.equals.isEmpty, constraint.forbidValues.isEmpty {
                sink.error("missing-key", "\(what) says nothing to check: give 'require', 'forbid', 'equals' or 'forbid_values'", at: item.location)
            }
            constraints.append(constraint)
        }
        return constraints
    }

    mutating func decodeDeferred(_ node: YAMLNode, command: String, shapes: Bool) -> Deferred? {
        let what = "the deferred result of \(command)"
        guard let reader = MappingReader(node, what, keys: Self.deferredKeys, sink: &sink) else { return nil }
        let lineSyntax = decodeSyntax(reader.require("syntax", sink: &sink), command: false, owner: what)
        let order = reader.choice("order", ["after", "before", "either"], required: true, sink: &sink)
        var success: [(name: Located<String>, value: String)] = []
        var shapeSuccess: Bool?
        if let node = reader["success"], let flag = node.scalar, flag == "true" || flag == "false" {
            shapeSuccess = flag == "true"
        } else {
            for pair in reader.mapping("success", sink: &sink) ?? [] {
                guard let name = pair.key.scalar else { continue }
                guard pair.value.scalar != nil else {
                    sink.error("type-mismatch", "'success' of \(what): the value of '\(name)' must be one value (the one that means success), found \(pair.value.kindDescription)", at: pair.value.location)
                    continue
                }
                success.append((Located(name, at: pair.key.location), Self.render(pair.value)))
            }
        }
        let name = reader.located("name", required: shapes, sink: &sink)
        requireVersion2(reader, ["name", "timeout"])
        guard let lineSyntax, let order, let orderValue = DeferredOrder(rawValue: order.value) else { return nil }
        var deferred = Deferred(syntax: lineSyntax, order: orderValue, success: success, annotations: decodeAnnotations(reader))
        deferred.name = name
        deferred.shapeSuccess = shapeSuccess
        deferred.timeout = decodeResponseTime(reader["timeout"], what, key: "timeout")
        return deferred
    }

    mutating func decodeForm(_ node: YAMLNode, command: String) -> Form? {
        let what = "a form of \(command)"
        guard let reader = MappingReader(node, what, keys: Self.formKeys, sink: &sink) else { return nil }
        let kindName = reader.choice("kind", ["test", "read", "write", "execute"], required: true, sink: &sink)
        let syntax = decodeSyntax(reader.require("syntax", sink: &sink), command: true, owner: what)
        guard let kindName, let kind = Syntax.CommandKind(rawValue: kindName.value), let syntax else { return nil }
        var responses: [ResponseLine] = []
        for item in reader.sequence("responses", sink: &sink) ?? [] {
            guard let line = MappingReader(item, "a response of \(command)", keys: ["syntax", "repeat", "optional", "when"] + Annotations.keys, sink: &sink),
                let lineSyntax = decodeSyntax(line.require("syntax", sink: &sink), command: false, owner: "a response of \(command)")
            else { continue }
            responses.append(ResponseLine(
                syntax: lineSyntax, repeats: line.bool("repeat", sink: &sink) ?? false, optional: line.bool("optional", sink: &sink) ?? false,
                when: line.string("when", sink: &sink), annotations: decodeAnnotations(line)))
        }
        var deferredShapes: [Deferred] = []
        if let node = reader["deferred"] {
            if let items = node.items {
                requireVersion2(reader, ["deferred"])
                deferredShapes = items.compactMap { decodeDeferred($0, command: command, shapes: true) }
            } else if let one = decodeDeferred(node, command: command, shapes: false) {
                deferredShapes = [one]
            }
        }
        var prompt: Prompt?
        if let node = reader["prompt"], let promptReader = MappingReader(node, "the prompt of \(command)", keys: Self.promptKeys, sink: &sink) {
            requireVersion2(promptReader, ["length_counts", "end", "cancel", "followed_by_line_end"])
            let data = promptReader.located("data", required: true, sink: &sink)
            let end = promptReader.choice("end", ["ctrl_z"], sink: &sink)
            let length = promptReader.located("length", required: end == nil, sink: &sink)
            if length != nil, end != nil {
                sink.error("type-mismatch", "the prompt of \(command) has both a 'length' and an 'end'; data is either counted or ended by a terminator", at: promptReader.keyLocation("end"))
            }
            if let data, length != nil || end != nil {
                var built = Prompt(
                    text: promptReader.string("text", sink: &sink) ?? ">", data: data, length: length,
                    encoding: promptReader.choice("encoding", ["raw", "hex"], sink: &sink)?.value ?? "raw",
                    annotations: decodeAnnotations(promptReader))
                built.lengthCounts = promptReader.choice("length_counts", ["bytes", "digits"], sink: &sink)?.value ?? "bytes"
                built.end = end
                built.cancel = promptReader.choice("cancel", ["esc"], sink: &sink)
                built.followedByLineEnd = promptReader.bool("followed_by_line_end", sink: &sink) ?? false
                if built.lengthCounts == "digits", built.encoding != "hex" {
                    sink.error("type-mismatch", "the prompt of \(command) counts hex 'digits' but its encoding is \(built.encoding)", at: promptReader.keyLocation("length_counts"))
                }
                prompt = built
            }
        }
        requireVersion2(reader, ["omitted_means_query", "constraints"])
        return Form(
            kind: kind, name: reader.located("name", sink: &sink), syntax: syntax, responses: responses, deferredShapes: deferredShapes,
            omittedMeansQuery: reader.bool("omitted_means_query", sink: &sink) ?? false, constraints: decodeConstraints(reader, what),
            prompt: prompt, finals: reader.strings("final", sink: &sink),
            maxResponseTime: decodeResponseTime(reader["max_response_time"], what), location: node.location,
            annotations: decodeAnnotations(reader))
    }
}
