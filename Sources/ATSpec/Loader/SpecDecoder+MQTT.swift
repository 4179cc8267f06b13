// SpecDecoder+MQTT.swift: reads a spec's `mqtt` section: capabilities, operations as steps, and the URCs of its events.

import ATRuntime

extension SpecDecoder {
    static let mqttKeys = [
        "clients", "limits", "qos", "versions", "retain", "will", "tls", "operations", "messages", "buffered", "connection_lost", "outcomes",
    ] + Annotations.keys
    static let capabilityKeys = ["value"] + Annotations.keys
    static let stepKeys = ["command", "form", "when", "each", "bind", "accept"] + Annotations.keys
    static let eventKeys = ["urc", "fields", "when", "read", "message", "enabled_by"] + Annotations.keys

    mutating func decodeMQTT(_ node: YAMLNode) -> MQTTSection? {
        guard let reader = MappingReader(node, "mqtt", keys: Self.mqttKeys, sink: &sink) else { return nil }
        let annotations = decodeAnnotations(reader)
        var firstClient = 0
        let clients = reader.require("clients", sink: &sink).flatMap { decodeIntCapability($0, "mqtt.clients", first: &firstClient) }
        var maxPayload: MQTTCapability<Int>?
        var maxTopic: MQTTCapability<Int>?
        var maxClientID: MQTTCapability<Int>?
        if let limits = reader.require("limits", sink: &sink), let limitReader = MappingReader(limits, "mqtt.limits", keys: ["payload", "topic", "client_id"], sink: &sink) {
            maxPayload = limitReader.require("payload", sink: &sink).flatMap { decodeIntCapability($0, "mqtt.limits.payload") }
            maxTopic = limitReader["topic"].flatMap { decodeIntCapability($0, "mqtt.limits.topic") }
            maxClientID = limitReader["client_id"].flatMap { decodeIntCapability($0, "mqtt.limits.client_id") }
        }
        let qos = reader.require("qos", sink: &sink).flatMap { decodeLevels($0, "mqtt.qos", allowed: 0...2) }
        let versions = reader["versions"].flatMap { decodeLevels($0, "mqtt.versions", allowed: 3...5) }
        let retain = reader.require("retain", sink: &sink).flatMap { decodeBoolCapability($0, "mqtt.retain") }
        let will = reader.require("will", sink: &sink).flatMap { decodeBoolCapability($0, "mqtt.will") }
        let tls = reader.require("tls", sink: &sink).flatMap { decodeBoolCapability($0, "mqtt.tls") }
        var operations: [MQTTOperation] = []
        for pair in reader.mapping("operations", required: true, sink: &sink) ?? [] {
            guard let name = pair.key.scalar else { continue }
            guard let kind = MQTTOperationKind(rawValue: name) else {
                var message = "unknown MQTT operation '\(name)'; the operations are \(MQTTOperationKind.allCases.map(\.rawValue).joined(separator: ", "))"
                if let suggestion = Suggest.nearest(to: name, in: MQTTOperationKind.allCases.map(\.rawValue)) { message += "; did you mean '\(suggestion)'?" }
                sink.error("unknown-key", message, at: pair.key.location)
                continue
            }
            if let operation = decodeOperation(kind, pair.value) { operations.append(operation) }
        }
        let messages = (reader.sequence("messages", sink: &sink) ?? []).compactMap { decodeEvent($0, "a message URC of mqtt", buffered: false) }
        let buffered = (reader.sequence("buffered", sink: &sink) ?? []).compactMap { decodeEvent($0, "a buffered-message URC of mqtt", buffered: true) }
        let lost = (reader.sequence("connection_lost", sink: &sink) ?? []).compactMap { decodeEvent($0, "a connection-lost URC of mqtt", buffered: false) }
        var outcomes: [MQTTOutcome] = []
        for pair in reader.mapping("outcomes", sink: &sink) ?? [] {
            guard let name = pair.key.scalar else { continue }
            guard let kind = MQTTOutcomeKind(rawValue: name) else {
                sink.error("unknown-key", "unknown MQTT outcome '\(name)'; the outcomes are \(MQTTOutcomeKind.allCases.map(\.rawValue).joined(separator: ", "))", at: pair.key.location)
                continue
            }
            let matches = (pair.value.items ?? [pair.value]).compactMap { decodeCodeMatch($0, "outcome '\(name)' of mqtt") }
            outcomes.append(MQTTOutcome(kind: kind, matches: matches, location: pair.key.location))
        }
        guard let clients, let maxPayload, let qos, let retain, let will, let tls else { return nil }
        return MQTTSection(
            firstClient: firstClient, clients: clients, maxPayload: maxPayload, maxTopic: maxTopic, maxClientID: maxClientID, qos: qos,
            versions: versions, retain: retain, will: will, tls: tls, operations: operations, messages: messages, buffered: buffered, connectionLost: lost,
            outcomes: outcomes, location: node.location, annotations: annotations)
    }

