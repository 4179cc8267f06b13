// ScriptedMQTTModem.swift: a broker in memory and a scripted modem per module that answers MQTT commands as its documents' examples do.

import ATModem
import ATRuntime
import Foundation

/// The broker behind the scripted modems: who is connected, what was subscribed and published.
public actor FakeBroker {
    public struct Publication: Equatable, Sendable {
        public var client: Int
        public var topic: [UInt8]
        public var payload: [UInt8]
        public var qos: Int
        public var retain: Bool

        public init(client: Int, topic: [UInt8], payload: [UInt8], qos: Int, retain: Bool) {
            self.client = client
            self.topic = topic
            self.payload = payload
            self.qos = qos
            self.retain = retain
        }
    }

    /// The credentials the broker accepts; nil accepts any.
    public private(set) var credentials: (username: String, password: String)?
    public private(set) var connected: Set<Int> = []
    public private(set) var subscriptions: [Int: [String]] = [:]
    public private(set) var publications: [Publication] = []
    public private(set) var wills: [Int: [UInt8]] = [:]
    /// The next publish finds the connection gone.
    public private(set) var dropOnNextPublish = false

    public init() {}

    public func require(username: String, password: String) {
        credentials = (username, password)
    }

    /// Accepts or refuses a login.
    public func connect(_ client: Int, username: String?, password: String?) -> Bool {
        if let credentials, credentials.username != username || credentials.password != password { return false }
        connected.insert(client)
        return true
    }

    public func disconnect(_ client: Int) { connected.remove(client) }
    public func subscribe(_ client: Int, _ topic: String) { subscriptions[client, default: []].append(topic) }
    public func unsubscribe(_ client: Int, _ topic: String) { subscriptions[client]?.removeAll { $0 == topic } }
    public func setWill(_ client: Int, _ payload: [UInt8]) { wills[client] = payload }

    /// Records a publication; false when the client is not connected (or the test drops it now).
    public func publish(_ publication: Publication) -> Bool {
        if dropOnNextPublish {
            dropOnNextPublish = false
            connected.remove(publication.client)
            return false
        }
        guard connected.contains(publication.client) else { return false }
        publications.append(publication)
        return true
    }

    /// The next publish finds the connection gone.
    public func dropNextPublish() { dropOnNextPublish = true }
}

/// The modem's end of the line: reads command lines and prompt data, writes answers.
public actor ModemIO {
    public let transport: any ATTransport
    private var buffer: [UInt8] = []
    private var injectDuringPrompt: [UInt8]?
    /// Every command line the host sent, in order.
    public private(set) var commands: [String] = []

    public init(_ transport: any ATTransport) {
        self.transport = transport
    }

    private func fill() async throws -> Bool {
        guard let chunk = try await transport.receive() else { return false }
        buffer += chunk
        return true
    }

    /// The next command line without its CR; nil when the host is gone.
    public func line() async throws -> String? {
        while true {
            if let end = buffer.firstIndex(of: 0x0D) {
                let line = String(decoding: buffer[..<end], as: UTF8.self)
                buffer.removeSubrange(...end)
                if line.isEmpty { continue }
                commands.append(line)
                return line
            }
            guard try await fill() else { return nil }
        }
    }

    public func write(_ text: String) async throws { try await transport.send(Array(text.utf8)) }
    public func write(_ bytes: [UInt8]) async throws { try await transport.send(bytes) }
    /// `OK`; a URC waiting for a prompt that did not come (a publish without one) goes just before it.
    public func ok() async throws {
        if let inject = injectDuringPrompt {
            injectDuringPrompt = nil
            try await write(inject)
        }
        try await write("\r\nOK\r\n")
    }
    public func error() async throws { try await write("\r\nERROR\r\n") }
    public func urc(_ text: String) async throws { try await write("\r\n" + text + "\r\n") }

    /// A URC to send between the next prompt and its data.
    public func injectAtNextPrompt(_ bytes: [UInt8]) { injectDuringPrompt = bytes }

    /// Shows the prompt, then reads `count` bytes of data.
    public func prompt(count: Int, prompt: String = "\r\n>") async throws -> [UInt8] {
        try await write(prompt)
        if let inject = injectDuringPrompt {
            injectDuringPrompt = nil
            try await write(inject)
        }
        while buffer.count < count {
            guard try await fill() else { throw ModemError.closed }
        }
        let data = Array(buffer.prefix(count))
        buffer.removeFirst(count)
        return data
    }

    /// The host closed the line in the middle of the data.
    public enum ModemError: Error { case closed }
}

