// SIM7000BindingsTests.swift: the generated SIM7000/SIM7080 SM* API: the tag settings real
// captures use, the prompted publish, certificate names, and the unsolicited state.

import ATRuntime
import SIM7000
import Testing

@Suite("SIM7000 bindings")
struct SIM7000BindingsTests {
    @Test func configureTagsAreTyped() throws {
        #expect(text(try SIM7000.Configure.Write(.url(server: "broker.example", port: 1883)).encode()) == "AT+SMCONF=\"URL\",\"broker.example\",1883\r")
        #expect(text(try SIM7000.Configure.Write(.keepTime(60)).encode()) == "AT+SMCONF=\"KEEPTIME\",60\r")
        #expect(text(try SIM7000.Configure.Write(.topic("t")).encode()) == "AT+SMCONF=\"TOPIC\",\"t\"\r")
        #expect(text(try SIM7000.Configure.Write(.qos(.atLeastOnce)).encode()) == "AT+SMCONF=\"QOS\",1\r")
        let password = try SIM7000.Configure.Write(.password("hunter2"))
        #expect(password.description == "AT+SMCONF=\"PASSWORD\",<redacted>")
        #expect(!password.description.contains("hunter2"))
    }

    @Test func publishPromptsForItsDataAndCountsItsLength() throws {
        let publish = try SIM7000.Publish.Write(topic: "001", qos: .atLeastOnce, retain: .retained, message: Array("0123456789".utf8))
        #expect(text(publish.encode()) == "AT+SMPUB=\"001\",10,1,1\r")
        #expect(publish.promptData == Array("0123456789".utf8))
        #expect(publish.descriptor.hasPrompt && publish.descriptor.promptLengthParameter != nil)
    }

    @Test func sslSelectsItsCertificatesByFileName() throws {
        #expect(text(try SIM7000.SelectSSL.Write(index: 1, caList: "ca.crt", certificateName: "myclient.crt").encode()) == "AT+SMSSL=1,\"ca.crt\",\"myclient.crt\"\r")
    }

    @Test func theUnsolicitedStateIsTyped() throws {
        let line = try #require(SIM7000.descriptor.urcs.first { $0.name == "SMSTATE" }?.line)
        let urc = try SIM7000.URC.decode(URCMatch(name: "SMSTATE", fields: try #require(line.match("+SMSTATE: 0"))))
        guard case .connectionStateChanged(let state)? = urc else {
            Issue.record("\(String(describing: urc))")
            return
        }
        #expect(state.status == .disconnected)
    }
}
