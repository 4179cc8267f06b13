// StartupCheck.swift: the start-up checks of a cellular module, written against the types the build plugin generates.

import ATModem
import ATRuntime

/// What a module reported at start-up.
public struct StartupReport: Sendable, Hashable {
    /// `READY`, or the password the SIM waits for (`SIM PIN`, `SIM PUK`).
    public var sim: String
    /// The received signal strength in dBm; nil when the module does not know it.
    public var signalDBm: Int?
    /// The registration status once the checks ended.
    public var registration: Basic3GPP.Status
    /// The operator's name, when registered.
    public var operatorName: String?
    /// The serving cell's access technology, when the module reports it.
    public var accessTechnology: Basic3GPP.AccessTechnology?
    /// Whether the module is attached to the packet domain.
    public var attached: Bool
    /// The PDP contexts the module has defined.
    public var contexts: [Basic3GPP.PDPContext.ReadLine]
}

/// Why the start-up checks stopped.
public enum StartupError: Error, Sendable, Hashable {
    /// The SIM waits for a password (`SIM PIN`, `SIM PUK`, ...).
    case simLocked(String)
    /// Registration was denied, or the unsolicited reports ended before the module registered.
    case notRegistered(Basic3GPP.Status)
}

extension Basic3GPP {
    /// Runs the start-up checks: the SIM is ready, the signal, registration (waiting
    /// for the `+CREG` report while the module searches), the operator, the packet-domain
    /// attachment, and a PDP context for `apn` (context 1).
    ///
    /// - Throws: ``StartupError``, ``ATCommandError`` from the engine, or
    ///   ``ATParameterError`` when `apn` cannot be sent (a quote or a control character).
    public static func startup(on engine: ATEngine<Basic3GPP>, apn: String) async throws -> StartupReport {
        let sim = try await engine.send(PIN.Read()).line.code
        guard sim == "READY" else { throw StartupError.simLocked(sim) }

        let signal = try await engine.send(SignalQuality.Execute()).line
        let signalDBm = signal.rssi == 99 ? nil : -113 + 2 * signal.rssi

        _ = try await engine.send(NetworkRegistration.Write(report: .status))
        let registration = try await engine.send(NetworkRegistration.Read()).line
        let status = try await registered(registration.status, reports: engine.unsolicited)

        let selection = try await engine.send(OperatorSelection.Read()).line
        let attached = try await engine.send(PacketDomainAttach.Read()).line.state == .attached
        _ = try await engine.send(PDPContext.Write(contextID: 1, pdpType: "IP", accessPointName: apn))
        let contexts = try await engine.send(PDPContext.Read()).lines
        return StartupReport(
            sim: sim, signalDBm: signalDBm, registration: status, operatorName: selection.operatorName,
            accessTechnology: selection.accessTechnology ?? registration.accessTechnology, attached: attached, contexts: contexts)
    }

    /// The status once registered: `status` itself, or the first `+CREG: <stat>` report
    /// that says home or roaming while the module searches.
    static func registered(_ status: Status, reports: AsyncStream<ATUnsolicitedEvent<URC>>) async throws -> Status {
        var status = status
        var iterator = reports.makeAsyncIterator()
        while status != .home, status != .roaming {
            guard status == .searching || status == .notRegistered || status == .unknown else { throw StartupError.notRegistered(status) }
            guard let event = await iterator.next() else { throw StartupError.notRegistered(status) }
            if case .urc(.registration(let report)) = event { status = report.status }
        }
        return status
    }
}
