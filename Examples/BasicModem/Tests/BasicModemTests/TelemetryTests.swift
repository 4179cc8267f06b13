// TelemetryTests.swift: the same MQTT gateway code against each of the five scripted modules, over a real pseudo-terminal.

import ATModem
import ATMQTT
import ATMQTTSimulation
import ATModules
import Telemetry
import Testing

@Suite("One MQTT gateway on every module", .timeLimit(.minutes(2)))
struct TelemetryTests {
    static let dialects: [(String, @Sendable () -> any MQTTDialect)] = [
        ("SIM7672X", { SIM7672XDialect() }), ("SIM800", { SIM800Dialect() }), ("FibocomL610", { FibocomL610Dialect() }),
        ("QuectelQMT", { QuectelQMTDialect() }), ("SIM7000", { SIM7000Dialect() }),
    ]

    /// Runs the session on `module` against its scripted modem on a pseudo-terminal; returns the report and what the broker got.
    static func session<Module: ATMQTTModule>(_ module: Module.Type, _ dialect: any MQTTDialect) async throws -> (Telemetry.Report, [FakeBroker.Publication], FakeBroker) {
        let terminal = try ATPseudoTerminal()
        let serial = try SerialTransport(path: terminal.path)
        let engine = ATEngine(module: Module.self, transport: serial, configuration: ATEngineConfiguration(latencyAllowance: .seconds(30), runStartGrace: .seconds(30)))
        let modem = ScriptedMQTTModem(transport: terminal, dialect: dialect)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await engine.run() }
            group.addTask {
                let client = Module.mqtt.capabilities.firstClient
                while await modem.broker.subscriptions[client]?.isEmpty ?? true { try await Task.sleep(for: .milliseconds(10)) }
                try await modem.deliver(client: client, topic: Array("gw/gw-1/commands".utf8), payload: Array("reboot".utf8))
            }
            defer { group.cancelAll() }
            let report = try await Telemetry.run(on: engine, host: "broker.test", port: 1883, clientID: "gw-1")
            let publications = await modem.broker.publications
            await serial.close()
            await terminal.close()
            return (report, publications, modem.broker)
        }
    }

    static func run(_ name: String, _ dialect: any MQTTDialect) async throws -> (Telemetry.Report, [FakeBroker.Publication], FakeBroker) {
        let module = try #require(ATModules.module(named: name) as? any ATMQTTModule.Type, "\(name) has no MQTT section")
        return try await session(module, dialect)
    }

    @Test(arguments: dialects.map(\.0))
    func theSameSessionRunsOnEveryModule(_ name: String) async throws {
        let dialect = try #require(Self.dialects.first { $0.0 == name }?.1)
        let (report, publications, broker) = try await Self.run(name, dialect())
        #expect(report.module == name)
        #expect(report.command == "reboot")
        #expect(publications.map { String(decoding: $0.topic, as: UTF8.self) } == ["gw/gw-1/status", "gw/gw-1/readings", "gw/gw-1/replies"])
        #expect(publications.first?.payload == Array("online".utf8))
        #expect(publications.last?.payload == Array("done: reboot".utf8))
        // The frame goes out as bytes wherever a publish form carries bytes; the SIM800 only quotes.
        let frame: [UInt8] = [0x01, 0x22, 0x0D, 0x0A, 0x00, 0xFF, 0x7F]
        if name == "SIM800" {
            #expect(report.readingSentAs == "hex text")
            #expect(publications.dropFirst().first?.payload == Array("1 22 d a 0 ff 7f".utf8))
        } else {
            #expect(report.readingSentAs == "bytes")
            #expect(publications.dropFirst().first?.payload == frame)
        }
        #expect(await broker.connected.isEmpty, "the session disconnects")
    }
}
