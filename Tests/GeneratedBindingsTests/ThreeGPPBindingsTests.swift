// ThreeGPPBindingsTests.swift: the generated API of the 3GPP base, and a vendor module that builds on it.

import ATRuntime
import SIM7672X
import SIM800
import Testing
import ThreeGPP

@Suite("ThreeGPP bindings")
struct ThreeGPPBindingsTests {
    @Test func theBringUpCommandsEncodeAsTheStandardWritesThem() throws {
        #expect(text(try ThreeGPP.ReportMobileEquipmentError.Write(mode: .verbose).encode()) == "AT+CMEE=2\r")
        #expect(text(ThreeGPP.EnterPIN.Read().encode()) == "AT+CPIN?\r")
        #expect(text(ThreeGPP.SerialNumber.Execute().encode()) == "AT+CGSN\r")
        #expect(text(try ThreeGPP.EPSNetworkRegistration.Write(mode: .location).encode()) == "AT+CEREG=2\r")
        #expect(text(try ThreeGPP.NetworkRegistration.Write(mode: .registration).encode()) == "AT+CREG=1\r")
        #expect(text(ThreeGPP.SignalQuality.Execute().encode()) == "AT+CSQ\r")
        #expect(text(try ThreeGPP.PDPContext.Write(cid: 1, pdpType: "IP", apn: "internet").encode()) == "AT+CGDCONT=1,\"IP\",\"internet\"\r")
        #expect(text(try ThreeGPP.PDPContextActivation.Write(state: .activated, contextIDs: [1, 2]).encode()) == "AT+CGACT=1,1,2\r")
        #expect(text(try ThreeGPP.PDPAddress.Write(contextIDs: [1]).encode()) == "AT+CGPADDR=1\r")
        #expect(text(ThreeGPP.Attention.Execute().encode()) == "AT\r")
    }

    @Test func thePINIsASecret() throws {
        let enter = try ThreeGPP.EnterPIN.Write(pin: "4711")
        #expect(text(enter.encode()) == "AT+CPIN=\"4711\"\r")
        #expect(!"\(enter)".contains("4711"))
    }

    @Test func registrationURCsOfEveryShapeAreTyped() throws {
        func urc(_ line: String) throws -> ThreeGPP.URC? {
            var decoder = ATDecoder(module: ThreeGPP.descriptor)
            guard case .urc(let match, _)? = decoder.feed(Array((line + "\r\n").utf8)).first else { return nil }
            return try ThreeGPP.URC.decode(match)
        }
        guard case .networkRegistrationReport(let short)? = try urc("+CREG: 1") else {
            Issue.record("+CREG: 1 is not a registration report")
            return
        }
        #expect(short.status == .registeredHome)
        #expect(short.locationAreaCode == nil)
        guard case .epsNetworkRegistrationReport(let long)? = try urc("+CEREG: 5,\"1A2B\",\"01C2D3E4\",7") else {
            Issue.record("+CEREG with location is not an EPS registration report")
            return
        }
        #expect(long.status == .registeredRoaming)
        #expect(long.trackingAreaCode == "1A2B")
        #expect(long.cellID == "01C2D3E4")
        guard case .simStatus? = try urc("+CPIN: READY") else {
            Issue.record("+CPIN: READY is not the SIM status")
            return
        }
    }

    @Test func theErrorTableTakesNumbersAndTexts() {
        #expect(ThreeGPP.CMEError(rawValue: 10) == .simNotInserted)
        #expect(ThreeGPP.CMEError(text: "SIM not inserted") == .simNotInserted)
        #expect(ThreeGPP.CMEError(field: "10") == ThreeGPP.CMEError(field: "sim NOT inserted"))
        #expect(ThreeGPP.CMEError(field: "9999") == .unrecognized(9999))
        #expect(ThreeGPP.CMEError(field: "modem on fire") == .unrecognizedText("modem on fire"))
        #expect(ThreeGPP.CMEError.unrecognizedText("modem on fire").description == "modem on fire")
    }

    @Test func aVendorModuleTypesTheBasesURCsAndFinalResultsAsItsOwn() throws {
        var decoder = ATDecoder(module: SIM7672X.descriptor)
        let events = decoder.feed(Array("+CREG: 1\r\n+CMQTTCONNLOST: 0,1\r\n".utf8))
        let urcs = try events.compactMap { event -> SIM7672X.URC? in
            guard case .urc(let match, _) = event else { return nil }
            return try SIM7672X.URC.decode(match)
        }
        #expect(urcs.count == 2)
        guard case .base(.networkRegistrationReport)? = urcs.first, case .connectionLost? = urcs.last else {
            Issue.record("got \(urcs)")
            return
        }
        let failure = try SIM7672X.FinalResult.decode(name: "cme_error", fields: [CapturedField(name: "err", text: "SIM busy", quoted: false)])
        #expect(failure == .base(.cmeError(err: .simBusy)))
        #expect(failure?.isSuccess == false)
        #expect(try SIM7672X.FinalResult.decode(name: "ok", fields: [])?.isSuccess == true)
        #expect(failure?.description == "+CME ERROR: 14: SIM busy")
        // The vendor's own final result comes first; the base's follow.
        #expect(SIM800.descriptor.finals.map(\.name) == ThreeGPP.descriptor.finals.map(\.name))
        #expect(SIM7672X.descriptor.forms.prefix(3).map(\.command) == ["CMQTTSTART", "CMQTTSTOP", "CMQTTACCQ"])
    }
}
