// ReadmeFlowTests.swift: the README's publish/subscribe flow, run over a real pseudo-terminal against a scripted SIM7672X.

import ATRuntime
import Logging
import SIM7672X
import Testing

@testable import ATModem
import ATTestSupport

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// The function below is the README's, word for word (a test checks they match).

/// Connects, subscribes, publishes, then returns the payloads received until "stop".
func publishAndListen(_ modem: ATEngine<SIM7672X>) async throws -> [[UInt8]] {
    // OK then +CMQTTSTART: 0 (A76xx) or +CMQTTSTART: 0 then OK (SIM7600): both are one typed answer.
    _ = try await modem.send(SIM7672X.StartService.Execute())
    _ = try await modem.send(SIM7672X.AcquireClient.Write(clientIndex: 0, clientID: "gateway-17"))
    let connect = try SIM7672X.Connect.Write(
        clientIndex: 0, serverAddress: "tcp://test.mosquitto.org:1883", keepAliveTime: 60, cleanSession: true)
    do {
        _ = try await modem.send(connect)
    } catch {
        if case .failed(_, let result, let lines) = error {
            // +CMQTTCONNECT: 0,3 then ERROR: the result line comes with the failure, typed on demand.
            let code = try? SIM7672X.Connect.Write.response(from: lines).result?.resultCode
            print("connect failed:", result.map { "\($0)" } ?? "", code.map { "\($0)" } ?? "")  // ERROR 3: sock connect fail
        }
        throw error
    }
    // Prompt commands: the engine waits for ">", sends exactly these bytes, then awaits OK.
    _ = try await modem.send(SIM7672X.Subscribe.OneTopic(clientIndex: 0, qos: .atLeastOnce, topic: Array("gw/cmd".utf8)))
    _ = try await modem.send(SIM7672X.SetPublishTopic.Write(clientIndex: 0, topic: Array("gw/status".utf8)))
    _ = try await modem.send(SIM7672X.SetPublishPayload.Write(clientIndex: 0, payload: Array("online".utf8)))
    let published = try await modem.send(SIM7672X.Publish.Write(clientIndex: 0, qos: .atLeastOnce, publishTimeout: 60))
    print("published:", published.result?.isSuccess == true)

    var received: [[UInt8]] = []
    for await event in modem.unsolicited {
        switch event {
        case .urc(.receivedMessage(let message)):      // +CMQTTRXSTART … +CMQTTRXEND, assembled
            print("message on", String(decoding: message.topic, as: UTF8.self), message.payload.count, "bytes")
            if message.payload == Array("stop".utf8) { return received }
            received.append(message.payload)
        case .urc(.connectionLost(let lost)):
            print("connection lost:", lost.cause)
            return received
        case .urc(let other):
            print("urc:", other)
        case .unrecognized(let line):
            print("modem said:", line.text)            // RDY after a reboot; line.bytes as they came
        case .stray(let stray):
            print("late answer:", stray)               // the answer of a timed-out command, typed by the spec
        case .brokenURC(let broken):
            print("broken \(broken.name):", broken.reason)  // cut off, or parts that do not add up
        case .malformedURC, .data, .framingError:
            break
        }
    }
    return received
}

/// The modem's side of a pseudo-terminal as a transport, for the scripted modem.
struct MasterTransport: ATTransport {
    let channel: FileDescriptorChannel

    init(_ terminal: PseudoTerminal) throws {
        let fd = dup(terminal.master)
        try #require(fd >= 0)
        try #require(fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == 0)
        channel = FileDescriptorChannel(fd: fd, target: "pty master", output: .write)
    }

    func receive() async throws(ATTransportError) -> [UInt8]? { try await channel.receive() }
    func send(_ bytes: [UInt8]) async throws(ATTransportError) { try await channel.send(bytes) }
    func close() async { await channel.close() }
}