/// The pieces of one command line: `AT+CMD=a,"b"` is `+CMD`, `=`, `["a", "b"]`, with which were quoted.
public struct ScriptedCommandLine: Sendable {
    public var name: String
    public var isWrite: Bool
    public var isRead: Bool
    public var arguments: [String]
    public var quoted: [Bool]

    public init(_ line: String) {
        var text = Substring(line)
        if text.uppercased().hasPrefix("AT") { text = text.dropFirst(2) }
        var name = ""
        while let first = text.first, first != "=", first != "?" {
            name.append(first)
            text = text.dropFirst()
        }
        self.name = name
        isRead = text == "?"
        isWrite = text.first == "="
        var arguments: [String] = []
        var quoted: [Bool] = []
        if isWrite {
            var current = ""
            var inQuotes = false
            var wasQuoted = false
            for character in text.dropFirst() {
                if character == "\"" {
                    inQuotes.toggle()
                    wasQuoted = true
                } else if character == ",", !inQuotes {
                    arguments.append(current)
                    quoted.append(wasQuoted)
                    current = ""
                    wasQuoted = false
                } else {
                    current.append(character)
                }
            }
            arguments.append(current)
            quoted.append(wasQuoted)
        }
        self.arguments = arguments
        self.quoted = quoted
    }

    public subscript(index: Int) -> String { arguments.indices.contains(index) ? arguments[index] : "" }
    public func int(_ index: Int) -> Int { Int(self[index]) ?? -1 }
}

/// How one module answers the MQTT commands and reports MQTT events.
public protocol MQTTDialect: Sendable {
    /// Answers one command line.
    func answer(_ command: ScriptedCommandLine, io: ModemIO, broker: FakeBroker) async throws
    /// The URC bytes of a message for module client `client`.
    func message(client: Int, topic: [UInt8], payload: [UInt8]) -> [UInt8]
    /// The URC bytes of a lost connection, for a module that reports one.
    func connectionLost(client: Int) -> [UInt8]?
}

/// A scripted modem on the device end of a transport (in memory, or a pseudo-terminal's):
/// it answers the MQTT commands of one module as its documents' examples show, against a
/// broker in memory, and delivers messages and connection losses as that module's URCs.
///
/// The answers are written by hand from the documents, for testing MQTT code without a device;
/// they cover the commands the modules' `mqtt` sections use.
public final class ScriptedMQTTModem: Sendable {
    public let io: ModemIO
    public let broker: FakeBroker
    public let dialect: any MQTTDialect
    private let task: Task<Void, Never>

    public init(transport: any ATTransport, dialect: any MQTTDialect) {
        let io = ModemIO(transport)
        let broker = FakeBroker()
        self.io = io
        self.broker = broker
        self.dialect = dialect
        task = Task {
            do {
                while let line = try await io.line() {
                    try await dialect.answer(ScriptedCommandLine(line), io: io, broker: broker)
                }
            } catch {}
        }
    }

    deinit { task.cancel() }

    /// The broker delivers a message to module client `client`.
    public func deliver(client: Int, topic: [UInt8], payload: [UInt8]) async throws {
        try await io.write(dialect.message(client: client, topic: topic, payload: payload))
    }

    /// The broker goes away for module client `client`.
    public func dropConnection(client: Int) async throws {
        await broker.disconnect(client)
        if let urc = dialect.connectionLost(client: client) { try await io.write(urc) }
    }
}

func hex(_ bytes: [UInt8]) -> String {
    bytes.map { String(format: "%02X", $0) }.joined()
}

