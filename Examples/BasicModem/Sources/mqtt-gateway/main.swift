// main.swift: the same MQTT gateway code on any of the five modules, picked on the command line, against a scripted module on a pseudo-terminal or a real one on a serial port.

import ATMQTT
import ATMQTTSimulation
import ATModem
import ATModules
import Foundation
import Logging
import Telemetry

let usage = """
    usage: mqtt-gateway <module> [--port <serial device> --broker <host:port>]
      <module>: \(ATModules.all.compactMap { $0.module is any ATMQTTModule.Type ? $0.name : nil }.joined(separator: ", "))
      Without --port, a scripted module answers on a pseudo-terminal against a broker in memory.
    """

/// The scripted module of each module, for the simulated run.
let dialects: [String: @Sendable () -> any MQTTDialect] = [
    "SIM7672X": { SIM7672XDialect() }, "SIM800": { SIM800Dialect() }, "FibocomL610": { FibocomL610Dialect() },
    "QuectelQMT": { QuectelQMTDialect() }, "SIM7000": { SIM7000Dialect() },
]

/// The command line: the module's name and the options.
struct Options {
    var module: String?
    var port: String?
    var broker = "broker.example:1883"

    init(_ arguments: [String]) {
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "--port": port = rest.popFirst()
            case "--broker": broker = rest.popFirst() ?? broker
            default: module = argument
            }
        }
    }
}

let options = Options(Array(CommandLine.arguments.dropFirst()))
let port = options.port
let broker = options.broker
guard let name = options.module, let module = ATModules.module(named: name) as? any ATMQTTModule.Type else {
    print(usage)
    exit(2)
}
let host = String(broker.split(separator: ":").first ?? "broker.example")
let brokerPort = broker.split(separator: ":").dropFirst().first.flatMap { Int($0) } ?? 1883

/// One session on `module`: a generic function, so the module's type is known at compile time inside.
func session<Module: ATMQTTModule>(_ module: Module.Type) async throws {
    let terminal: ATPseudoTerminal? = port == nil ? try ATPseudoTerminal() : nil
    let path = port ?? terminal?.path ?? ""
    let serial = try SerialTransport(path: path, configuration: SerialConfiguration(baudRate: .b115200))
    let engine = ATEngine(module: Module.self, transport: serial, logger: Logger(label: "mqtt-gateway"))
    let modem = terminal.map { ScriptedMQTTModem(transport: $0, dialect: dialects[name]?() ?? SIM7672XDialect()) }
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await engine.run() }
        if let modem {
            // The broker sends one command once the gateway has subscribed.
            group.addTask {
                let client = Module.mqtt.capabilities.firstClient
                while await modem.broker.subscriptions[client]?.isEmpty ?? true { try await Task.sleep(for: .milliseconds(20)) }
                try await modem.deliver(client: client, topic: Array("gw/gateway-17/commands".utf8), payload: Array("reboot at 03:00".utf8))
            }
        }
        let report = try await Telemetry.run(on: engine, host: host, port: brokerPort, clientID: "gateway-17")
        print("module:     \(report.module) on \(path)")
        print("published:  \(report.published.joined(separator: ", "))")
        print("reading:    sent as \(report.readingSentAs)")
        print("command:    \(report.command ?? "none")")
        if let modem {
            let publications = await modem.broker.publications
            print("broker got: " + publications.map { "\(String(decoding: $0.topic, as: UTF8.self)) (\($0.payload.count) bytes, QoS \($0.qos))" }.joined(separator: "; "))
        }
        await serial.close()
        await terminal?.close()
        group.cancelAll()
    }
}

try await session(module)
