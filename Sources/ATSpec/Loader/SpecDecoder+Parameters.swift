// SpecDecoder+Parameters.swift: reading parameter definitions.

import ATRuntime

extension SpecDecoder {
    static let parameterKeys = ["type", "range", "values", "default", "unit", "length", "charset", "quoted", "format", "length_from", "table", "secret", "length_unit", "items", "count", "element"] + Annotations.keys

    mutating func decodeParameters(_ reader: MappingReader, owner: String) -> [Parameter] {
        var parameters: [Parameter] = []
        for pair in reader.mapping("parameters", sink: &sink) ?? [] {
            guard let name = identifierKey(pair, "parameter") else { continue }
            if !SyntaxParser.isIdentifier(name.utf8[...]) {
                sink.error("syntax-error", "parameter name '\(name)' of \(owner) is not an identifier (letters, digits, '_')", at: pair.key.location)
            }
            if let parameter = decodeParameter(name, pair, owner: owner) { parameters.append(parameter) }
        }
        return parameters
    }

    mutating func decodeParameter(_ name: String, _ pair: YAMLNode.Pair, owner: String) -> Parameter? {
        let what = "parameter '\(name)' of \(owner)"
        guard let reader = MappingReader(pair.value, what, keys: Self.parameterKeys, sink: &sink) else { return nil }
        guard let typeName = reader.choice("type", ParameterType.allCases.map(\.rawValue), required: true, sink: &sink),
            let type = ParameterType(rawValue: typeName.value)
        else { return nil }
        requireVersion2(reader, ["length_unit", "items", "count", "element"])
        var defaultValue: Located<String>?
        var defaultProse: String?
        if let node = reader["default"], node.pairs != nil {
            requireVersion2(reader, ["default"])
            if let prose = MappingReader(node, "the default of \(what)", keys: ["prose"], sink: &sink) {
                defaultProse = prose.string("prose", required: true, sink: &sink)
            }
        } else {
            defaultValue = reader.located("default", sink: &sink)
        }
        var parameter = Parameter(
            name: name, location: pair.key.location, type: type, range: decodeRange(reader, "range"),
            defaultValue: defaultValue, defaultProse: defaultProse,
            unit: reader.choice("unit", ["s", "ms", "bytes", "characters"], sink: &sink)?.value,
            length: decodeRange(reader, "length", lowest: 0),
            charset: reader.choice("charset", ["utf8", "ascii", "bytes"], sink: &sink)?.value,
            quoted: reader.bool("quoted", sink: &sink) ?? true,
            lengthFrom: reader.located("length_from", sink: &sink), table: reader.located("table", sink: &sink),
            secret: reader.bool("secret", sink: &sink) ?? false, annotations: decodeAnnotations(reader))
        parameter.lengthUnit = reader.choice("length_unit", ["bytes", "characters"], sink: &sink)?.value ?? "bytes"
        parameter.items = reader.strings("items", sink: &sink)
        parameter.count = decodeRange(reader, "count", lowest: 0)
        parameter.element = reader.located("element", sink: &sink)
        if type == .repeated {
            if parameter.items.isEmpty { _ = reader.require("items", sink: &sink) }
            if parameter.items.count > 1, parameter.element == nil { _ = reader.require("element", sink: &sink) }
        } else if reader["items"] != nil || reader["count"] != nil || reader["element"] != nil {
            let key = ["items", "count", "element"].first { reader[$0] != nil } ?? "items"
            sink.error("type-mismatch", "'\(key)' of \(what) is only for parameters of type repeated", at: reader.keyLocation(key))
        }
        if let node = reader["values"] {
            parameter.values = decodeValues(node, what)
        }
        if let node = reader["format"], let format = MappingReader(node, "format of \(what)", keys: ["kind", "scheme", "default_port"], sink: &sink) {
            if let kind = format.choice("kind", ["host_port", "url", "ip_or_host"], required: true, sink: &sink) {
                parameter.format = StringFormat(kind: kind.value, scheme: format.string("scheme", sink: &sink), defaultPort: format.int("default_port", sink: &sink))
            }
        }
        return parameter
    }

    mutating func decodeValues(_ node: YAMLNode, _ what: String) -> [EnumValue] {
        guard let pairs = node.pairs else {
            sink.error("type-mismatch", "'values' of \(what) must be a mapping of value to description, found \(node.kindDescription)", at: node.location)
            return []
        }
        var values: [EnumValue] = []
        for pair in pairs {
            guard let key = pair.key.scalar, let number = Int(key) else {
                sink.error("type-mismatch", "values of \(what) are integers; '\(pair.key.scalar ?? "?")' is not", at: pair.key.location)
                continue
            }
            if let text = pair.value.scalar {
                values.append(EnumValue(value: number, name: nil, description: text, location: pair.key.location))
                continue
            }
            guard let reader = MappingReader(pair.value, "value \(number) of \(what)", keys: ["name", "description", "note", "swift_name"], sink: &sink) else { continue }
            values.append(EnumValue(
                value: number, name: reader.string("name", sink: &sink), description: reader.string("description", sink: &sink),
                note: reader.string("note", sink: &sink), swiftName: reader.located("swift_name", sink: &sink), location: pair.key.location))
        }
        return values
    }
}
