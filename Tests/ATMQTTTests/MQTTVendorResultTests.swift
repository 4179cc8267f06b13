// MQTTVendorResultTests.swift: a failure keeps the module's own typed result and the manual's meaning.

import ATModem
import ATMQTT
import ATMQTTSimulation
import ATRuntime
import FibocomL610
import QuectelQMT
import SIM7672X
import SIM800
import Testing
import ThreeGPP

@Suite("MQTT errors carry the vendor's result", .timeLimit(.minutes(1)))
struct MQTTVendorResultTests {
    /// Connects with a wrong password to `Module`'s scripted modem and returns the error.
    static func refusal<Module: ATMQTTModule>(_ module: Module.Type, _ dialect: any MQTTDialect) async throws -> MQTTError? {
        let (host, device) = InMemoryTransport.pair()
        let modem = ScriptedMQTTModem(transport: device, dialect: dialect)
        await modem.broker.require(username: "gateway", password: "right")
        let engine = ATEngine(module: Module.self, transport: host, configuration: ATEngineConfiguration(latencyAllowance: .seconds(30), runStartGrace: .seconds(30)))
        let runner = Task { try await engine.run() }
        defer { runner.cancel() }
        let client = try MQTTClient(engine: engine)
        do {
            try await client.connect(MQTTConnectOptions(host: "broker.test", clientID: "gw", username: "gateway", password: "wrong"))
            return nil
        } catch {
            return error
        }
    }

    @Test func aSIM7672XRefusalKeepsItsTypedResultLine() async throws {
        guard case .refused(.badCredentials, let vendor) = try await Self.refusal(SIM7672X.self, SIM7672XDialect()) else {
            Issue.record("no refusal")
            return
        }
        let response = try #require(vendor.typed as? SIM7672X.Connect.WriteResponse)
        #expect(response.result?.resultCode == .connectionRefusedBadUserNameOrPassword)
        #expect(vendor.codes == [MQTTVendorCode(key: "err", value: 30, meaning: "connection refused: bad user name or password")])
        #expect(vendor.command.hasPrefix("AT+CMQTTCONNECT=0,\"tcp://broker.test:1883\",60,1,\"gateway\","))
        #expect(!vendor.command.contains("wrong"), "the password is redacted: \(vendor.command)")
    }

    @Test func anL610RefusalKeepsItsTypedFinalResult() async throws {
        guard case .refused(.badCredentials, let vendor) = try await Self.refusal(FibocomL610.self, FibocomL610Dialect()) else {
            Issue.record("no refusal")
            return
        }
        let final = try #require(vendor.typedFinal as? FibocomL610.FinalResult)
        #expect(final == .mqttError(err: .badUserNameOrPassword))
        #expect(vendor.codes.contains(MQTTVendorCode(key: "mqtt", isTable: true, value: 703, meaning: "Bad user name or password")))
        #expect(vendor.final == "ERROR: 703: Bad user name or password")
    }

    @Test func aQuectelRefusalKeepsItsConnackCode() async throws {
        guard case .refused(.badCredentials, let vendor) = try await Self.refusal(QuectelQMT.self, QuectelQMTDialect()) else {
            Issue.record("no refusal")
            return
        }
        #expect(vendor.codes.contains { $0.key == "ret_code" && $0.value == 4 && $0.meaning != nil })
        #expect(vendor.typed is QuectelQMT.Connect.WriteResponse)
    }

    @Test func finalResultsReportTheirErrorTableCode() {
        #expect(ThreeGPP.FinalResult.cmeError(err: .simNotInserted).errorCode == ATErrorCode(table: "cme", code: 10, text: "SIM not inserted"))
        #expect(FibocomL610.FinalResult.base(.cmeError(err: .simNotInserted)).errorCode?.code == 10)
        #expect(FibocomL610.FinalResult.mqttError(err: .notAuthorized).errorCode == ATErrorCode(table: "mqtt", code: 704, text: "Not authorized"))
        #expect(ThreeGPP.FinalResult.ok.errorCode == nil)
        #expect(SIM7672X.FinalResult.base(.error).errorCode == nil)
    }
}

