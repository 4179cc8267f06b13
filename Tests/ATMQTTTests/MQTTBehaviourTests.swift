// MQTTBehaviourTests.swift: one behaviour suite, run unchanged against every module whose spec maps the MQTT client API.

import ATModem
import ATMQTT
import ATMQTTSimulation
import ATRuntime
import FibocomL610
import Foundation
import QuectelQMT
import SIM7000
import SIM7672X
import SIM800
import Testing

/// A module under test: its generated conformance, its scripted modem, and what its documents say it reports.
struct ModuleCase: Sendable, CustomTestStringConvertible {
    let name: String
    /// The module reports a lost connection with a URC.
    let reportsConnectionLoss: Bool
    /// What a wrong password gives: the refusal, or nil where the module answers a bare ERROR.
    let refusal: MQTTRefusal?
    /// The documents allow printable ASCII topics only (the L610's <topic>, l610 1.5.4).
    var asciiTopics = false
    /// The module frames a received message of any bytes (not the L610: its AT+MQTTREAD line
    /// is framed by lengths on the line before it, which the decoder does not read).
    var receivesBinary = true
    /// Runs one scenario against the module.
    let run: @Sendable (Scenario) async throws -> Void

    var testDescription: String { name }

    static func make<Module: ATMQTTModule>(
        _ module: Module.Type, dialect: @escaping @Sendable () -> any MQTTDialect, reportsConnectionLoss: Bool, refusal: MQTTRefusal?, asciiTopics: Bool = false,
        receivesBinary: Bool = true
    ) -> ModuleCase {
        let expectations = ModuleCase(name: "\(module)", reportsConnectionLoss: reportsConnectionLoss, refusal: refusal, asciiTopics: asciiTopics, receivesBinary: receivesBinary) { _ in }
        return ModuleCase(name: "\(module)", reportsConnectionLoss: reportsConnectionLoss, refusal: refusal, asciiTopics: asciiTopics, receivesBinary: receivesBinary) { scenario in
            try await Behaviour<Module>(dialect: dialect(), expectations: expectations).run(scenario)
        }
    }

    static let all: [ModuleCase] = [
        .make(SIM7672X.self, dialect: { SIM7672XDialect() }, reportsConnectionLoss: true, refusal: .badCredentials),
        .make(SIM800.self, dialect: { SIM800Dialect() }, reportsConnectionLoss: false, refusal: nil),
        .make(FibocomL610.self, dialect: { FibocomL610Dialect() }, reportsConnectionLoss: true, refusal: .badCredentials, asciiTopics: true, receivesBinary: false),
        .make(QuectelQMT.self, dialect: { QuectelQMTDialect() }, reportsConnectionLoss: true, refusal: .badCredentials),
        .make(SIM7000.self, dialect: { SIM7000Dialect() }, reportsConnectionLoss: true, refusal: nil),
    ]
}

enum Scenario: Sendable {
    case connectSubscribeReceive, publishQoS, payloadLimits, binaryPayloads, messageDuringPrompt, connectionLostDuringPublish, wrongCredentials, disconnect, unsupported
    case willAndTLS, severalClients
}

/// The scenarios, written once for every module.
struct Behaviour<Module: ATMQTTModule> {
    let dialect: any MQTTDialect
    let expectations: ModuleCase

    static var options: MQTTConnectOptions { MQTTConnectOptions(host: "broker.test", port: 1883, clientID: "gateway-7", keepAlive: 60, cleanSession: true) }

    func run(_ scenario: Scenario) async throws {
        let (host, device) = InMemoryTransport.pair()
        let modem = ScriptedMQTTModem(transport: device, dialect: dialect)
        let engine = ATEngine(module: Module.self, transport: host, configuration: ATEngineConfiguration(latencyAllowance: .seconds(60), runStartGrace: .seconds(30)))
        let runner = Task { try await engine.run() }
        defer { runner.cancel() }
        // Everything the scripted modem sends is a line of its module's spec: nothing arrives
        // that the spec does not describe, or that no command was waiting for.
        let others = await engine.listen { event in
            if case .urc = event { false } else { true }
        }
        let collector = Task {
            var events: [String] = []
            for await event in others { events.append("\(event)") }
            return events
        }
        let client = try MQTTClient(engine: engine)
        try await body(scenario, client, modem, engine)
        await host.close()
        runner.cancel()
        let unexpected = await collector.value
        #expect(unexpected.isEmpty, "the scripted \(Module.self) sent what its spec does not describe: \(unexpected)")
    }