func unhex(_ text: String) -> [UInt8] {
    var out: [UInt8] = []
    var index = text.startIndex
    while index < text.endIndex, let next = text.index(index, offsetBy: 2, limitedBy: text.endIndex) {
        out.append(UInt8(text[index..<next], radix: 16) ?? 0)
        index = next
    }
    return out
}

// MARK: - The dialects, each as its documents' examples show it

/// SIM7672X: an §3.1 (connect, subscribe, publish, receive, disconnect).
public struct SIM7672XDialect: MQTTDialect {
    /// What the module keeps between commands, behind a lock.
    final class State: @unchecked Sendable {
        let lock = NSLock()
        var topic: [Int: [UInt8]] = [:]
        var payload: [Int: [UInt8]] = [:]
        var started = false
    }
    let state = State()

    public init() {}

    public func answer(_ c: ScriptedCommandLine, io: ModemIO, broker: FakeBroker) async throws {
        switch c.name {
        case "+CMQTTSTART":
            let already = state.lock.withLock { () -> Bool in
                defer { state.started = true }
                return state.started
            }
            if already { try await io.write("\r\n+CMQTTSTART: 23\r\n\r\nERROR\r\n") } else { try await io.ok(); try await io.urc("+CMQTTSTART: 0") }
        case "+CMQTTACCQ", "+CMQTTREL", "+CMQTTSSLCFG":
            try await io.ok()
        case "+CMQTTWILLTOPIC":
            _ = try await io.prompt(count: c.int(1))
            try await io.ok()
        case "+CMQTTWILLMSG":
            await broker.setWill(c.int(0), try await io.prompt(count: c.int(1)))
            try await io.ok()
        case "+CMQTTCONNECT":
            let accepted = await broker.connect(c.int(0), username: c.arguments.count > 4 ? c[4] : nil, password: c.arguments.count > 5 ? c[5] : nil)
            try await io.ok()
            try await io.urc("+CMQTTCONNECT: \(c[0]),\(accepted ? 0 : 30)")
        case "+CMQTTSUBTOPIC", "+CMQTTUNSUBTOPIC":
            let topic = String(decoding: try await io.prompt(count: c.int(1)), as: UTF8.self)
            if c.name == "+CMQTTSUBTOPIC" { await broker.subscribe(c.int(0), topic) } else { await broker.unsubscribe(c.int(0), topic) }
            try await io.ok()
        case "+CMQTTSUB", "+CMQTTUNSUB", "+CMQTTDISC":
            if c.name == "+CMQTTDISC" { await broker.disconnect(c.int(0)) }
            try await io.ok()
            try await io.urc("\(c.name): \(c[0]),0")
        case "+CMQTTTOPIC":
            let topic = try await io.prompt(count: c.int(1))
            state.lock.withLock { state.topic[c.int(0)] = topic }
            try await io.ok()
        case "+CMQTTPAYLOAD":
            let payload = try await io.prompt(count: c.int(1))
            state.lock.withLock { state.payload[c.int(0)] = payload }
            try await io.ok()
        case "+CMQTTPUB":
            let client = c.int(0)
            let (topic, payload) = state.lock.withLock { (state.topic[client] ?? [], state.payload[client] ?? []) }
            let delivered = await broker.publish(.init(client: client, topic: topic, payload: payload, qos: c.int(1), retain: c[3] == "1"))
            if !delivered, let lost = connectionLost(client: client) { try await io.write(lost) }
            try await io.ok()
            try await io.urc("+CMQTTPUB: \(client),\(delivered ? 0 : 11)")
        default:
            try await io.error()
        }
    }

    public func message(client: Int, topic: [UInt8], payload: [UInt8]) -> [UInt8] {
        // Long payloads come in parts (an 2.2.15: at most 1024 bytes each is assumed here).
        var out = Array("\r\n+CMQTTRXSTART: \(client),\(topic.count),\(payload.count)\r\n+CMQTTRXTOPIC: \(client),\(topic.count)\r\n".utf8) + topic
        var rest = payload[...]
        while !rest.isEmpty {
            let part = rest.prefix(1024)
            out += Array("\r\n+CMQTTRXPAYLOAD: \(client),\(part.count)\r\n".utf8) + part
            rest = rest.dropFirst(part.count)
        }
        return out + Array("\r\n+CMQTTRXEND: \(client)\r\n".utf8)
    }

