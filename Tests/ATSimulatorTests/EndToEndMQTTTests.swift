// EndToEndMQTTTests.swift: the MQTT client over a serial port to at-sim's modem, which speaks to a real broker; mosquitto_sub and mosquitto_pub check the bytes.

import ATModem
import ATMQTT
import ATRuntime
import ATSimulator
import ATSpec
import ATTestSupport
import FibocomL610
import Foundation
import QuectelQMT
import SIM7000
import SIM7672X
import SIM800
import Testing

/// mosquitto_sub and mosquitto_pub: a second client, independent of ours, on the same broker.
final class MosquittoTools: @unchecked Sendable {
    /// A running mosquitto_sub, with what it printed: one `retain|qos|hex payload|topic` line per message.
    final class Subscriber: @unchecked Sendable {
        let process = Process()
        private let lock = NSLock()
        private var output = ""
        let probe: String
        let port: Int

        init(port: Int, topics: [String], qos: Int) throws {
            probe = "probe/\(UUID().uuidString)"
            self.port = port
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["mosquitto_sub", "-h", "127.0.0.1", "-p", String(port), "-q", String(qos), "-F", "%r|%q|%x|%t"] + ([probe] + topics).flatMap { ["-t", $0] }
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = FileHandle.nullDevice
            pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
                let data = handle.availableData
                guard let self, !data.isEmpty else { return }
                lock.withLock { output += String(decoding: data, as: UTF8.self) }
            }
            try process.run()
        }

        deinit { stop() }

        /// Ends it with SIGKILL: a child of the test process inherits its blocked signals, SIGTERM among them.
        func stop() {
            guard process.isRunning else { return }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }

        /// The messages printed so far, probes left out: (retained, qos, payload, topic).
        var messages: [(retained: Bool, qos: Int, payload: [UInt8], topic: String)] {
            lock.withLock { output }.split(separator: "\n").compactMap { line in
                let parts = line.split(separator: "|", maxSplits: 3, omittingEmptySubsequences: false)
                guard parts.count == 4, String(parts[3]) != probe, let qos = Int(parts[1]) else { return nil }
                return (parts[0] == "1", qos, ATHex.decode(String(parts[2])) ?? [], String(parts[3]))
            }
        }

        /// Waits until the subscription is in place: a probe it subscribed to comes back.
        func ready() async throws {
            for _ in 0..<300 {
                try MosquittoTools.publish(port: port, topic: probe, payload: [0x21], qos: 0)
                if lock.withLock({ output.contains("|" + probe) }) { return }
                try await Task.sleep(for: .milliseconds(100))
            }
            Issue.record("mosquitto_sub never subscribed")
        }

        /// Waits for `count` messages.
        func wait(for count: Int) async throws -> [(retained: Bool, qos: Int, payload: [UInt8], topic: String)] {
            for _ in 0..<600 where messages.count < count { try await Task.sleep(for: .milliseconds(50)) }
            return messages
        }
    }

    /// Publishes with mosquitto_pub (the payload from standard input, so any bytes go).
    static func publish(port: Int, topic: String, payload: [UInt8], qos: Int, retain: Bool = false) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["mosquitto_pub", "-h", "127.0.0.1", "-p", String(port), "-t", topic, "-q", String(qos), payload.isEmpty ? "-n" : "-s"] + (retain ? ["-r"] : [])
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        input.fileHandleForWriting.write(Data(payload))
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "mosquitto_pub failed")
    }
}

/// Log lines, gathered from any thread.
final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}

/// What a module's documents let it do, where it matters to the checks.
struct EndToEndExpectations: Sendable {
    /// The module reports a lost connection with a URC.
    var reportsConnectionLoss = true
    /// Any bytes arrive intact (a binary-safe receive path).
    var binaryReceive = true
    /// Any bytes can be published.
    var binaryPublish = true
    /// The documents give the module codes for a refused connection.
    var refusalReported = true
    /// Topics are printable ASCII only.
    var asciiTopics = false
}

/// One module's run: its spec in at-sim on a pseudo-terminal, our client on the serial port.
struct EndToEnd<Module: ATMQTTModule> {
    let specFile: String
    let expectations: EndToEndExpectations