    var capabilities: MQTTCapabilities { Module.mqtt.capabilities }
    var firstClient: Int { capabilities.firstClient }

    func connected(_ client: MQTTClient<Module>, _ modem: ScriptedMQTTModem) async throws {
        try await client.connect(Self.options)
        #expect(await client.state == .connected)
        #expect(await modem.broker.connected.contains(firstClient))
    }

    func next(_ client: MQTTClient<Module>) async -> MQTTMessage? {
        var iterator = client.messages.makeAsyncIterator()
        return await iterator.next()
    }

    func body(_ scenario: Scenario, _ client: MQTTClient<Module>, _ modem: ScriptedMQTTModem, _ engine: ATEngine<Module>) async throws {
        switch scenario {
        case .connectSubscribeReceive:
            try await connected(client, modem)
            var topics = ["home/living room/temperature", "maison/séjour/température", "plain"]
            if expectations.asciiTopics {
                let sent = await modem.io.commands.count
                do {
                    try await client.subscribe(topics[1], qos: 1)
                    Issue.record("a UTF-8 topic went to a module that takes printable ASCII")
                } catch .unsupported(let what, _, let source) {
                    #expect(what.contains("topic"))
                    #expect(source.contains("<topic>"))
                }
                #expect(await modem.io.commands.count == sent)
                topics.remove(at: 1)
            }
            try await client.subscribe(topics.map { ($0, 1) })
            #expect(await modem.broker.subscriptions[firstClient] == topics)
            for topic in topics {
                try await modem.deliver(client: firstClient, topic: Array(topic.utf8), payload: Array("21.5 °C".utf8))
                let message = await next(client)
                #expect(message?.topicText == topic)
                #expect(message?.payload == Array("21.5 °C".utf8))
            }
            try await client.unsubscribe([topics[0]])
            #expect(await modem.broker.subscriptions[firstClient] == Array(topics.dropFirst()))

        case .publishQoS:
            try await connected(client, modem)
            try await client.publish("on", to: "lights/kitchen", qos: 0)
            try await client.publish("off", to: "lights/kitchen", qos: 1, retain: true)
            let publications = await modem.broker.publications
            #expect(publications.map(\.payload) == [Array("on".utf8), Array("off".utf8)])
            #expect(publications.map(\.qos) == [0, 1])
            #expect(publications.map(\.retain) == [false, true])
            #expect(publications.allSatisfy { $0.topic == Array("lights/kitchen".utf8) })

        case .payloadLimits:
            try await connected(client, modem)
            let limit = capabilities.maxPayload
            let largest = [UInt8](repeating: UInt8(ascii: "a"), count: limit.value)
            try await client.publish(largest, to: "bulk", qos: 1)
            #expect(await modem.broker.publications.last?.payload == largest)
            let sent = await modem.io.commands.count
            do {
                try await client.publish(largest + [UInt8(ascii: "a")], to: "bulk", qos: 1)
                Issue.record("a payload one byte over the limit was published")
            } catch .tooLarge(let what, let length, let reported) {
                #expect(what == "payload")
                #expect(length == limit.value + 1)
                #expect(reported == limit)
                #expect(!reported.source.isEmpty)
            }
            #expect(await modem.io.commands.count == sent, "nothing is sent for a payload over the limit")
            if let topicLimit = capabilities.maxTopic {
                do {
                    try await client.publish("x", to: String(repeating: "t", count: topicLimit.value + 1))
                    Issue.record("a topic over the limit was published")
                } catch .tooLarge(let what, _, let reported) {
                    #expect(what == "topic")
                    #expect(reported == topicLimit)
                }
            }

        case .binaryPayloads:
            try await connected(client, modem)
            let bytes = (0...255).map { UInt8($0) }
            let sent = await modem.io.commands.count
            do {
                try await client.publish(bytes, to: "raw", qos: 1)
                #expect(await modem.broker.publications.last?.payload == bytes)
            } catch .unsupported(let what, let module, let source) {
                // Only a module whose every publish form quotes the payload refuses, before sending.
                #expect(module == capabilities.module)
                #expect(what.contains("payload"))
                #expect(source.contains("<"))
                #expect(await modem.io.commands.count == sent)
                #expect(expectations.name == "SIM800")
            }
            try await client.subscribe("raw", qos: 0)
            let received = expectations.receivesBinary ? bytes : Array("printable only".utf8)
            try await modem.deliver(client: firstClient, topic: Array("raw".utf8), payload: received)
            #expect(await next(client)?.payload == received)

        case .messageDuringPrompt:
            try await connected(client, modem)
            try await client.subscribe("inbox", qos: 1)
            await modem.io.injectAtNextPrompt(modem.dialect.message(client: firstClient, topic: Array("inbox".utf8), payload: Array("hello".utf8)))
            try await client.publish(Array("report".utf8), to: "outbox", qos: 1)
            #expect(await modem.broker.publications.last?.payload == Array("report".utf8))
            let message = await next(client)
            #expect(message?.topicText == "inbox")
            #expect(message?.payload == Array("hello".utf8))

        case .connectionLostDuringPublish:
            try await connected(client, modem)
            var events = client.connectionEvents.makeAsyncIterator()
            guard case .connected = await events.next() else {
                Issue.record("no connected event")
                return
            }
            await modem.broker.dropNextPublish()
            do {
                try await client.publish("x", to: "t", qos: 1)
                Issue.record("a publish on a lost connection succeeded")
            } catch .notConnected(let vendor) {
                #expect(vendor != nil, "the module's answer is kept")
            } catch .failed(let operation, let vendor) {
                #expect(operation == "publish")
                #expect(!vendor.command.isEmpty)
            }
            if expectations.reportsConnectionLoss {
                guard case .lost(let vendor) = await events.next() else {
                    Issue.record("no connection-lost event")
                    return
                }
                #expect(!vendor.command.isEmpty)
                #expect(await client.state == .disconnected)
                let sent = await modem.io.commands.count
                do {
                    try await client.publish("y", to: "t")
                    Issue.record("published while disconnected")
                } catch .notConnected(let vendor) {
                    #expect(vendor == nil)
                }
                #expect(await modem.io.commands.count == sent)
                // The broker comes back: the same client connects again.
                try await connected(client, modem)
            }

        case .wrongCredentials:
            await modem.broker.require(username: "gateway", password: "right")
            var options = Self.options
            options.username = "gateway"
            options.password = "wrong"
            do {
                try await client.connect(options)
                Issue.record("a wrong password connected")
            } catch .refused(let refusal, let vendor) {
                #expect(refusal == expectations.refusal)
                #expect(vendor.codes.contains { $0.meaning?.lowercased().contains("user name or password") == true })
                #expect(!vendor.description.contains("wrong"), "the password is not shown: \(vendor)")
            } catch .failed(let operation, let vendor) {
                #expect(expectations.refusal == nil, "expected a refusal, got \(vendor)")
                #expect(operation == "connect")
                #expect(vendor.final == "ERROR")
            }
            #expect(await client.state == .disconnected)
            options.password = "right"
            try await client.connect(options)
            #expect(await client.state == .connected)

        case .disconnect:
            try await connected(client, modem)
            try await client.disconnect()
            #expect(await client.state == .disconnected)
            #expect(await !modem.broker.connected.contains(firstClient))
            do {
                try await client.publish("late", to: "t")
                Issue.record("published after disconnect")
            } catch .notConnected(let vendor) {
                #expect(vendor == nil)
            }

        case .willAndTLS:
            var options = Self.options
            options.will = .init(topic: "gw/status", payload: Array("offline".utf8), qos: 1, retain: capabilities.retain.supported)
            if capabilities.will.supported {
                try await client.connect(options)
                #expect(await modem.broker.wills[firstClient] == Array("offline".utf8))
                try await client.disconnect()
            }
            options.will = nil
            // The MQTT version, where the module lets the caller choose it.
            options.version = .v3_1_1
            let before = await modem.io.commands.count
            do {
                try await client.connect(options)
                #expect(capabilities.versions.contains(4))
                try await client.disconnect()
            } catch .unsupported(let what, _, _) {
                #expect(capabilities.versions.isEmpty)
                #expect(what.contains("MQTT protocol level 4"))
                #expect(await modem.io.commands.count == before)
            }
            options.version = nil
            options.tls = true
            let sent = await modem.io.commands.count
            do {
                try await client.connect(options)
                #expect(capabilities.tls.supported)
                #expect(await client.state == .connected)
            } catch .unsupported(let what, let module, let source) {
                #expect(!capabilities.tls.supported)
                #expect(what == "TLS")
                #expect(module == capabilities.module)
                #expect(source == capabilities.tls.source)
                #expect(await modem.io.commands.count == sent)
            }

        case .severalClients:
            guard capabilities.clients.value >= 2 else {
                do {
                    _ = try MQTTClient(engine: engine, slot: 1)
                    Issue.record("a second slot on a one-client module")
                } catch .unsupported(_, _, let source) {
                    #expect(source == capabilities.clients.source)
                }
                return
            }
            let second = try MQTTClient(engine: engine, slot: 1)
            var options = Self.options
            try await client.connect(options)
            options.clientID = "gateway-8"
            try await second.connect(options)
            #expect(await modem.broker.connected == [firstClient, firstClient + 1])
            try await client.subscribe("a", qos: 1)
            try await second.subscribe("b", qos: 1)
            #expect(await modem.broker.subscriptions[firstClient] == ["a"])
            #expect(await modem.broker.subscriptions[firstClient + 1] == ["b"])
            // Each client gets the messages of its own slot only.
            try await modem.deliver(client: firstClient + 1, topic: Array("b".utf8), payload: Array("to the second".utf8))
            try await modem.deliver(client: firstClient, topic: Array("a".utf8), payload: Array("to the first".utf8))
            #expect(await next(client)?.payload == Array("to the first".utf8))
            #expect(await next(second)?.payload == Array("to the second".utf8))
            try await second.publish("from the second", to: "b", qos: 1)
            #expect(await modem.broker.publications.last?.client == firstClient + 1)
            try await second.disconnect()
            #expect(await client.state == .connected)
            #expect(await modem.broker.connected == [firstClient])

        case .unsupported:
            var sent = await modem.io.commands.count
            if !capabilities.will.supported {
                var options = Self.options
                options.will = .init(topic: "status", payload: Array("gone".utf8))
                do {
                    try await client.connect(options)
                    Issue.record("a will was accepted by a module without one")
                } catch .unsupported(_, let module, let source) {
                    #expect(module == capabilities.module)
                    #expect(source == capabilities.will.source)
                }
            }
            #expect(await modem.io.commands.count == sent)
            try await connected(client, modem)
            sent = await modem.io.commands.count
            for qos in 0...3 where !capabilities.qos.contains(qos) {
                do {
                    try await client.publish("x", to: "t", qos: qos)
                    Issue.record("QoS \(qos) was accepted")
                } catch .unsupported(let what, _, let source) {
                    #expect(what.contains("QoS \(qos)"))
                    #expect(source == capabilities.qosSource)
                }
            }
            do {
                _ = try MQTTClient(engine: ATEngine(module: Module.self, transport: InMemoryTransport.pair().0), slot: capabilities.clients.value)
                Issue.record("a slot past the module's clients was accepted")
            } catch .unsupported(_, _, let source) {
                #expect(source == capabilities.clients.source)
            }
            #expect(await modem.io.commands.count == sent, "nothing is sent for what the module cannot do")
        }
    }
}