@Suite("Engine: README flow")
struct ReadmeFlowTests {
    @Test func readmeFlowOverAPseudoTerminal() async throws {
        let terminal = try PseudoTerminal()
        defer { terminal.close() }
        let serial = try SerialTransport(path: terminal.path, configuration: SerialConfiguration(baudRate: .b115200, flowControl: .rtsCts))
        let modem = ScriptedModem(try MasterTransport(terminal), chunks: [5, 64, 1, 300])
        let log = CapturedLog()
        let engine = ATEngine(module: SIM7672X.self, transport: serial, configuration: .patient, logger: log.logger())
        let payload = (0..<60).map { UInt8(truncatingIfNeeded: $0 &* 5) } + [0x00, 0xFF, 0x0D, 0x0A]
        let received = try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await engine.run() }
            group.addTask {
                // Echo on, as modems start; answers as the manuals print them.
                func answer(_ request: some ATRequest, _ text: String, data: Int = 0) async throws {
                    let line = try await modem.command()
                    #expect(Array(line.utf8) + [0x0D] == request.encode())
                    try await modem.send(line + "\r")
                    if data > 0 {
                        try await modem.send("\r\n>")
                        let sent = try await modem.data(count: data)
                        #expect(sent == request.promptData)
                    }
                    try await modem.send(text)
                }
                try await answer(SIM7672X.StartService.Execute(), "\r\nOK\r\n\r\n+CMQTTSTART: 0\r\n")
                try await answer(SIM7672X.AcquireClient.Write(clientIndex: 0, clientID: "gateway-17"), "\r\nOK\r\n")
                try await answer(
                    SIM7672X.Connect.Write(clientIndex: 0, serverAddress: "tcp://test.mosquitto.org:1883", keepAliveTime: 60, cleanSession: true),
                    "\r\n+CMQTTNONET\r\n\r\nOK\r\n\r\n+CMQTTCONNECT: 0,0\r\n")
                try await answer(SIM7672X.Subscribe.OneTopic(clientIndex: 0, qos: .atLeastOnce, topic: Array("gw/cmd".utf8)), "\r\nOK\r\n\r\n+CMQTTSUB: 0,0\r\n", data: 6)
                try await answer(SIM7672X.SetPublishTopic.Write(clientIndex: 0, topic: Array("gw/status".utf8)), "\r\nOK\r\n", data: 9)
                try await answer(SIM7672X.SetPublishPayload.Write(clientIndex: 0, payload: Array("online".utf8)), "\r\nOK\r\n", data: 6)
                try await answer(SIM7672X.Publish.Write(clientIndex: 0, qos: .atLeastOnce, publishTimeout: 60), "\r\nOK\r\n\r\n+CMQTTPUB: 0,0\r\n")
                for message in [payload, Array("stop".utf8)] {
                    var urc = Array("\r\n+CMQTTRXSTART: 0,6,\(message.count)\r\n\r\n+CMQTTRXTOPIC: 0,6\r\ngw/cmd\r\n".utf8)
                    urc += Array("\r\n+CMQTTRXPAYLOAD: 0,\(message.count)\r\n".utf8) + message + Array("\r\n+CMQTTRXEND: 0\r\n".utf8)
                    try await modem.send(urc)
                }
            }
            let received = try await publishAndListen(engine)
            group.cancelAll()
            return received
        }
        #expect(received == [payload])
        #expect(log.text.contains("send"))
        await serial.close()
    }

    @Test func theReadmeShowsThisCode() throws {
        let readme = try String(contentsOfFile: PackageRoot.path + "/README.md", encoding: .utf8)
        let test = try String(contentsOfFile: #filePath, encoding: .utf8)
        func function(in text: String) -> String? {
            guard let start = text.range(of: "/// Connects, subscribes, publishes")?.lowerBound,
                let end = text.range(of: "\n}\n", range: start..<text.endIndex)?.upperBound
            else { return nil }
            return String(text[start..<end])
        }
        let shown = try #require(function(in: readme))
        #expect(function(in: test) == shown)
    }
}