    mutating func decodeIntCapability(_ node: YAMLNode, _ what: String) -> MQTTCapability<Int>? {
        var first = 0
        return decodeIntCapability(node, what, first: &first, readsFirst: false)
    }

    /// A number with its source; `first` is read too for the client slots (the module's number of the first slot).
    mutating func decodeIntCapability(_ node: YAMLNode, _ what: String, first: inout Int, readsFirst: Bool = true) -> MQTTCapability<Int>? {
        guard let reader = MappingReader(node, what, keys: readsFirst ? Self.capabilityKeys + ["first"] : Self.capabilityKeys, sink: &sink) else { return nil }
        if readsFirst { first = reader.int("first", sink: &sink) ?? 0 }
        let value = reader.int("value", required: true, sink: &sink)
        let annotations = decodeAnnotations(reader)
        guard let value else { return nil }
        if value < 0 { sink.error("invalid-range", "'value' of \(what) must not be negative", at: reader.keyLocation("value")) }
        return MQTTCapability(value: value, location: node.location, annotations: annotations)
    }

    mutating func decodeBoolCapability(_ node: YAMLNode, _ what: String) -> MQTTCapability<Bool>? {
        guard let reader = MappingReader(node, what, keys: Self.capabilityKeys, sink: &sink) else { return nil }
        guard reader.require("value", sink: &sink) != nil, let value = reader.bool("value", sink: &sink) else { return nil }
        return MQTTCapability(value: value, location: node.location, annotations: decodeAnnotations(reader))
    }

    mutating func decodeLevels(_ node: YAMLNode, _ what: String, allowed: ClosedRange<Int>) -> MQTTCapability<[Int]>? {
        guard let reader = MappingReader(node, what, keys: Self.capabilityKeys, sink: &sink) else { return nil }
        guard let items = reader.sequence("value", required: true, sink: &sink) else { return nil }
        var levels: [Int] = []
        for item in items {
            guard let text = item.scalar, let level = Int(text), allowed.contains(level) else {
                sink.error("type-mismatch", "the values of \(what) are \(allowed.map(String.init).joined(separator: ", ")), found \(item.scalar.map { "'\($0)'" } ?? item.kindDescription)", at: item.location)
                continue
            }
            levels.append(level)
        }
        return MQTTCapability(value: levels, location: node.location, annotations: decodeAnnotations(reader))
    }

    mutating func decodeOperation(_ kind: MQTTOperationKind, _ node: YAMLNode) -> MQTTOperation? {
        let what = "mqtt operation '\(kind.rawValue)'"
        guard let reader = MappingReader(node, what, keys: ["steps", "variants"] + Annotations.keys, sink: &sink) else { return nil }
        var variants: [MQTTVariant] = []
        if let steps = reader.sequence("steps", sink: &sink) {
            variants.append(MQTTVariant(steps: steps.compactMap { decodeStep($0, what) }, location: node.location, annotations: Annotations()))
        }
        for item in reader.sequence("variants", sink: &sink) ?? [] {
            guard let variant = MappingReader(item, "a variant of \(what)", keys: ["steps"] + Annotations.keys, sink: &sink) else { continue }
            let steps = (variant.sequence("steps", required: true, sink: &sink) ?? []).compactMap { decodeStep($0, what) }
            variants.append(MQTTVariant(steps: steps, location: item.location, annotations: decodeAnnotations(variant)))
        }
        if reader["steps"] != nil, reader["variants"] != nil {
            sink.error("type-mismatch", "\(what) has both 'steps' and 'variants'; write one", at: reader.keyLocation("variants"))
        } else if reader["steps"] == nil, reader["variants"] == nil {
            sink.error("missing-key", "\(what) is missing 'steps' (or 'variants', a list of ways to carry it out)", at: node.location)
        }
        return MQTTOperation(kind: kind, variants: variants, location: node.location, annotations: decodeAnnotations(reader))
    }