    public func connectionLost(client: Int) -> [UInt8]? { Array("\r\n+CMQTTCONNLOST: \(client),1\r\n".utf8) }
}

/// SIM800: en 4.1 (AT+SMCONF, AT+SMCONN, AT+SMSUB, AT+SMPUB, +SMPUBLISH).
public struct SIM800Dialect: MQTTDialect {
    /// What the module keeps between commands, behind a lock.
    final class State: @unchecked Sendable {
        let lock = NSLock()
        var settings: [String: String] = [:]
        var packet = 0
    }
    let state = State()

    public init() {}

    func nextPacket() -> Int { state.lock.withLock { state.packet += 1; return state.packet } }

    public func answer(_ c: ScriptedCommandLine, io: ModemIO, broker: FakeBroker) async throws {
        switch c.name {
        case "+SMCONF":
            state.lock.withLock { state.settings[c[0]] = c[1] }
            try await io.ok()
        case "+SMSSL":
            try await io.ok()
        case "+SMCONN":
            let settings = state.lock.withLock { state.settings }
            if await broker.connect(0, username: settings["USERNAME"], password: settings["PASSWORD"]) { try await io.ok() } else { try await io.error() }
        case "+SMSUB", "+SMUNSUB":
            if c.name == "+SMSUB" { await broker.subscribe(0, c[0]) } else { await broker.unsubscribe(0, c[0]) }
            try await io.ok()
            try await io.urc("\(c.name): \(nextPacket()),0")
        case "+SMPUB":
            let delivered = await broker.publish(.init(client: 0, topic: Array(c[0].utf8), payload: Array(c[3].utf8), qos: c.int(1), retain: c[2] == "1"))
            if delivered {
                try await io.ok()
                try await io.urc("+SMPUB: \(nextPacket()),0")
            } else {
                try await io.error()
            }
        case "+SMDISC":
            await broker.disconnect(0)
            try await io.ok()
        default:
            try await io.error()
        }
    }

    public func message(client: Int, topic: [UInt8], payload: [UInt8]) -> [UInt8] {
        Array("\r\n+SMPUBLISH: \(nextPacket()),\"".utf8) + topic + Array("\",\(payload.count),\"".utf8) + payload + Array("\"\r\n".utf8)
    }

    public func connectionLost(client: Int) -> [UInt8]? { nil }
}

/// SIM7000/SIM7080: an7070 5 (AT+SMCONF, AT+SMCONN, AT+SMPUB with its prompt, +SMSUB in hex).
public struct SIM7000Dialect: MQTTDialect {
    /// What the module keeps between commands, behind a lock.
    final class State: @unchecked Sendable {
        let lock = NSLock()
        var settings: [String: String] = [:]
    }
    let state = State()

    public init() {}

    public func answer(_ c: ScriptedCommandLine, io: ModemIO, broker: FakeBroker) async throws {
        switch c.name {
        case "+SMCONF":
            state.lock.withLock { state.settings[c[0]] = c[1] }
            try await io.ok()
        case "+SMCONN":
            let settings = state.lock.withLock { state.settings }
            if let will = settings["MESSAGE"], settings["TOPIC"] != nil { await broker.setWill(0, Array(will.utf8)) }
            if await broker.connect(0, username: settings["USERNAME"], password: settings["PASSWORD"]) { try await io.ok() } else { try await io.error() }
        case "+SMSUB", "+SMUNSUB":
            if c.name == "+SMSUB" { await broker.subscribe(0, c[0]) } else { await broker.unsubscribe(0, c[0]) }
            try await io.ok()
        case "+SMPUB":
            let payload = try await io.prompt(count: c.int(1))
            let delivered = await broker.publish(.init(client: 0, topic: Array(c[0].utf8), payload: payload, qos: c.int(2), retain: c[3] == "1"))
            if delivered {
                try await io.ok()
            } else {
                if let lost = connectionLost(client: 0) { try await io.write(lost) }
                try await io.error()
            }
        case "+SMDISC":
            await broker.disconnect(0)
            try await io.ok()
        default:
            try await io.error()
        }
    }

