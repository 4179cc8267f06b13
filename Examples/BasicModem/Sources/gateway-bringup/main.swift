// main.swift: a gateway's bring-up on one modem, through one engine, against a simulated SIM7672X on a pseudo-terminal.

import ATModem
import Bringup
import Logging
import ScriptedModem
import SIM7672X

// The simulated module answers on the device end of a pseudo-terminal; the engine opens the
// terminal end as it would open /dev/ttyUSB2.
let terminal = try ATPseudoTerminal()
let serial = try SerialTransport(path: terminal.path, configuration: SerialConfiguration(baudRate: .b115200))
let engine = ATEngine(module: SIM7672X.self, transport: serial, logger: Logger(label: "gateway-bringup"))

try await withThrowingTaskGroup(of: Void.self) { group in
    group.addTask { try await ScriptedModem.gateway().serve(terminal) }
    group.addTask { try await engine.run() }

    let report = try await Bringup.run(
        on: engine, apn: "internet", broker: "broker.example:1883", clientID: "gateway-17", topic: "gw/status", payload: Array("online".utf8))
    print("modem:        \(terminal.path)")
    print("IMEI:         \(report.imei)")
    print("SIM:          \(report.sim)")
    print("registration: \(report.registration)\(report.waitedForRegistration ? " (waited for +CEREG)" : "")")
    print("signal:       \(report.signalDBm.map { "\($0) dBm" } ?? "unknown")")
    print("address:      \(report.address ?? "-")")
    print("ATI:          \(report.identification.joined(separator: " / "))")
    print("published:    gw/status to \(report.broker)")

    await serial.close()
    await terminal.close()
    group.cancelAll()
}