    /// Runs `body` with a client on a fresh modem; returns the modem's log.
    @discardableResult
    func run(port: Int, _ body: (MQTTClient<Module>, SpecModem) async throws -> Void) async throws -> [String] {
        let spec = try #require(SpecLoader.loadComposed(path: PackageRoot.path + "/Specs/\(specFile)").spec)
        // AT_SIM_LOG=1 prints every exchange to standard error too.
        let printing = ProcessInfo.processInfo.environment["AT_SIM_LOG"] != nil
        let lines = LogLines()
        let log: @Sendable (String) -> Void = { line in
            lines.append(line)
            if printing { FileHandle.standardError.write(Data(("at-sim: " + line + "\n").utf8)) }
        }
        let modem = SpecModem(spec: spec, broker: SimulatorBroker(host: "127.0.0.1", port: port), log: log)
        try await PseudoTerminalHarness.run(modem, Module.self) { engine in
            try await body(try MQTTClient(engine: engine), modem)
        }
        return lines.all
    }

    var limit: Int { Module.mqtt.capabilities.maxPayload.value }

    func options(port: Int, username: String? = nil, password: String? = nil) -> MQTTConnectOptions {
        MQTTConnectOptions(host: "127.0.0.1", port: port, clientID: "gw\(UUID().uuidString.prefix(6))", keepAlive: 60, cleanSession: true, username: username, password: password)
    }

    /// The next message, or nil when none comes within 30 s.
    static func next(_ client: MQTTClient<Module>) async -> MQTTMessage? {
        await withTaskGroup(of: MQTTMessage?.self) { group in
            group.addTask {
                var iterator = client.messages.makeAsyncIterator()
                return await iterator.next()
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(30))
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    /// Bytes both ways at QoS 0 and 1, a retained message, the largest payload and a UTF-8 topic.
    func bytesBothWays() async throws {
        let broker = try LocalBroker.shared()
        let root = "e2e/\(Module.self)/\(UUID().uuidString.prefix(8))"
        try await run(port: broker.port) { client, _ in
            try await client.connect(options(port: broker.port))
            #expect(await client.state == .connected)

            // From the broker to the module: QoS 0 and 1, on a UTF-8 topic, then the largest payload.
            let inbound = expectations.asciiTopics ? "\(root)/in/temperature" : "\(root)/ein/température"
            try await client.subscribe([(inbound, 1)])
            let text = Array("21.5 °C".utf8)
            for qos in [0, 1] {
                try MosquittoTools.publish(port: broker.port, topic: inbound, payload: text + [UInt8(ascii: "0") + UInt8(qos)], qos: qos)
                let message = await Self.next(client)
                #expect(message?.topicText == inbound)
                #expect(message?.payload == text + [UInt8(ascii: "0") + UInt8(qos)])
            }
            let large = expectations.binaryReceive ? (0..<limit).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) } : (0..<limit).map { UInt8(ascii: "a") + UInt8($0 % 26) }
            try MosquittoTools.publish(port: broker.port, topic: inbound, payload: large, qos: 1)
            let received = await Self.next(client)
            #expect(received?.payload.count == large.count)
            #expect(received?.payload.elementsEqual(large) == true, "the largest payload, \(limit) bytes, came back different")
            try await client.unsubscribe([inbound])

            // From the module to the broker: QoS 0, 1, retained, and the largest payload.
            let outbound = expectations.asciiTopics ? "\(root)/out/u" : "\(root)/out/ü"
            let watcher = try MosquittoTools.Subscriber(port: broker.port, topics: [outbound], qos: 1)
            defer { watcher.stop() }
            try await watcher.ready()
            try await client.publish(Array("zero".utf8), to: outbound, qos: 0)
            try await client.publish(Array("one".utf8), to: outbound, qos: 1)
            let largest = expectations.binaryPublish ? (0..<limit).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ 1) } : [UInt8](repeating: UInt8(ascii: "z"), count: limit)
            try await client.publish(largest, to: outbound, qos: 1)
            let seen = try await watcher.wait(for: 3)
            #expect(seen.count == 3)
            #expect(seen.map(\.payload).elementsEqual([Array("zero".utf8), Array("one".utf8), largest]), "\(seen.map(\.payload.count)) bytes came")
            #expect(seen.map(\.qos) == [0, 1, 1])
            #expect(seen.allSatisfy { $0.topic == outbound })