    public func message(client: Int, topic: [UInt8], payload: [UInt8]) -> [UInt8] {
        Array("\r\n+SMSUB: \"".utf8) + topic + Array("\",\"\(hex(payload))\"\r\n".utf8)
    }

    public func connectionLost(client: Int) -> [UInt8]? { Array("\r\n+SMSTATE: 0\r\n".utf8) }
}

/// Fibocom L610: l610 3 (AT+MQTTUSER, AT+MQTTOPEN, AT+MQTTSUB, AT+MQTTPUB, +MQTTMSGI and AT+MQTTREAD).
public struct FibocomL610Dialect: MQTTDialect {
    /// What the module keeps between commands, behind a lock.
    final class State: @unchecked Sendable {
        let lock = NSLock()
        var users: [Int: (String, String)] = [:]
        var buffered: [Int: [(topic: [UInt8], payload: [UInt8])]] = [:]
    }
    let state = State()

    public init() {}

    public func answer(_ c: ScriptedCommandLine, io: ModemIO, broker: FakeBroker) async throws {
        switch c.name {
        case "+MQTTCONF":
            try await io.ok()
        case "+MQTTWILL":
            await broker.setWill(c.int(0), Array(c[4].utf8))
            try await io.ok()
        case "+MQTTUSER":
            state.lock.withLock { state.users[c.int(0)] = (c[1], c[2]) }
            try await io.ok()
        case "+MQTTOPEN":
            let client = c.int(0)
            let user = state.lock.withLock { state.users[client] }
            if await broker.connect(client, username: user?.0, password: user?.1) {
                try await io.ok()
                try await io.urc("+MQTTOPEN: \(client),1")
            } else {
                try await io.write("\r\nERROR: 703\r\n")
            }
        case "+MQTTSUB", "+MQTTUNSUB":
            if c.name == "+MQTTSUB" { await broker.subscribe(c.int(0), c[1]) } else { await broker.unsubscribe(c.int(0), c[1]) }
            try await io.ok()
            try await io.urc("\(c.name): \(c[0]),1")
        case "+MQTTPUB":
            let client = c.int(0)
            let payload: [UInt8]
            if c.quoted[4] {
                payload = Array(c[4].utf8)
            } else {
                payload = unhex(String(decoding: try await io.prompt(count: c.int(4) * 2, prompt: "\r\n>\r\n"), as: UTF8.self))
            }
            let delivered = await broker.publish(.init(client: client, topic: Array(c[1].utf8), payload: payload, qos: c.int(2), retain: c[3] == "1"))
            if !delivered, let lost = connectionLost(client: client) { try await io.write(lost) }
            try await io.ok()
            try await io.urc("+MQTTPUB: \(client),\(delivered ? 1 : 0)")
        case "+MQTTREAD":
            let client = c.int(0)
            let next = state.lock.withLock { () -> (topic: [UInt8], payload: [UInt8])? in
                guard var queue = state.buffered[client], !queue.isEmpty else { return nil }
                let first = queue.removeFirst()
                state.buffered[client] = queue
                return first
            }
            if let next {
                // l610 1.11.2 prints the line as <"Topic">,<"Payload">.
                try await io.write(Array("\r\n+MQTTREAD: \(client),1,\(next.topic.count),\(next.payload.count)\r\n\"".utf8) + next.topic + Array("\",\"".utf8) + next.payload + Array("\"\r\n\r\nOK\r\n".utf8))
            } else {
                try await io.write("\r\n+MQTTREAD: \(client),0,0,0\r\n\r\nOK\r\n")
            }
        case "+MQTTCLOSE":
            await broker.disconnect(c.int(0))
            try await io.ok()
            try await io.urc("+MQTTCLOSE: \(c[0]),1")
        default:
            try await io.error()
        }
    }

    public func message(client: Int, topic: [UInt8], payload: [UInt8]) -> [UInt8] {
        state.lock.withLock { state.buffered[client, default: []].append((topic, payload)) }
        return Array("\r\n+MQTTMSGI: \(client),1,\(topic.count),\(payload.count)\r\n".utf8)
    }

