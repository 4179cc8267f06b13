// MQTTLintTests.swift: the mqtt section names what exists, binds values that fit, and covers what it claims.

import ATSpec
import ATTestSupport
import Foundation
import Testing

@Suite("Lint: the mqtt section")
struct MQTTLintTests {
    /// The fixture with `original` replaced by `replacement` (which must occur).
    static func lint(replacing original: String = "", with replacement: String = "") throws -> [String] {
        let fixture = FixtureSpecs.miniMQTT
        if !original.isEmpty { try #require(fixture.contains(original), "the fixture has no '\(original)'") }
        let text = original.isEmpty ? fixture : fixture.replacingOccurrences(of: original, with: replacement)
        return Linter.lint(text: text, file: "MiniMQTT.yaml").diagnostics.filter { $0.severity == .error }.map(\.message)
    }

    static func expectError(_ original: String, _ replacement: String, _ fragment: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let messages = try lint(replacing: original, with: replacement)
        #expect(messages.contains { $0.contains(fragment) }, "\(messages)", sourceLocation: sourceLocation)
    }

    @Test func theFixtureIsClean() throws {
        #expect(try Self.lint() == [])
        let spec = try #require(SpecLoader.load(text: FixtureSpecs.miniMQTT, file: "MiniMQTT.yaml").spec?.mqtt)
        #expect(spec.operations.map(\.kind) == [.connect, .disconnect, .subscribe, .unsubscribe, .publish])
        #expect(spec.operation(.publish)?.variants.count == 2)
        #expect(spec.firstClient == 1)
        #expect(spec.clients.value == 2)
    }

    @Test func stepsNameCommandsAndFormsThatExist() throws {
        try Self.expectError("{command: MDISC, form: write", "{command: MDISK, form: write", "command 'MDISK', which the spec does not define; did you mean 'MDISC'?")
        try Self.expectError("command: MPUB, form: text", "command: MPUB, form: txt", "command 'MPUB' has no form 'txt'")
        // Two write forms: the kind alone picks none of them.
        try Self.expectError("command: MPUB, form: text", "command: MPUB, form: write", "has no form 'write' that one name picks")
    }

    @Test func bindingsNameParametersOfTheForm() throws {
        try Self.expectError("{client: $client, topic: $topic}}", "{client: $client, topic: $topic, qos: $qos}}", "has no parameter 'qos' to bind")
        try Self.expectError("retain: $retain, payload: $payload}", "retain: $retain, payload: $payload, length: 3}", "the client sends the data's length")
    }

    @Test func everyRequiredParameterIsBound() throws {
        try Self.expectError("{command: MDISC, form: write, bind: {client: $client}}", "{command: MDISC, form: write}", "does not bind 'client'")
    }

    @Test func valuesFitTheParameters() throws {
        try Self.expectError("{command: MDISC, form: write, bind: {client: $client}}", "{command: MDISC, form: write, bind: {client: 3}}", "3 is outside the range 1-2")
        try Self.expectError("{command: MDISC, form: write, bind: {client: $client}}", "{command: MDISC, form: write, bind: {client: $host}}", "$host, a string, does not fit 'client' (integer)")
        try Self.expectError("topic: $topic, qos: $qos}}", "topic: $topic, qos: 2}}", "2 is not one of the values of 'qos'")
        try Self.expectError("{command: MDISC, form: write, bind: {client: $client}}", "{command: MDISC, form: write, bind: {client: $clinet}}", "did you mean '$client'?")
    }

    @Test func argumentsBelongToTheirOperation() throws {
        try Self.expectError("{command: MDISC, form: write, bind: {client: $client}}", "{command: MDISC, form: write, bind: {client: $port}}", "$port is not a value of the 'disconnect' operation")
        try Self.expectError("{command: MUNSUB, form: write, each: topic,", "{command: MUNSUB, form: write,", "$topic is a value of each topic: the step needs 'each: topic'")
    }

    @Test func anOptionalArgumentInARequiredSlotNeedsItsCondition() throws {
        try Self.expectError(
            "host: $host, port: $port", "host: $username, port: $port",
            "$username may be left out by the caller, but 'host' is required: give the step 'when: username'")
        #expect(try Self.lint(replacing: "form: write\n          bind: {client: $client, host: $host,", with: "form: write\n          when: username\n          bind: {client: $client, host: $username,") == [])
    }

    @Test func thePasswordGoesOnlyToASecretParameter() throws {
        try Self.expectError("pass: {type: string, length: \"1-32\", secret: true}", "pass: {type: string, length: \"1-32\"}", "'pass' takes $password but is not 'secret: true'")
    }

    @Test func everyOperationIsMapped() throws {
        try Self.expectError("    disconnect:\n      steps:\n        - {command: MDISC, form: write, bind: {client: $client}}\n", "", "mqtt maps no 'disconnect' operation")
    }

    @Test func whatTheCapabilitiesClaimIsCarried() throws {
        try Self.expectError("will: {value: false", "will: {value: true", "mqtt claims a will, but no connect step binds $will_topic and $will_payload")
        try Self.expectError("tls: {value: false", "tls: {value: true", "mqtt claims TLS")
        try Self.expectError("payload: {value: 512,", "payload: {value: 513,", "claims 513 bytes, but no publish variant carries more than 512")
        try Self.expectError("clients: {value: 2, first: 1", "clients: {value: 2, first: 0", "numbers the slots 0-1, outside the range 1-2")
    }

    @Test func eventURCsAndTheirFieldsExist() throws {
        try Self.expectError("- urc: MRECV", "- urc: MRECVD", "URC 'MRECVD' is not defined; did you mean 'MRECV'?")
        try Self.expectError("fields: {client: client, topic: topic, payload: payload}", "fields: {client: client, topic: topic, payload: body}", "URC 'MRECV' has no parameter or data 'body'")
        try Self.expectError("fields: {client: client, topic: topic, payload: payload}", "fields: {client: client, topic: topic}", "URC 'MRECV' is mapped without its 'payload'")
    }

    @Test func outcomesNameResultFieldsAndTables() throws {
        try Self.expectError("bad_credentials: [{parameter: err, values: [5]}]", "bad_credentials: [{table: mqtt, values: [6]}]", "error table 'mqtt' has no code 6")
        try Self.expectError("bad_credentials: [{parameter: err, values: [5]}]", "bad_credentials: [{table: mqt, values: [5]}]", "error table 'mqt' is not defined")
    }

    @Test func theSectionIsVersion2AndItsShapeIsChecked() throws {
        let messages = try Self.lint(replacing: "spec: 2", with: "spec: 1")
        #expect(messages.contains { $0.contains("'mqtt' of the spec is spec-language version 2") })
        let misspelt = try Self.lint(replacing: "    publish:\n      variants:", with: "    publsh:\n      variants:")
        #expect(misspelt.contains("unknown MQTT operation 'publsh'; the operations are connect, disconnect, subscribe, unsubscribe, publish; did you mean 'publish'?"))
        #expect(misspelt.contains { $0.contains("mqtt maps no 'publish' operation") })
    }
}
