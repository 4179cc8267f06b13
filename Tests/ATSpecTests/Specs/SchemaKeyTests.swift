// SchemaKeyTests.swift: the editor schema (Specs/at-spec.schema.json) names exactly the keys the loader accepts.

@testable import ATSpec
import Foundation
import Testing

@Suite("The spec schema")
struct SchemaKeyTests {
    static func schema() throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: TestPaths.spec("at-spec.schema.json")))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static let loaderKeys: [(definition: String?, keys: [String])] = [
        (nil, SpecDecoder.topKeys),
        ("command", SpecDecoder.commandKeys),
        ("form", SpecDecoder.formKeys),
        ("prompt", SpecDecoder.promptKeys),
        ("constraint", SpecDecoder.constraintKeys),
        ("deferred", SpecDecoder.deferredKeys),
        ("parameter", SpecDecoder.parameterKeys),
        ("urc", SpecDecoder.urcKeys),
        ("errorTable", SpecDecoder.errorTableKeys),
        ("rule", SpecDecoder.ruleKeys),
        ("example", SpecDecoder.exampleKeys),
        ("responseTime", SpecDecoder.responseTimeKeys),
        ("mqtt", SpecDecoder.mqttKeys),
        ("mqttStep", SpecDecoder.stepKeys),
        ("mqttEvent", SpecDecoder.eventKeys),
        ("mqttCapability", SpecDecoder.capabilityKeys),
        ("mqttClients", SpecDecoder.capabilityKeys + ["first"]),
    ]

    @Test(arguments: loaderKeys.map { $0.definition ?? "(top level)" })
    func theSchemaAndTheLoaderAgreeOnTheKeys(_ name: String) throws {
        let schema = try Self.schema()
        let definitions = try #require(schema["definitions"] as? [String: [String: Any]])
        let entry = try #require(Self.loaderKeys.first { ($0.definition ?? "(top level)") == name })
        let object = try #require(entry.definition.map { definitions[$0] } ?? schema, "no definition \(name)")
        let properties = try #require(object["properties"] as? [String: Any])
        #expect(Set(properties.keys) == Set(entry.keys), "schema only: \(Set(properties.keys).subtracting(entry.keys).sorted()); loader only: \(Set(entry.keys).subtracting(properties.keys).sorted())")
        #expect(object["additionalProperties"] as? Bool == false)
    }

    @Test func theSchemaAcceptsBothVersions() throws {
        let spec = try #require((try Self.schema()["properties"] as? [String: Any])?["spec"] as? [String: Any])
        #expect(spec["enum"] as? [Int] == [1, 2])
    }
}
