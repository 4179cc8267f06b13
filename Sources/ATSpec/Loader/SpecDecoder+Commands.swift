// SpecDecoder+Commands.swift: reading commands and their forms.

import ATRuntime

extension SpecDecoder {
    static let commandKeys = ["title", "scope", "max_response_time", "attributes", "forms", "parameters"] + Annotations.keys
    static let formKeys = ["kind", "name", "syntax", "responses", "deferred", "prompt", "final", "max_response_time"] + Annotations.keys
    static let attributeKeys = ["pin_restricted", "persistent", "sync_mode", "effect_immediately", "parameter_saving_mode"]

    mutating func decodeCommand(_ pair: YAMLNode.Pair) -> Command? {
        guard let id = identifierKey(pair, "command") else { return nil }
        let what = "command '\(id)'"
        guard let reader = MappingReader(pair.value, what, keys: Self.commandKeys, sink: &sink) else { return nil }
        let title = reader.string("title", required: true, sink: &sink) ?? ""
        let scope = reader.choice("scope", ["mqtt", "auxiliary"], sink: &sink)?.value ?? "mqtt"
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
        return Command(
            id: id, location: pair.key.location, title: title, scope: scope,
            maxResponseTime: decodeResponseTime(reader["max_response_time"], what), attributes: attributes, forms: forms,
            parameters: decodeParameters(reader, owner: what), annotations: decodeAnnotations(reader))
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
        var deferred: Deferred?
        if let node = reader["deferred"], let deferredReader = MappingReader(node, "the deferred result of \(command)", keys: ["syntax", "order", "success"] + Annotations.keys, sink: &sink) {
            let lineSyntax = decodeSyntax(deferredReader.require("syntax", sink: &sink), command: false, owner: "the deferred result of \(command)")
            let order = deferredReader.choice("order", ["after", "before", "either"], required: true, sink: &sink)
            var success: [(name: Located<String>, value: String)] = []
            for pair in deferredReader.mapping("success", sink: &sink) ?? [] {
                guard let name = pair.key.scalar else { continue }
                success.append((Located(name, at: pair.key.location), Self.render(pair.value)))
            }
            if let lineSyntax, let order, let orderValue = DeferredOrder(rawValue: order.value) {
                deferred = Deferred(syntax: lineSyntax, order: orderValue, success: success, annotations: decodeAnnotations(deferredReader))
            }
        }
        var prompt: Prompt?
        if let node = reader["prompt"], let promptReader = MappingReader(node, "the prompt of \(command)", keys: ["text", "data", "length", "encoding"] + Annotations.keys, sink: &sink) {
            let data = promptReader.located("data", required: true, sink: &sink)
            let length = promptReader.located("length", required: true, sink: &sink)
            if let data, let length {
                prompt = Prompt(
                    text: promptReader.string("text", sink: &sink) ?? ">", data: data, length: length,
                    encoding: promptReader.choice("encoding", ["raw", "hex"], sink: &sink)?.value ?? "raw",
                    annotations: decodeAnnotations(promptReader))
            }
        }
        return Form(
            kind: kind, name: reader.located("name", sink: &sink), syntax: syntax, responses: responses, deferred: deferred,
            prompt: prompt, finals: reader.strings("final", sink: &sink),
            maxResponseTime: decodeResponseTime(reader["max_response_time"], what), location: node.location,
            annotations: decodeAnnotations(reader))
    }
}
