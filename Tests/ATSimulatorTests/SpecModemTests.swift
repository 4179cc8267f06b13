// SpecModemTests.swift: the virtual modem answers as its spec and the documents' examples say, over a real pseudo-terminal.

import ATModem
import ATRuntime
import ATSimulator
import ATSpec
import ATTestSupport
import SIM7672X
import Testing

@Suite("at-sim: a modem from its spec", .timeLimit(.minutes(1)))
struct SpecModemTests {
    static func withModem<Result: Sendable>(_ body: (ATEngine<SIM7672X>) async throws -> Result) async throws -> Result {
        let loaded = SpecLoader.loadComposed(path: PackageRoot.path + "/Specs/SIM7672X.yaml")
        let spec = try #require(loaded.spec)
        let modem = SpecModem(spec: spec)
        let terminal = try ATPseudoTerminal()
        let serial = try SerialTransport(path: terminal.path)
        let engine = ATEngine(module: SIM7672X.self, transport: serial, configuration: ATEngineConfiguration(latencyAllowance: .seconds(30)))
        let serving = Task { try await modem.serve(terminal) }
        let running = Task { try await engine.run() }
        defer {
            serving.cancel()
            running.cancel()
        }
        let result = try await body(engine)
        await serial.close()
        await terminal.close()
        return result
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
            let accepted = try await engine.send(raw: "AT+CMQTTACCQ=0,\"client\"")
            #expect(accepted.final.isSuccess)
        }
    }

    @Test func typedRequestsGetTheirTypedAnswersAndEchoFollowsATE() async throws {
        try await Self.withModem { engine in
            _ = try await engine.send(raw: "ATE0")
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
        let engine = ATEngine(module: SIM7672X.self, transport: transport, configuration: ATEngineConfiguration(latencyAllowance: .seconds(30)))
        let running = Task { try await engine.run() }
        defer { running.cancel() }
        let answer = try await engine.send(raw: "AT+CMQTTSTART")
        #expect(answer.texts == ["+CMQTTSTART: 0"])
        await transport.close()
    }
}