@Suite("Buffered messages are read without the caller knowing", .timeLimit(.minutes(1)))
struct MQTTBufferedReadTests {
    @Test func aQuectelInBufferModeAnnouncesAndTheClientReads() async throws {
        let (host, device) = InMemoryTransport.pair()
        let modem = ScriptedMQTTModem(transport: device, dialect: QuectelQMTDialect(buffers: true))
        let engine = ATEngine(module: QuectelQMT.self, transport: host, configuration: ATEngineConfiguration(latencyAllowance: .seconds(30), runStartGrace: .seconds(30)))
        let runner = Task { try await engine.run() }
        defer { runner.cancel() }
        let client = try MQTTClient(engine: engine)
        try await client.connect(MQTTConnectOptions(host: "broker.test", clientID: "gw"))
        try await client.subscribe("in", qos: 1)
        let payloads = [Array("first".utf8), (0...255).map { UInt8($0) }]
        for payload in payloads { try await modem.deliver(client: 0, topic: Array("in".utf8), payload: payload) }
        var received: [[UInt8]] = []
        for await message in client.messages {
            #expect(message.topicText == "in")
            received.append(message.payload)
            if received.count == payloads.count { break }
        }
        #expect(received == payloads)
        // Each announcement was read with its receive slot.
        #expect(await modem.io.commands.filter { $0.hasPrefix("AT+QMTRECV=") } == ["AT+QMTRECV=0,0", "AT+QMTRECV=0,1"])
    }
}

@Suite("The client's operations", .timeLimit(.minutes(1)))
struct MQTTClientOperationTests {
    @Test func concurrentPublishesOnOneSlotDoNotInterleaveTheirSteps() async throws {
        let (host, device) = InMemoryTransport.pair()
        let modem = ScriptedMQTTModem(transport: device, dialect: SIM7672XDialect())
        let engine = ATEngine(module: SIM7672X.self, transport: host, configuration: ATEngineConfiguration(latencyAllowance: .seconds(30), runStartGrace: .seconds(30)))
        let runner = Task { try await engine.run() }
        defer { runner.cancel() }
        let client = try MQTTClient(engine: engine)
        try await client.connect(MQTTConnectOptions(host: "broker.test", clientID: "gw"))
        // Each publish is three commands (topic, payload, publish); twelve at once.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<12 {
                group.addTask { try await client.publish("payload \(index)", to: "topic/\(index)", qos: 1) }
            }
            try await group.waitForAll()
        }
        let publications = await modem.broker.publications
        #expect(publications.count == 12)
        #expect(Set(publications.map { String(decoding: $0.topic, as: UTF8.self) }) == Set((0..<12).map { "topic/\($0)" }))
        for publication in publications {
            let topic = String(decoding: publication.topic, as: UTF8.self)
            #expect("topic/" + String(decoding: publication.payload, as: UTF8.self).dropFirst("payload ".count) == topic)
        }
    }

    @Test func theStreamsEndWhenTheEngineStops() async throws {
        let (host, device) = InMemoryTransport.pair()
        let modem = ScriptedMQTTModem(transport: device, dialect: SIM800Dialect())
        let engine = ATEngine(module: SIM800.self, transport: host, configuration: ATEngineConfiguration(latencyAllowance: .seconds(30), runStartGrace: .seconds(30)))
        let runner = Task { try await engine.run() }
        let client = try MQTTClient(engine: engine)
        try await client.connect(MQTTConnectOptions(host: "broker.test", clientID: "gw"))
        var events = client.connectionEvents.makeAsyncIterator()
        guard case .connected = await events.next() else {
            Issue.record("no connected event")
            return
        }
        await host.close()
        _ = await runner.result
        guard case .lost = await events.next() else {
            Issue.record("no lost event when the engine stopped")
            return
        }
        #expect(await events.next() == nil)
        var messages = client.messages.makeAsyncIterator()
        #expect(await messages.next() == nil)
        #expect(await client.state == .disconnected)
        #expect(await modem.broker.connected == [0], "the modem saw the connection; the host went away")
    }
}
