// SpecModemTests.swift: the virtual modem answers as its spec and the documents' examples say, over a real pseudo-terminal.

import ATModem
import ATRuntime
import ATSimulator
import ATSpec
import ATTestSupport
import SIM7672X
import Foundation
import Testing

@Suite("at-sim: a modem from its spec", .timeLimit(.minutes(1)))
struct SpecModemTests {
    static func withModem<Result: Sendable>(broker: SimulatorBroker = SimulatorBroker(), _ body: (ATEngine<SIM7672X>) async throws -> Result) async throws -> Result {
        let loaded = SpecLoader.loadComposed(path: PackageRoot.path + "/Specs/SIM7672X.yaml")
        let spec = try #require(loaded.spec)
        let modem = SpecModem(spec: spec, broker: broker)
        return try await PseudoTerminalHarness.run(modem, SIM7672X.self, body)
    }

    @Test func aCommandIsAnsweredAsTheDocumentsExampleShows() async throws {
        let answer = try await Self.withModem { engine in
            try await engine.send(raw: "AT+CMQTTSTART")
        }
        #expect(answer.final.isSuccess)
        // SIM7672X an 3.1: OK, then +CMQTTSTART: 0.
        #expect(answer.texts == ["+CMQTTSTART: 0"])
    }

    @Test func parametersOutsideTheSpecAndUnknownLinesGetError() async throws {
        try await Self.withModem { engine in
            for line in ["AT+CMQTTACCQ=5,\"client\"", "AT+CMQTTCONNECT=0,\"tcp://h:1\",0,1", "AT+NOSUCH=1"] {
                do {
                    _ = try await engine.send(raw: line)
                    Issue.record("\(line) was accepted")
                } catch {
                    guard case .failed(_, let result, _) = error as? ATCommandError<SIM7672X.FinalResult> else {
                        Issue.record("\(line): \(error)")
                        continue
                    }
                    #expect(result == .base(.error))
                }
            }
            // an 2.2.1: before AT+CMQTTSTART, the other MQTT commands return ERROR.
            await #expect(throws: ATCommandError<SIM7672X.FinalResult>.self) { try await engine.send(raw: "AT+CMQTTACCQ=0,\"client\"") }
            _ = try await engine.send(raw: "AT+CMQTTSTART")
            let accepted = try await engine.send(raw: "AT+CMQTTACCQ=0,\"client\"")
            #expect(accepted.final.isSuccess)
        }
    }

    @Test func typedRequestsGetTheirTypedAnswersAndEchoFollowsATE() async throws {
        let broker = try LocalBroker.shared()
        defer { withExtendedLifetime(broker) {} }
        try await Self.withModem(broker: SimulatorBroker(host: "127.0.0.1", port: broker.port)) { engine in
            _ = try await engine.send(raw: "ATE0")
            _ = try await engine.send(raw: "AT+CMQTTSTART")
            _ = try await engine.send(try SIM7672X.AcquireClient.Write(clientIndex: 0, clientID: "typed"))
            // The prompt takes the declared five bytes; the answer is the document's.
            _ = try await engine.send(SIM7672X.SetPublishTopic.Write(clientIndex: 0, topic: Array("a/b/c".utf8)))
            let connected = try await engine.send(try SIM7672X.Connect.Write(clientIndex: 0, serverAddress: "tcp://broker.test:1883", keepAliveTime: 60, cleanSession: true))
            #expect(connected.result?.resultCode == .operationSucceeded)
            _ = try await engine.send(raw: "ATE1")
            let started = try await engine.send(raw: "AT+CMQTTSTART")
            #expect(started.final.isSuccess)
        }
    }

    @Test func aHostReachesTheModemOverTCPAsOverAPseudoTerminal() async throws {
        let spec = try #require(SpecLoader.loadComposed(path: PackageRoot.path + "/Specs/SIM7672X.yaml").spec)
        let modem = SpecModem(spec: spec)
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        let serving = Task {
            let connection = try await listener.accept()
            try await modem.serve(connection)
        }
        defer {
            serving.cancel()
            listener.close()
        }
        let transport = try await TCPTransport.connect(host: "127.0.0.1", port: listener.port)
        let engine = ATEngine(module: SIM7672X.self, transport: transport, configuration: ATEngineConfiguration(latencyAllowance: .seconds(30), runStartGrace: .seconds(30)))
        let running = Task { try await engine.run() }
        defer { running.cancel() }
        let answer = try await engine.send(raw: "AT+CMQTTSTART")
        #expect(answer.texts == ["+CMQTTSTART: 0"])
        await transport.close()
    }
}

@Suite("at-sim: what real firmware does, on request", .timeLimit(.minutes(1)))
struct SimulatorBehaviourTests {
    /// What the modem sent so far.
    actor Collected {
        var bytes: [UInt8] = []
        func add(_ chunk: [UInt8]) { bytes += chunk }
        var text: String { String(decoding: bytes, as: UTF8.self) }
    }

