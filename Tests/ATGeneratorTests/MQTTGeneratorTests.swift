// MQTTGeneratorTests.swift: a spec's mqtt section becomes an ATMQTTModule conformance that type-checks; a spec without one does not need ATMQTT.

import ATGenerator
import ATSpec
import ATTestSupport
import Foundation
import Testing

@Suite("Generator: the mqtt section")
struct MQTTGeneratorTests {
    static func generated() throws -> GeneratedFile {
        let loaded = Linter.lint(text: FixtureSpecs.miniMQTT, file: "MiniMQTT.yaml")
        #expect(loaded.diagnostics.filter { $0.severity == .error }.map(\.description) == [])
        return Generator.generate(try #require(loaded.spec))
    }

    @Test func theConformanceTypeChecksWithoutWarnings() throws {
        let file = try Self.generated()
        #expect(file.contents.contains("import ATMQTT"))
        #expect(file.contents.contains("extension MiniMQTT: ATMQTTModule {"))
        let (status, output) = try TypeCheck.run([file])
        #expect(status == 0, "\(output.prefix(4000))")
        #expect(!output.contains("warning:"), "\(output.prefix(4000))")
    }

    @Test func stepsBuildTheTypedRequestsWithTheirBindings() throws {
        let text = try Self.generated().contents
        // The module's own types, the arguments converted to each parameter's type.
        #expect(text.contains("let request = try MiniMQTT.Connect.Write(client: a.client, host: a.host, port: a.port, keepalive: a.keepAlive, user: a.username, pass: a.password)"))
        #expect(text.contains("MiniMQTT.Publish.Text(client: a.client, topic: a.topic, qos: MiniMQTT.QoS(rawValue: a.qos), retain: a.retain, message: MQTTStepSupport.text(a.payload))"))
        // The quoted variant checks that the payload can be quoted and fits; the prompt variant, the data's length.
        #expect(text.contains(#"MQTTStepSupport.quotedFit(a.payload, what: "payload", limit: 100, parameter: "<message> of AT+MPUB")"#))
        #expect(text.contains(#"MQTTStepSupport.dataFit(a.payload, what: "payload", limit: 512, minimum: 1, parameter: "<payload> of AT+MPUB")"#))
        // The module numbers its slots from 1; the capabilities keep every source.
        #expect(text.contains(#"firstClient: 1, clients: MQTTLimit(2, source: "t 2.1")"#))
        #expect(text.contains(#"(.badCredentials, MQTTCodeMatch(key: "err", values: [5]))"#))
        #expect(text.contains(#"case .mrecv(let u):"#))
        #expect(text.contains(#".connectionLost(client: u.client, MQTTVendorResult(command: "+MLOST", codes: [], typed: u))"#))
    }

    @Test func aSpecWithoutTheSectionNeedsNoMQTT() throws {
        let spec = try #require(Linter.lint(text: FixtureSpecs.prompt(shown: "abcd"), file: "Prompting.yaml").spec)
        let text = Generator.generate(spec).contents
        #expect(!text.contains("ATMQTT"))
    }
}