    mutating func decodeStep(_ node: YAMLNode, _ owner: String) -> MQTTStep? {
        guard let reader = MappingReader(node, "a step of \(owner)", keys: Self.stepKeys, sink: &sink) else { return nil }
        let command = reader.located("command", required: true, sink: &sink)
        let form = reader.located("form", required: true, sink: &sink)
        var when: [Located<MQTTCondition>] = []
        let conditions = reader["when"].map { $0.items ?? [$0] } ?? []
        for item in conditions {
            guard let text = item.scalar, let condition = MQTTCondition(rawValue: text) else {
                var message = "'when' of a step of \(owner) takes \(MQTTCondition.allCases.map(\.rawValue).joined(separator: ", ")); found \(item.scalar.map { "'\($0)'" } ?? item.kindDescription)"
                if let text = item.scalar, let suggestion = Suggest.nearest(to: text, in: MQTTCondition.allCases.map(\.rawValue)) { message += "; did you mean '\(suggestion)'?" }
                sink.error("type-mismatch", message, at: item.location)
                continue
            }
            when.append(Located(condition, at: item.location))
        }
        var each = false
        if let node = reader["each"] {
            if node.scalar == "topic" { each = true } else { sink.error("type-mismatch", "'each' of a step of \(owner) takes 'topic'", at: node.location) }
        }
        var bindings: [MQTTBinding] = []
        for pair in reader.mapping("bind", sink: &sink) ?? [] {
            guard let name = pair.key.scalar else { continue }
            if let value = decodeValue(pair.value, "'\(name)' of a step of \(owner)") {
                bindings.append(MQTTBinding(parameter: Located(name, at: pair.key.location), value: value, location: pair.value.location))
            }
        }
        let accept = (reader.sequence("accept", sink: &sink) ?? []).compactMap { decodeCodeMatch($0, "'accept' of a step of \(owner)") }
        guard let command, let form else { return nil }
        return MQTTStep(command: command, form: form, when: when, each: each, bindings: bindings, accept: accept, location: node.location, annotations: decodeAnnotations(reader))
    }

    mutating func decodeArgument(_ text: String, _ location: SourceLocation, _ what: String) -> MQTTArgument? {
        let name = text.hasPrefix("$") ? String(text.dropFirst()) : text
        if let argument = MQTTArgument(rawValue: name) { return argument }
        var message = "\(what): '\(text)' is not an MQTT argument; the arguments are \(MQTTArgument.allCases.map { "$" + $0.rawValue }.joined(separator: ", "))"
        if let suggestion = Suggest.nearest(to: name, in: MQTTArgument.allCases.map(\.rawValue)) { message += "; did you mean '$\(suggestion)'?" }
        sink.error("unknown-argument", message, at: location)
        return nil
    }

    mutating func decodeValue(_ node: YAMLNode, _ what: String) -> MQTTValue? {
        switch node.kind {
        case .scalar(let text, let style):
            if style == .plain, text.hasPrefix("$") { return decodeArgument(text, node.location, what).map(MQTTValue.argument) }
            if style == .plain, let number = Int(text) { return .integer(number) }
            if style == .plain, text == "true" || text == "false" { return .bool(text == "true") }
            return .string(text)
        case .mapping:
            guard let reader = MappingReader(node, what, keys: ["template", "from", "map", "default"], sink: &sink) else { return nil }
            if let template = reader.string("template", sink: &sink) {
                var arguments: [MQTTArgument] = []
                var rest = Substring(template)
                while let open = rest.firstIndex(of: "{") {
                    guard let close = rest[open...].firstIndex(of: "}") else {
                        sink.error("type-mismatch", "\(what): the template has a '{' without its '}'", at: node.location)
                        return nil
                    }
                    let name = String(rest[rest.index(after: open)..<close])
                    guard let argument = decodeArgument(name, node.location, what) else { return nil }
                    arguments.append(argument)
                    rest = rest[rest.index(after: close)...]
                }
                return .template(template, arguments: arguments)
            }
            guard let from = reader.located("from", required: true, sink: &sink), let argument = decodeArgument(from.value, from.location, what) else { return nil }
            if let fallback = reader.string("default", sink: &sink) {
                if reader["map"] != nil { sink.error("type-mismatch", "\(what): write 'map' or 'default', not both", at: reader.keyLocation("default")) }
                return .fallback(argument, fallback)
            }
            var map: [(key: String, value: Int)] = []
            for pair in reader.mapping("map", required: true, sink: &sink) ?? [] {
                guard let key = pair.key.scalar, let value = pair.value.scalar.flatMap({ Int($0) }) else {
                    sink.error("type-mismatch", "\(what): 'map' maps each value of \(from.value) to a number", at: pair.value.location)
                    continue
                }
                map.append((key, value))
            }
            return .mapped(argument, map)
        case .sequence:
            sink.error("type-mismatch", "\(what) must be a value, an argument ($host), {template: ...} or {from: ..., map: ...}; found a sequence", at: node.location)
            return nil
        }
    }