            let retainedTopic = "\(root)/state"
            try await client.publish(Array("online".utf8), to: retainedTopic, qos: 1, retain: true)
            let late = try MosquittoTools.Subscriber(port: broker.port, topics: [retainedTopic], qos: 1)
            defer { late.stop() }
            let retained = try await late.wait(for: 1)
            #expect(retained.first?.retained == true)
            #expect(retained.first?.payload == Array("online".utf8))
            try MosquittoTools.publish(port: broker.port, topic: retainedTopic, payload: [], qos: 1, retain: true)
            try await client.disconnect()
            #expect(await client.state == .disconnected)
        }
    }

    /// The broker stopped mid-session: the connection-lost event; restarted: the client connects again.
    func brokerGoesAwayAndComesBack() async throws {
        let broker = try LocalBroker()
        try await run(port: broker.port) { client, _ in
            try await client.connect(options(port: broker.port))
            var events = client.connectionEvents.makeAsyncIterator()
            guard case .connected = await events.next() else {
                Issue.record("no connected event")
                return
            }
            broker.stop()
            if expectations.reportsConnectionLoss {
                guard case .lost(let vendor) = await events.next() else {
                    Issue.record("no connection-lost event")
                    return
                }
                #expect(!vendor.command.isEmpty || vendor.final == nil)
            }
            do throws(MQTTError) {
                try await client.publish("x", to: "t", qos: 1)
                Issue.record("a publish with the broker gone succeeded")
            } catch .notConnected {
            } catch .failed {
            }
            try broker.start()
            try await client.connect(options(port: broker.port))
            #expect(await client.state == .connected)
            try await client.publish("back", to: "t", qos: 1)
            try await client.disconnect()
        }
    }

    /// A wrong password: the broker's refusal, as the module reports it.
    func wrongPasswordIsRefused() async throws {
        let broker = try LocalBroker(users: ["gateway": "s3cr3t-right"])
        let log = try await run(port: broker.port) { client, _ in
            do throws(MQTTError) {
                try await client.connect(options(port: broker.port, username: "gateway", password: "s3cr3t-wrong"))
                Issue.record("a wrong password connected")
            } catch .refused(let refusal, _) {
                #expect([.badCredentials, .notAuthorized].contains(refusal))
            } catch .failed(let operation, _) {
                // A module whose documents give no refusal code answers ERROR.
                #expect(operation == "connect")
                #expect(!expectations.refusalReported)
            }
            try await client.connect(options(port: broker.port, username: "gateway", password: "s3cr3t-right"))
            #expect(await client.state == .connected)
            try await client.disconnect()
        }
        // The log shows the commands with the password redacted.
        #expect(!log.isEmpty)
        #expect(!log.contains { $0.contains("s3cr3t") }, "a password is in at-sim's log")
    }
}

/// The checks, whatever the module.
protocol EndToEndChecks: Sendable {
    func bytesBothWays() async throws
    func brokerGoesAwayAndComesBack() async throws
    func wrongPasswordIsRefused() async throws
}

extension EndToEnd: EndToEndChecks {}

@Suite("at-sim end to end: our MQTT client, the spec's modem, a real broker", .serialized, .timeLimit(.minutes(3)))
struct EndToEndMQTTTests {
    static let modules: [String: any EndToEndChecks] = [
        "SIM7672X": EndToEnd<SIM7672X>(specFile: "SIM7672X.yaml", expectations: EndToEndExpectations()),
        "SIM800": EndToEnd<SIM800>(specFile: "SIM800.yaml", expectations: EndToEndExpectations(reportsConnectionLoss: false, binaryPublish: false, refusalReported: false)),
        "FibocomL610": EndToEnd<FibocomL610>(specFile: "FibocomL610.yaml", expectations: EndToEndExpectations(binaryReceive: false, asciiTopics: true)),
        "QuectelQMT": EndToEnd<QuectelQMT>(specFile: "QuectelQMT.yaml", expectations: EndToEndExpectations()),
        "SIM7000": EndToEnd<SIM7000>(specFile: "SIM7000.yaml", expectations: EndToEndExpectations(binaryPublish: false, refusalReported: false)),
    ]

    @Test("bytes both ways", arguments: ["SIM7672X", "SIM800", "FibocomL610", "QuectelQMT", "SIM7000"])
    func bytesBothWays(_ module: String) async throws {
        try await #require(Self.modules[module]).bytesBothWays()
    }

    @Test("broker stopped and restarted", arguments: ["SIM7672X", "SIM800", "FibocomL610", "QuectelQMT", "SIM7000"])
    func brokerGoesAwayAndComesBack(_ module: String) async throws {
        try await #require(Self.modules[module]).brokerGoesAwayAndComesBack()
    }

    @Test("a wrong password", arguments: ["SIM7672X", "SIM800", "FibocomL610", "QuectelQMT", "SIM7000"])
    func wrongPasswordIsRefused(_ module: String) async throws {
        try await #require(Self.modules[module]).wrongPasswordIsRefused()
    }
}
