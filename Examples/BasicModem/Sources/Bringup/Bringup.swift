// Bringup.swift: a gateway's bring-up on one SIMCom SIM7672X: SIM, registration, signal, PDP context, then MQTT, through one engine.

import ATModem
import SIM7672X
import ThreeGPP

/// What the bring-up found and did.
public struct BringupReport: Sendable, Hashable {
    /// The IMEI (`AT+CGSN`).
    public var imei: String
    /// The SIM's state (`READY`).
    public var sim: String
    /// How the module is registered on the EPS network, once it is.
    public var registration: ThreeGPP.URC.EPSNetworkRegistrationReportStatus
    /// Whether the registration was waited for (the module was still searching when asked).
    public var waitedForRegistration: Bool
    /// The signal in dBm (`+CSQ` rssi 2...30 is -109...-53 dBm), nil when not known (99).
    public var signalDBm: Int?
    /// The address of PDP context 1.
    public var address: String?
    /// What `ATI` says: a command no request type covers, sent raw.
    public var identification: [String]
    /// The MQTT broker it published to.
    public var broker: String
}

/// Why the bring-up stopped.
public enum BringupError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The SIM is not ready (`SIM PIN`, or no SIM: the module's typed error says which).
    case simNotReady(String)
    /// No registration within the time allowed.
    case notRegistered
    /// A step failed with the module's typed result.
    case failed(step: String, ATCommandError<SIM7672X.FinalResult>)

    public var description: String {
        switch self {
        case .simNotReady(let state): "SIM not ready: \(state)"
        case .notRegistered: "not registered in time"
        case .failed(let step, let error): "\(step): \(error)"
        }
    }
}

