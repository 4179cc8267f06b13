// Telemetry.swift: a gateway's MQTT session, written once for every module whose spec maps the MQTT client API.

import ATModem
import ATMQTT

/// What the gateway does over MQTT, the same code on a SIM7672X, a SIM800, an L610, a Quectel or a SIM7080.
public enum Telemetry {
    /// What one session did.
    public struct Report: Sendable {
        /// The module's name.
        public var module: String
        /// The topics it published to, in order.
        public var published: [String]
        /// The command the broker sent, as text.
        public var command: String?
        /// How the binary reading went out: as bytes, or as hex text where the module's commands carry no bytes.
        public var readingSentAs: String
    }

    /// Connects, announces itself, publishes a binary reading, waits for one command on its
    /// command topic, answers it and disconnects.
    public static func run<Module: ATMQTTModule>(on engine: ATEngine<Module>, host: String, port: Int, clientID: String) async throws -> Report {
        let client = try MQTTClient(engine: engine)
        let capabilities = client.capabilities
        let status = "gw/\(clientID)/status"
        // A will where the module has one: the broker announces the gateway's loss.
        let will = capabilities.will.supported ? MQTTConnectOptions.Will(topic: status, payload: Array("offline".utf8), qos: 1, retain: capabilities.retain.supported) : nil
        try await client.connect(MQTTConnectOptions(host: host, port: port, clientID: clientID, keepAlive: 120, will: will))
        var messages = client.messages.makeAsyncIterator()
        try await client.subscribe("gw/\(clientID)/commands", qos: 1)
        try await client.publish("online", to: status, qos: 1, retain: capabilities.retain.supported)
        var published = [status]

        // A sensor frame: bytes a quoted string cannot hold. Modules whose publish forms only
        // quote get it as hex text; the client says so before anything is sent.
        let frame: [UInt8] = [0x01, 0x22, 0x0D, 0x0A, 0x00, 0xFF, 0x7F]
        let readings = "gw/\(clientID)/readings"
        var sentAs = "bytes"
        do {
            try await client.publish(frame, to: readings, qos: 1)
        } catch .unsupported {
            try await client.publish(frame.map { String($0, radix: 16) }.joined(separator: " "), to: readings, qos: 1)
            sentAs = "hex text"
        }
        published.append(readings)

        let command = await messages.next()
        let text = command.map { String(decoding: $0.payload, as: UTF8.self) }
        try await client.publish("done: \(text ?? "nothing")", to: "gw/\(clientID)/replies", qos: 0)
        published.append("gw/\(clientID)/replies")
        try await client.disconnect()
        return Report(module: capabilities.module, published: published, command: text, readingSentAs: sentAs)
    }
}
