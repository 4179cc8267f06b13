// main.swift: the example: start-up checks of a simulated module through the command engine and the generated Basic3GPP bindings.

import ATModem
import Basic3GPP
import Logging
import ScriptedModem

let (host, device) = InMemoryTransport.pair()
let engine = ATEngine(module: Basic3GPP.self, transport: host, logger: Logger(label: "basic-modem"))

try await withThrowingTaskGroup(of: Void.self) { group in
    // The simulated module answers on the device end; the engine reads the host end.
    // Both return once the host end is closed.
    group.addTask { try await ScriptedModem.basic3GPP.serve(device) }
    group.addTask { try await engine.run() }

    let report = try await Basic3GPP.startup(on: engine, apn: "internet")
    print("SIM:          \(report.sim)")
    print("signal:       \(report.signalDBm.map { "\($0) dBm" } ?? "unknown")")
    print("registration: \(report.registration)")
    print("operator:     \(report.operatorName ?? "-") (\(report.accessTechnology.map { "\($0)" } ?? "-"))")
    print("attached:     \(report.attached)")
    for context in report.contexts {
        print("context \(context.contextID):    \(context.pdpType) \"\(context.accessPointName)\" \(context.pdpAddress)")
    }

    // A failure is typed: the module's +CME ERROR code with the standard's meaning.
    let enterPIN = try Basic3GPP.PIN.Write(pin: "1234")
    do throws(ATCommandError<Basic3GPP.FinalResult>) {
        _ = try await engine.send(enterPIN)
        print("\(enterPIN) accepted")
    } catch {
        guard case .failed(_, .cmeError(let code)?, _) = error else { throw error }
        print("\(enterPIN) refused: +CME ERROR: \(code)")
    }

    await host.close()
    try await group.waitForAll()
}