    public func connectionLost(client: Int) -> [UInt8]? { Array("\r\n+MQTTBREAK: \(client),1\r\n".utf8) }
}

/// Quectel QMT: bg95 4 (AT+QMTCFG, AT+QMTOPEN, AT+QMTCONN, AT+QMTSUB, AT+QMTPUB, +QMTRECV).
public struct QuectelQMTDialect: MQTTDialect {
    /// What the module keeps between commands, behind a lock.
    final class State: @unchecked Sendable {
        let lock = NSLock()
        var message = 0
        var stored: [Int: [UInt8]] = [:]
    }
    let state = State()
    /// Messages wait in the module's buffer (`+QMTRECV: <client_idx>,<recv_id>`, read with
    /// `AT+QMTRECV`), as after `AT+QMTCFG="recv/mode",<idx>,1`, whatever the host configured.
    let buffers: Bool

    /// A Quectel module; `buffers` keeps received messages in its buffer.
    public init(buffers: Bool = false) {
        self.buffers = buffers
    }

    public func answer(_ c: ScriptedCommandLine, io: ModemIO, broker: FakeBroker) async throws {
        switch c.name {
        case "+QMTCFG":
            if c[0] == "will", c.int(2) == 1 { await broker.setWill(c.int(1), Array(c[6].utf8)) }
            try await io.ok()
        case "+QMTOPEN":
            try await io.ok()
            try await io.urc("+QMTOPEN: \(c[0]),0")
        case "+QMTCONN":
            let accepted = await broker.connect(c.int(0), username: c.arguments.count > 2 ? c[2] : nil, password: c.arguments.count > 3 ? c[3] : nil)
            try await io.ok()
            try await io.urc("+QMTCONN: \(c[0]),0,\(accepted ? 0 : 4)")
        case "+QMTSUB":
            await broker.subscribe(c.int(0), c[2])
            try await io.ok()
            try await io.urc("+QMTSUB: \(c[0]),\(c[1]),0,\(c[3])")
        case "+QMTUNS":
            await broker.unsubscribe(c.int(0), c[2])
            try await io.ok()
            try await io.urc("+QMTUNS: \(c[0]),\(c[1]),0")
        case "+QMTPUB":
            let client = c.int(0)
            let payload = try await io.prompt(count: c.int(5))
            let delivered = await broker.publish(.init(client: client, topic: Array(c[4].utf8), payload: payload, qos: c.int(2), retain: c[3] == "1"))
            if !delivered, let lost = connectionLost(client: client) { try await io.write(lost) }
            try await io.ok()
            try await io.urc("+QMTPUB: \(client),\(c[1]),\(delivered ? 0 : 2)")
        case "+QMTRECV":
            let (client, slot) = (c.int(0), c.int(1))
            if let line = state.lock.withLock({ state.stored.removeValue(forKey: slot) }) {
                try await io.write(Array("\r\n".utf8) + line + Array("\r\n\r\nOK\r\n".utf8))
            } else {
                _ = client
                try await io.ok()
            }
        case "+QMTDISC":
            await broker.disconnect(c.int(0))
            try await io.ok()
            try await io.urc("+QMTDISC: \(c[0]),0")
        default:
            try await io.error()
        }
    }

    public func message(client: Int, topic: [UInt8], payload: [UInt8]) -> [UInt8] {
        let id = state.lock.withLock { state.message += 1; return state.message }
        let line = Array("+QMTRECV: \(client),\(id),\"".utf8) + topic + Array("\",\(payload.count),\"".utf8) + payload + Array("\"".utf8)
        guard buffers else { return Array("\r\n".utf8) + line + Array("\r\n".utf8) }
        let slot = (id - 1) % 5
        state.lock.withLock { state.stored[slot] = line }
        return Array("\r\n+QMTRECV: \(client),\(slot)\r\n".utf8)
    }

    public func connectionLost(client: Int) -> [UInt8]? { Array("\r\n+QMTSTAT: \(client),1\r\n".utf8) }
}
