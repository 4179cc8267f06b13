// BringupTests.swift: the gateway bring-up against the simulated SIM7672X on a real pseudo-terminal.

import ATModem
import Bringup
import ScriptedModem
import SIM7672X
import Testing
import ThreeGPP

@Suite("Gateway bring-up over a pseudo-terminal", .timeLimit(.minutes(1)))
struct BringupTests {
    /// Runs `body` with an engine on the terminal end of a pseudo-terminal whose device end `modem` serves.
    static func withModem<Result: Sendable>(
        _ modem: ScriptedModem, _ body: @Sendable (ATEngine<SIM7672X>) async throws -> Result
    ) async throws -> Result {
        let terminal = try ATPseudoTerminal()
        let serial = try SerialTransport(path: terminal.path)
        let engine = ATEngine(module: SIM7672X.self, transport: serial, configuration: ATEngineConfiguration(latencyAllowance: .seconds(30), runStartGrace: .seconds(30)))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await modem.serve(terminal) }
            group.addTask { try await engine.run() }
            defer { group.cancelAll() }
            let result = try await body(engine)
            await serial.close()
            await terminal.close()
            return result
        }
    }

    @Test func theWholeBringUpRunsThroughOneEngine() async throws {
        let report = try await Self.withModem(.gateway()) { engine in
            try await Bringup.run(
                on: engine, apn: "internet", broker: "broker.example:1883", clientID: "gateway-17", topic: "gw/status", payload: Array("online".utf8))
        }
        #expect(report.imei == "864424040016234")
        #expect(report.sim == "READY")
        // The module was still searching (+CEREG: 1,2): the bring-up waited for the +CEREG: 1 report.
        #expect(report.registration == .registeredHome)
        #expect(report.waitedForRegistration)
        #expect(report.signalDBm == -71)
        #expect(report.address == "10.64.12.7")
        #expect(report.identification == ["Manufacturer: SIMCOM INCORPORATED", "Model: A7670E-LASE", "Revision: A7670M7_V1.11.1", "IMEI: 864424040016234"])
    }

    @Test func aMissingSIMStopsTheBringUpWithTheStandardsReason() async throws {
        let outcome = try await Self.withModem(.gateway(sim: "NOT INSERTED")) { engine -> BringupError? in
            do {
                _ = try await Bringup.run(on: engine, apn: "internet", broker: "broker.example:1883", clientID: "gateway-17", topic: "gw/status", payload: [])
                return nil
            } catch let error as BringupError {
                return error
            }
        }
        #expect(outcome == .simNotReady("SIM not inserted"))
    }

    @Test func aPublishThatTheModemRefusesIsTheVendorsTypedResult() async throws {
        var modem = ScriptedModem.gateway()
        modem.replies["AT+CMQTTPUB=0,1,60"] = .init(["OK", "+CMQTTPUB: 0,11"])
        let outcome = try await Self.withModem(modem) { engine -> BringupError? in
            do {
                _ = try await Bringup.run(
                    on: engine, apn: "internet", broker: "broker.example:1883", clientID: "gateway-17", topic: "gw/status", payload: Array("online".utf8))
                return nil
            } catch let error as BringupError {
                return error
            }
        }
        guard case .failed("MQTT publish", .failed(_, nil, let lines))? = outcome else {
            Issue.record("expected the publish to fail, got \(String(describing: outcome))")
            return
        }
        let typed = try SIM7672X.Publish.Write.response(from: lines)
        #expect(typed.result?.resultCode == .noConnection)
    }
}