    mutating func decodeCodeMatch(_ node: YAMLNode, _ what: String) -> MQTTCodeMatch? {
        guard let reader = MappingReader(node, what, keys: ["parameter", "table", "values"], sink: &sink) else { return nil }
        let parameter = reader.located("parameter", sink: &sink)
        let table = reader.located("table", sink: &sink)
        if (parameter == nil) == (table == nil) {
            sink.error("missing-key", "\(what) names either a result 'parameter' or an error 'table'", at: node.location)
        }
        var values: [Int] = []
        for item in reader.sequence("values", required: true, sink: &sink) ?? [] {
            guard let value = item.scalar.flatMap({ Int($0) }) else {
                sink.error("type-mismatch", "'values' of \(what) are numbers", at: item.location)
                continue
            }
            values.append(value)
        }
        return MQTTCodeMatch(parameter: parameter, table: table, values: values, location: node.location)
    }

    mutating func decodeFieldBindings(_ reader: MappingReader, _ key: String, _ what: String) -> [MQTTFieldBinding] {
        var fields: [MQTTFieldBinding] = []
        for pair in reader.mapping(key, sink: &sink) ?? [] {
            guard let name = pair.key.scalar else { continue }
            guard let field = MQTTEventField(rawValue: name) else {
                sink.error("unknown-key", "unknown field '\(name)' in '\(key)' of \(what); the fields are \(MQTTEventField.allCases.map(\.rawValue).joined(separator: ", "))", at: pair.key.location)
                continue
            }
            if let text = pair.value.scalar {
                fields.append(MQTTFieldBinding(field: field, parameter: Located(text, at: pair.value.location), decode: nil, location: pair.key.location))
            } else if let inner = MappingReader(pair.value, "'\(name)' of \(what)", keys: ["parameter", "decode"], sink: &sink),
                let parameter = inner.located("parameter", required: true, sink: &sink)
            {
                let decode = inner.choice("decode", ["hex"], sink: &sink)
                fields.append(MQTTFieldBinding(field: field, parameter: parameter, decode: decode, location: pair.key.location))
            }
        }
        return fields
    }

    mutating func decodeEvent(_ node: YAMLNode, _ what: String, buffered: Bool) -> MQTTEventSource? {
        guard let reader = MappingReader(node, what, keys: Self.eventKeys, sink: &sink) else { return nil }
        let urc = reader.located("urc", required: true, sink: &sink)
        let fields = decodeFieldBindings(reader, "fields", what)
        let when = (reader["when"].map { $0.items ?? [$0] } ?? []).compactMap { decodeCodeMatch($0, "'when' of \(what)") }
        var read: MQTTStep?
        var message: [MQTTFieldBinding] = []
        if buffered {
            read = reader.require("read", sink: &sink).flatMap { decodeStep($0, what) }
            message = decodeFieldBindings(reader, "message", what)
            if reader["message"] == nil { _ = reader.require("message", sink: &sink) }
        } else {
            for key in ["read", "message"] where reader[key] != nil {
                sink.error("unknown-key", "'\(key)' belongs to a buffered-message URC (mqtt.buffered), not to \(what)", at: reader.keyLocation(key))
            }
        }
        let enabledBy = reader["enabled_by"].flatMap { decodeStep($0, "'enabled_by' of \(what)") }
        guard let urc else { return nil }
        return MQTTEventSource(
            urc: urc, fields: fields, when: when, read: read, message: message, enabledBy: enabledBy, location: node.location, annotations: decodeAnnotations(reader))
    }
}