/// The steps of a gateway's bring-up, each a typed request of the base (`ThreeGPP`) or of the
/// vendor module (`SIM7672X`), all through the same engine.
public enum Bringup {
    /// Brings the module up and publishes `payload` to `topic` on `broker` (`host:port`).
    public static func run(
        on engine: ATEngine<SIM7672X>, apn: String, broker: String, clientID: String, topic: String, payload: [UInt8],
        registrationTimeout: Duration = .seconds(30)
    ) async throws -> BringupReport {
        func step<Response>(_ name: String, _ body: () async throws(ATCommandError<SIM7672X.FinalResult>) -> Response) async throws(BringupError) -> Response {
            do throws(ATCommandError<SIM7672X.FinalResult>) {
                return try await body()
            } catch {
                throw .failed(step: name, error)
            }
        }
        // Errors in words: +CME ERROR: SIM not inserted, typed as ThreeGPP.CMEError.simNotInserted.
        let verbose = try ThreeGPP.ReportMobileEquipmentError.Write(mode: .verbose)
        _ = try await step("verbose errors") { () async throws(ATCommandError<SIM7672X.FinalResult>) in try await engine.send(verbose) }
        let imei = try await step("IMEI") { () async throws(ATCommandError<SIM7672X.FinalResult>) in try await engine.send(ThreeGPP.SerialNumber.Execute()) }
        let sim: ThreeGPP.EnterPIN.ReadResponse
        do throws(ATCommandError<SIM7672X.FinalResult>) {
            sim = try await engine.send(ThreeGPP.EnterPIN.Read())
        } catch {
            if case .failed(_, .base(.cmeError(let reason))?, _) = error { throw BringupError.simNotReady(reason.text) }
            throw BringupError.failed(step: "SIM", error)
        }
        guard sim.line.code == "READY" else { throw BringupError.simNotReady(sim.line.code) }

        // Registration: ask for the +CEREG report, then wait for it if the module is still searching.
        let reports = await engine.listen { event in
            if case .urc(.base(.epsNetworkRegistrationReport)) = event { true } else { false }
        }
        let report = try ThreeGPP.EPSNetworkRegistration.Write(mode: .registration)
        _ = try await step("registration reports") { () async throws(ATCommandError<SIM7672X.FinalResult>) in try await engine.send(report) }
        let now = try await step("registration") { () async throws(ATCommandError<SIM7672X.FinalResult>) in try await engine.send(ThreeGPP.EPSNetworkRegistration.Read()) }
        var registration = ThreeGPP.URC.EPSNetworkRegistrationReportStatus(rawValue: now.line.status.rawValue)
        var waited = false
        if !Self.isRegistered(registration) {
            waited = true
            registration = try await Self.firstRegistration(in: reports, within: registrationTimeout)
        }

        let signal = try await step("signal") { () async throws(ATCommandError<SIM7672X.FinalResult>) in try await engine.send(ThreeGPP.SignalQuality.Execute()) }
        let context = try ThreeGPP.PDPContext.Write(cid: 1, pdpType: "IP", apn: apn)
        _ = try await step("PDP context") { () async throws(ATCommandError<SIM7672X.FinalResult>) in try await engine.send(context) }
        let activate = try ThreeGPP.PDPContextActivation.Write(state: .activated, contextIDs: [1])
        _ = try await step("PDP activation") { () async throws(ATCommandError<SIM7672X.FinalResult>) in try await engine.send(activate) }
        let addressQuery = try ThreeGPP.PDPAddress.Write(contextIDs: [1])
        let address = try await step("PDP address") { () async throws(ATCommandError<SIM7672X.FinalResult>) in try await engine.send(addressQuery) }
        let identification = try await step("identification") { () async throws(ATCommandError<SIM7672X.FinalResult>) in try await engine.send(raw: "ATI") }

        // MQTT through the module's own stack.
        _ = try await step("MQTT start") { () async throws(ATCommandError<SIM7672X.FinalResult>) in try await engine.send(SIM7672X.StartService.Execute()) }
        let acquire = try SIM7672X.AcquireClient.Write(clientIndex: 0, clientID: clientID)
        _ = try await step("MQTT client") { () async throws(ATCommandError<SIM7672X.FinalResult>) in try await engine.send(acquire) }
        let connect = try SIM7672X.Connect.Write(clientIndex: 0, serverAddress: "tcp://" + broker, keepAliveTime: 60, cleanSession: true)
        _ = try await step("MQTT connect") { () async throws(ATCommandError<SIM7672X.FinalResult>) in try await engine.send(connect) }
        let setTopic = try SIM7672X.SetPublishTopic.Write(clientIndex: 0, topic: Array(topic.utf8))
        _ = try await step("MQTT topic") { () async throws(ATCommandError<SIM7672X.FinalResult>) in try await engine.send(setTopic) }
        let setPayload = try SIM7672X.SetPublishPayload.Write(clientIndex: 0, payload: payload)
        _ = try await step("MQTT payload") { () async throws(ATCommandError<SIM7672X.FinalResult>) in try await engine.send(setPayload) }
        let publish = try SIM7672X.Publish.Write(clientIndex: 0, qos: .atLeastOnce, publishTimeout: 60)
        _ = try await step("MQTT publish") { () async throws(ATCommandError<SIM7672X.FinalResult>) in try await engine.send(publish) }
        let disconnect = try SIM7672X.Disconnect.Write(clientIndex: 0, timeout: 60)
        _ = try await step("MQTT disconnect") { () async throws(ATCommandError<SIM7672X.FinalResult>) in try await engine.send(disconnect) }

        let rssi = signal.line.rssi
        return BringupReport(
            imei: imei.lines.first?.sn ?? "", sim: sim.line.code, registration: registration, waitedForRegistration: waited,
            signalDBm: (0...31).contains(rssi) ? -113 + 2 * rssi : nil, address: address.lines.first?.pdpAddress1,
            identification: identification.texts, broker: broker)
    }

    static func isRegistered(_ status: ThreeGPP.URC.EPSNetworkRegistrationReportStatus) -> Bool {
        status == .registeredHome || status == .registeredRoaming
    }

    /// The first report that says registered, from `reports`, within `limit`.
    static func firstRegistration(
        in reports: AsyncStream<ATUnsolicitedEvent<SIM7672X.URC>>, within limit: Duration
    ) async throws -> ThreeGPP.URC.EPSNetworkRegistrationReportStatus {
        try await withThrowingTaskGroup(of: ThreeGPP.URC.EPSNetworkRegistrationReportStatus?.self) { group in
            group.addTask {
                for await event in reports {
                    if case .urc(.base(.epsNetworkRegistrationReport(let report))) = event, isRegistered(report.status) { return report.status }
                }
                return nil
            }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let status = first else { throw BringupError.notRegistered }
            return status
        }
    }
}