@Suite(.timeLimit(.minutes(2)))
struct MQTTBehaviourTests {
    @Test(arguments: ModuleCase.all)
    func connectSubscribeAndReceive(_ module: ModuleCase) async throws { try await module.run(.connectSubscribeReceive) }

    @Test(arguments: ModuleCase.all)
    func publishAtQoS0And1(_ module: ModuleCase) async throws { try await module.run(.publishQoS) }

    @Test(arguments: ModuleCase.all)
    func payloadAtTheLimitAndOneByteOver(_ module: ModuleCase) async throws { try await module.run(.payloadLimits) }

    @Test(arguments: ModuleCase.all)
    func binaryPayloads(_ module: ModuleCase) async throws { try await module.run(.binaryPayloads) }

    @Test(arguments: ModuleCase.all)
    func messageArrivingDuringAPublishPrompt(_ module: ModuleCase) async throws { try await module.run(.messageDuringPrompt) }

    @Test(arguments: ModuleCase.all)
    func connectionLostDuringAPublish(_ module: ModuleCase) async throws { try await module.run(.connectionLostDuringPublish) }

    @Test(arguments: ModuleCase.all)
    func wrongCredentials(_ module: ModuleCase) async throws { try await module.run(.wrongCredentials) }

    @Test(arguments: ModuleCase.all)
    func disconnect(_ module: ModuleCase) async throws { try await module.run(.disconnect) }

    @Test(arguments: ModuleCase.all)
    func willAndTLSWhereTheModuleHasThem(_ module: ModuleCase) async throws { try await module.run(.willAndTLS) }

    @Test(arguments: ModuleCase.all)
    func severalClientsOnTheirOwnSlots(_ module: ModuleCase) async throws { try await module.run(.severalClients) }

    @Test(arguments: ModuleCase.all)
    func whatTheModuleCannotDoFailsBeforeSending(_ module: ModuleCase) async throws { try await module.run(.unsupported) }
}
