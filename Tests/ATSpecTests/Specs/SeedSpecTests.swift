// SeedSpecTests.swift: the three seed specs load, lint clean, and say what their documents say.

import ATSpec
import Testing

@Suite("Seed specs")
struct SeedSpecTests {
    static let names = ["SIM800.yaml", "SIM7672X.yaml", "FibocomL610.yaml"]

    static func load(_ name: String) throws -> Spec {
        let result = Linter.lint(path: TestPaths.spec(name))
        return try #require(result.spec)
    }

    @Test(arguments: names)
    func lintsClean(_ name: String) {
        let result = Linter.lint(path: TestPaths.spec(name))
        #expect(result.spec != nil)
        #expect(result.diagnostics.map(\.description) == [])
    }

    @Test(arguments: names)
    func startsWithTheSchemaModeline(_ name: String) {
        let text = TestPaths.read(TestPaths.spec(name))
        #expect(text.hasPrefix("# yaml-language-server: $schema=at-spec.schema.json\n"))
    }

    @Test(arguments: names)
    func everyCommandURCAndExampleCitesItsSource(_ name: String) throws {
        let spec = try Self.load(name)
        for command in spec.commands { #expect(command.annotations.source != nil, "\(command.id)") }
        for urc in spec.urcs { #expect(urc.annotations.source != nil, "\(urc.id)") }
        for example in spec.examples { #expect(example.annotations.source != nil, "\(example.id)") }
        for table in spec.errorTables { #expect(table.annotations.source != nil, "\(table.id)") }
    }

    @Test func sim7672xErrorTableHas36Entries() throws {
        let spec = try Self.load("SIM7672X.yaml")
        let table = try #require(spec.errorTables.first { $0.id == "mqtt" })
        #expect(table.codes.map(\.code) == Array(0...35))
        #expect(table.codes.first { $0.code == 27 }?.text == "connection refused: unaccepted protocol version")
        #expect(table.codes.first { $0.code == 11 }?.text == "no connection")
    }

    @Test func sim7672xRecordsBothReadingsWhereTheDocumentsDisagree() throws {
        let spec = try Self.load("SIM7672X.yaml")
        let payload = try #require(spec.command("CMQTTPAYLOAD")?.parameter("req_length"))
        #expect(payload.range?.value.ranges == [1...10240])
        #expect(payload.annotations.conflicts.map { "\($0.key.value)=\($0.value)@\($0.source?.doc.value ?? "")/\($0.source?.section ?? "")" } == ["range=1-4096@an/2.2.11"])
        let timeout = try #require(spec.command("CMQTTDISC")?.parameter("timeout"))
        #expect(timeout.defaultValue?.value == "0")
        #expect(timeout.annotations.conflicts.contains { $0.key.value == "default" && $0.value == "60" && $0.source?.doc.value == "an" })
        let version = try #require(spec.command("CMQTTACCQ")?.parameter("mqtt_version"))
        #expect(version.annotations.onlyIn.map(\.value) == ["manual"])
    }

    @Test func sim7672xConnectIsTypedFromTheManual() throws {
        let spec = try Self.load("SIM7672X.yaml")
        let connect = try #require(spec.command("CMQTTCONNECT"))
        let write = try #require(connect.forms.first { $0.kind == .write })
        #expect(write.syntax.parsed?.parameterNames == ["client_index", "server_addr", "keepalive_time", "clean_session", "user_name", "pass_word"])
        #expect(write.deferred?.order == .either || write.deferred?.order == .after)
        #expect(write.deferred?.success.map(\.value) == ["0"])
        #expect(connect.parameter("keepalive_time")?.range?.value.ranges == [1...64800])
        #expect(connect.parameter("server_addr")?.format?.scheme == "tcp://")
        #expect(connect.parameter("server_addr")?.format?.defaultPort == 1883)
        #expect(connect.parameter("server_addr")?.length?.value.ranges == [9...256])
        #expect(connect.parameter("pass_word")?.secret == true)
    }

    @Test func sim7672xReceiveURCIsMultiPartWithDeclaredLengths() throws {
        let spec = try Self.load("SIM7672X.yaml")
        let rx = try #require(spec.urcs.first { $0.id == "CMQTTRX" })
        #expect(rx.parts.map(\.role) == ["start", "part", "part", "end"])
        #expect(rx.parts.compactMap(\.dataLength?.value) == ["sub_topic_len", "sub_payload_len"])
        #expect(rx.parts[2].optional && rx.parts[2].repeats && rx.parts[1].repeats)
        #expect(spec.examples.count == 38)
    }

    @Test func sim800PublishMessageIsZeroTo1024Bytes() throws {
        let spec = try Self.load("SIM800.yaml")
        let message = try #require(spec.command("SMPUB")?.parameter("message"))
        #expect(message.length?.value.ranges == [0...1024])
        let keepalive = try #require(spec.command("SMCONF")?.parameter("keepalive"))
        #expect(keepalive.range?.value.ranges == [60...3600])
        #expect(keepalive.defaultValue?.value == "60")
        let tags = spec.command("SMCONF")?.forms.compactMap { $0.syntax.parsed?.leadingQuotedLiteral }
        #expect(tags == ["CID", "URL", "CLIENTID", "KEEPALIVE", "CLEANSS", "USERNAME", "PASSWORD", "TIMEOUT"])
        #expect(spec.examples.map(\.id) == ["standard_mqtt", "azure_iot"])
    }

    @Test func sim800SubscribeResultIsDeferredAfterOK() throws {
        let spec = try Self.load("SIM800.yaml")
        let write = try #require(spec.command("SMSUB")?.forms.first { $0.kind == .write })
        #expect(write.deferred?.syntax.text == "+SMSUB: <packet_id>,<status>")
        #expect(write.deferred?.order == .after)
        let publish = try #require(spec.urcs.first { $0.id == "SMPUBLISH" })
        #expect(publish.parameters.first { $0.name == "message" }?.lengthFrom?.value == "message_len")
    }

    @Test func l610HasItsErrorTableAndSharedPrefixURC() throws {
        let spec = try Self.load("FibocomL610.yaml")
        let table = try #require(spec.errorTables.first { $0.id == "mqtt" })
        #expect(table.codes.map(\.code) == [700, 701, 702, 703, 704])
        #expect(table.codes.first { $0.code == 703 }?.text.contains("Bad user name or password") == true)
        #expect(spec.finalResults.contains { $0.syntax.text == "ERROR: <err>" })
        let close = try #require(spec.urcs.first { $0.id == "MQTTCLOSE" })
        #expect(close.sharesPrefixWith.map(\.value) == ["MQTTCLOSE"])
        #expect(spec.command("MQTTOPEN")?.parameter("keepalive")?.range?.value.ranges == [1...300])
        let publishForms = spec.command("MQTTPUB")?.forms.filter { $0.kind == .write }
        #expect(publishForms?.count == 2)
        #expect(publishForms?.contains { $0.prompt?.encoding == "hex" } == true)
    }

    @Test func everySpecRecordsItsDocuments() throws {
        // Its own, then those of the spec it builds on (which its base items cite).
        let base = try #require(SpecLoader.load(path: TestPaths.spec("ThreeGPP.yaml")).spec).documents.map(\.id)
        #expect(try Self.load("SIM800.yaml").documents.map(\.id) == ["en", "zh"] + base)
        #expect(try Self.load("SIM7672X.yaml").documents.map(\.id) == ["an", "manual"] + base)
        #expect(try Self.load("FibocomL610.yaml").documents.map(\.id) == ["l610"] + base)
    }
}
