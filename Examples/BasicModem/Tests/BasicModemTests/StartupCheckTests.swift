// StartupCheckTests.swift: the generated Basic3GPP bindings driven through the engine against the simulated module.

import ATModem
import ATRuntime
import Basic3GPP
import ScriptedModem
import Testing

/// Runs `body` with an engine on the host end of an in-memory pair and `modem` on the device end.
func withModem<Result: Sendable>(
    _ modem: ScriptedModem, _ body: @Sendable (ATEngine<Basic3GPP>) async throws -> Result
) async throws -> Result {
    let (host, device) = InMemoryTransport.pair()
    let engine = ATEngine(module: Basic3GPP.self, transport: host)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await modem.serve(device) }
        group.addTask { try await engine.run() }
        let result: Result
        do {
            result = try await body(engine)
        } catch {
            await host.close()
            throw error
        }
        await host.close()
        try await group.waitForAll()
        return result
    }
}

@Suite("Start-up checks against the simulated module")
struct StartupCheckTests {
    @Test func reportHoldsTheTypedAnswers() async throws {
        let report = try await withModem(.basic3GPP) { try await Basic3GPP.startup(on: $0, apn: "internet") }
        #expect(report.sim == "READY")
        #expect(report.signalDBm == -71)  // rssi 21
        #expect(report.registration == .home)  // from the +CREG: 1 report that follows "searching"
        #expect(report.operatorName == "Example Net")
        #expect(report.accessTechnology == .eutran)
        #expect(report.attached)
        #expect(report.contexts == [
            Basic3GPP.PDPContext.ReadLine(
                contextID: 1, pdpType: "IP", accessPointName: "internet", pdpAddress: "0.0.0.0", dataCompression: .off, headerCompression: .off)
        ])
    }

    @Test func requestsEncodeAsTheStandardWritesThem() throws {
        #expect(String(decoding: try Basic3GPP.NetworkRegistration.Write(report: .status).encode(), as: UTF8.self) == "AT+CREG=1\r")
        let context = try Basic3GPP.PDPContext.Write(contextID: 1, pdpType: "IP", accessPointName: "internet")
        #expect(String(decoding: context.encode(), as: UTF8.self) == "AT+CGDCONT=1,\"IP\",\"internet\"\r")
        #expect(throws: ATParameterError.self) { try Basic3GPP.PDPContext.Write(contextID: 1, accessPointName: "a\"b") }
        #expect("\(try Basic3GPP.PIN.Write(pin: "1234"))" == "AT+CPIN=<redacted>")
    }

    @Test func cmeErrorIsTypedWithItsMeaning() async throws {
        let enterPIN = try Basic3GPP.PIN.Write(pin: "1234")
        let error = try await withModem(.basic3GPP) { engine -> ATCommandError<Basic3GPP.FinalResult>? in
            do throws(ATCommandError<Basic3GPP.FinalResult>) {
                _ = try await engine.send(enterPIN)
                return nil
            } catch {
                return error
            }
        }
        guard case .failed(_, let result?, _) = try #require(error) else {
            Issue.record("expected a failure result, got \(String(describing: error))")
            return
        }
        #expect(result == .cmeError(code: .operationNotAllowed))
        #expect(result.description == "+CME ERROR: 3: operation not allowed")
    }

    @Test func lockedSIMStopsTheChecks() async throws {
        var modem = ScriptedModem.basic3GPP
        modem.replies["AT+CPIN?"] = .init(["+CPIN: SIM PIN", "OK"])
        await #expect(throws: StartupError.simLocked("SIM PIN")) {
            try await withModem(modem) { try await Basic3GPP.startup(on: $0, apn: "internet") }
        }
    }

    @Test func deniedRegistrationStopsTheChecks() async throws {
        var modem = ScriptedModem.basic3GPP
        modem.replies["AT+CREG?"] = .init(["+CREG: 1,2", "OK"], thenUnsolicited: ["+CREG: 3"])
        await #expect(throws: StartupError.notRegistered(.denied)) {
            try await withModem(modem) { try await Basic3GPP.startup(on: $0, apn: "internet") }
        }
    }

    @Test func reportInTheMiddleOfAnAnswerIsNotTakenForIt() async throws {
        // The module registers while it answers AT+COPS?: the +CREG report arrives between
        // the echo and the +COPS line, and must reach the unsolicited stream, not the answer.
        var modem = ScriptedModem.basic3GPP
        modem.replies["AT+CREG?"] = .init(["+CREG: 1,2", "OK"])
        modem.replies["AT+COPS?"] = .init(["+CREG: 5", "+COPS: 0,0,\"Example Net\",7", "OK"])
        let (selection, first) = try await withModem(modem) { engine in
            _ = try await engine.send(Basic3GPP.NetworkRegistration.Read())
            let selection = try await engine.send(Basic3GPP.OperatorSelection.Read()).line
            var iterator = engine.unsolicited.makeAsyncIterator()
            return (selection, await iterator.next())
        }
        #expect(selection.operatorName == "Example Net")
        #expect(first == .urc(.registration(Basic3GPP.URC.Registration(status: .roaming))))
    }
}
