// PseudoTerminalHarness.swift: a spec's modem on a real pseudo-terminal and an engine on its serial port, for the at-sim tests.

import ATModem
import ATRuntime
import ATSimulator
import ATSpec

enum PseudoTerminalHarness {
    /// Serves `modem` on a new pseudo-terminal, runs an engine of `Module` over `SerialTransport`
    /// on it, and hands the engine to `body`; closes both ends after and waits for the modem to stop.
    static func run<Module: ATModule, Result: Sendable>(
        _ modem: SpecModem, _ module: Module.Type, _ body: (ATEngine<Module>) async throws -> Result
    ) async throws -> Result {
        let terminal = try ATPseudoTerminal()
        let serial = try SerialTransport(path: terminal.path)
        let engine = ATEngine(module: Module.self, transport: serial, configuration: ATEngineConfiguration(latencyAllowance: .seconds(30), runStartGrace: .seconds(30)))
        let serving = Task { try await modem.serve(terminal) }
        let running = Task { try await engine.run() }
        defer {
            serving.cancel()
            running.cancel()
        }
        let result = try await body(engine)
        await serial.close()
        await terminal.close()
        _ = await serving.result
        return result
    }
}