    /// Sends `input` to a modem with `behaviour` and returns what it sent back once `done` holds
    /// for it (or after 20 s, which fails the expectations that follow).
    static func exchange(_ behaviour: SimulatorBehaviour, broker: SimulatorBroker = SimulatorBroker(), _ input: [UInt8], until done: @escaping @Sendable (String) -> Bool) async throws -> String {
        let spec = try #require(SpecLoader.loadComposed(path: PackageRoot.path + "/Specs/SIM7672X.yaml").spec)
        let modem = SpecModem(spec: spec, behaviour: behaviour, broker: broker)
        let (host, device) = InMemoryTransport.pair()
        let serving = Task { try await modem.serve(device) }
        let collected = Collected()
        let reading = Task {
            while let chunk = try await host.receive() { await collected.add(chunk) }
        }
        defer {
            serving.cancel()
            reading.cancel()
        }
        try await host.send(input)
        for _ in 0..<2000 where !done(await collected.text) { try await Task.sleep(for: .milliseconds(10)) }
        await host.close()
        return await collected.text
    }

    @Test func theDeferredResultGoesBeforeOrAfterTheFinalResultAsAsked() async throws {
        let local = try LocalBroker.shared()
        defer { withExtendedLifetime(local) {} }
        let broker = SimulatorBroker(host: "127.0.0.1", port: local.port)
        let connect = "AT+CMQTTCONNECT=0,\"tcp://broker.test:1883\",60,1"
        let input = Array(("AT+CMQTTSTART\rAT+CMQTTACCQ=0,\"order\"\r" + connect + "\r").utf8)
        var behaviour = SimulatorBehaviour()
        behaviour.resultOrder = .before
        let before = try await Self.exchange(behaviour, broker: broker, input) { $0.contains("+CMQTTCONNECT: 0,0") && $0.hasSuffix("OK\r\n") }
        let connectBefore = try #require(before.range(of: connect))
        let deferred = try #require(before.range(of: "+CMQTTCONNECT: 0,0"))
        let ok = try #require(before.range(of: "\r\nOK\r\n", range: connectBefore.upperBound..<before.endIndex))
        #expect(deferred.lowerBound < ok.lowerBound, "\(before)")
        behaviour.resultOrder = .after
        let after = try await Self.exchange(behaviour, broker: broker, input) { $0.contains("+CMQTTCONNECT: 0,0") }
        let connectAfter = try #require(after.range(of: connect))
        let okAfter = try #require(after.range(of: "\r\nOK\r\n", range: connectAfter.upperBound..<after.endIndex))
        #expect(okAfter.lowerBound < (try #require(after.range(of: "+CMQTTCONNECT: 0,0"))).lowerBound, "\(after)")
    }

    @Test func lineEndingsDataEchoAndARebootBanner() async throws {
        var behaviour = SimulatorBehaviour()
        behaviour.lineEnding = [0x0A]
        behaviour.dataEcho = true
        behaviour.rebootAfter = 3
        let text = try await Self.exchange(behaviour, Array("ATE0\rAT+CMQTTSTART\rAT+CMQTTTOPIC=0,5\ra/b/c".utf8)) { $0.hasSuffix("RDY\n") }
        #expect(text.contains("\nOK\n") && !text.contains("OK\r"), "answers end in LF only: \(text.debugDescription)")
        #expect(text.contains("\na/b/c\n"), "the data is echoed on a line of its own: \(text.debugDescription)")
        #expect(text.hasSuffix("\nRDY\n"), "the module rebooted after three commands: \(text.debugDescription)")
    }

    @Test func urcNoiseComesFromTheSpecsExamples() async throws {
        var behaviour = SimulatorBehaviour()
        behaviour.urcNoise = true
        let text = try await Self.exchange(behaviour, Array("AT+CMQTTSTART\r".utf8)) { $0.contains("+CMQTTSTART: 0") }
        // A URC line the documents print, between the echo and the answer.
        let echo = try #require(text.range(of: "AT+CMQTTSTART\r"))
        let ok = try #require(text.range(of: "\r\nOK\r\n"))
        let between = String(text[echo.upperBound..<ok.lowerBound]).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(between.hasPrefix("+"), "\(text.debugDescription)")
    }

    @Test func aRebootDropsTheBrokerConnectionSoTheBrokerPublishesTheWill() async throws {
        let broker = try LocalBroker.shared()
        defer { withExtendedLifetime(broker) {} }
        let topic = "will/\(UUID().uuidString.prefix(8))"
        let watcher = try MosquittoTools.Subscriber(port: broker.port, topics: [topic], qos: 1)
        defer { watcher.stop() }
        try await watcher.ready()
        var behaviour = SimulatorBehaviour()
        behaviour.rebootAfter = 5
        let input = "AT+CMQTTSTART\rAT+CMQTTACCQ=0,\"will-test\"\rAT+CMQTTWILLTOPIC=0,\(topic.utf8.count)\r\(topic)"
            + "AT+CMQTTWILLMSG=0,4,1\rgoneAT+CMQTTCONNECT=0,\"tcp://broker.example:1883\",60,1\r"
        let text = try await Self.exchange(behaviour, broker: SimulatorBroker(host: "127.0.0.1", port: broker.port), Array(input.utf8)) { $0.hasSuffix("RDY\r\n") }
        #expect(text.contains("+CMQTTCONNECT: 0,0"), "\(text.debugDescription)")
        let seen = try await watcher.wait(for: 1)
        #expect(seen.first?.payload == Array("gone".utf8), "the broker published the will when the module rebooted")
        #expect(seen.first?.topic == topic)
    }
}
