// SIM7672XBindingsTests.swift: the generated SIM7672X API: encoding, checks, responses, URCs, errors.

import ATRuntime
import SIM7672X
import Testing

/// The fields of `line` matched against a form's deferred result or response, via the generated descriptor.
func fields(_ module: ModuleDescriptor, _ command: String, _ form: String, deferred line: String) throws -> [CapturedField] {
    let descriptor = try #require(module.forms.first { $0.command == command && $0.name == form })
    return try #require(descriptor.deferred?.match(line), "'\(line)' does not match \(command) \(form)")
}

func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

@Suite("SIM7672X bindings")
struct SIM7672XBindingsTests {
    @Test func connectEncodesTheManualsExample() throws {
        let connect = try SIM7672X.Connect.Write(clientIndex: 0, serverAddress: "tcp://test.mosquitto.org:1883", keepAliveTime: 60, cleanSession: true)
        #expect(text(connect.encode()) == "AT+CMQTTCONNECT=0,\"tcp://test.mosquitto.org:1883\",60,1\r")
        let withUser = try SIM7672X.Connect.Write(clientIndex: 1, serverAddress: "tcp://10.0.0.1", keepAliveTime: 20, cleanSession: false, userName: "u", password: "secret")
        #expect(text(withUser.encode()) == "AT+CMQTTCONNECT=1,\"tcp://10.0.0.1\",20,0,\"u\",\"secret\"\r")
        #expect(withUser.description == "AT+CMQTTCONNECT=1,\"tcp://10.0.0.1\",20,0,\"u\",<redacted>")
        #expect(!"\(withUser)".contains("secret"))
    }

    @Test func outOfRangeValuesCannotBeBuilt() {
        #expect(throws: ATParameterError(command: "AT+CMQTTCONNECT", parameter: "keepalive_time", reason: .outOfRange(value: 0, allowed: "1-64800"), source: "SIM7672X.yaml, an 2.2.8")) {
            try SIM7672X.Connect.Write(clientIndex: 0, serverAddress: "tcp://host:1883", keepAliveTime: 0, cleanSession: true)
        }
        #expect(throws: ATParameterError.self) { try SIM7672X.Connect.Write(clientIndex: 2, serverAddress: "tcp://host:1883", keepAliveTime: 60, cleanSession: true) }
        #expect(throws: ATParameterError.self) { try SIM7672X.Connect.Write(clientIndex: 0, serverAddress: "mqtt://host:1883", keepAliveTime: 60, cleanSession: true) }
        #expect(throws: ATParameterError.self) { try SIM7672X.Connect.Write(clientIndex: 0, serverAddress: "tcp://h", keepAliveTime: 60, cleanSession: true) }
        #expect(throws: ATParameterError(command: "AT+CMQTTCONNECT", parameter: "pass_word", reason: .requires("user_name"), source: "SIM7672X.yaml, an 2.2.8")) {
            try SIM7672X.Connect.Write(clientIndex: 0, serverAddress: "tcp://host:1883", keepAliveTime: 60, cleanSession: true, password: "p")
        }
    }

    @Test(arguments: [UInt8(0x0D), 0x0A, 0x22, 0x1A, 0x1B, 0x00])
    func stringsCannotSmuggleACommand(_ byte: UInt8) {
        let evil = "ab" + String(decoding: [byte], as: UTF8.self) + "AT+CFUN=0"
        #expect(throws: ATParameterError(command: "AT+CMQTTACCQ", parameter: "client_id", reason: .forbiddenByte(byte, offset: 2), source: "SIM7672X.yaml, an 2.2.3")) {
            try SIM7672X.AcquireClient.Write(clientIndex: 0, clientID: evil)
        }
    }

    @Test func promptCommandsSendTheirDataWithItsLength() throws {
        let topic = try SIM7672X.SetPublishTopic.Write(clientIndex: 0, topic: Array("simcommsg".utf8))
        #expect(text(topic.encode()) == "AT+CMQTTTOPIC=0,9\r")
        #expect(topic.promptData == Array("simcommsg".utf8))
        #expect(topic.descriptor.hasPrompt)
        #expect(throws: ATParameterError.self) { try SIM7672X.SetPublishTopic.Write(clientIndex: 0, topic: []) }
        #expect(throws: ATParameterError.self) { try SIM7672X.SetPublishTopic.Write(clientIndex: 0, topic: [UInt8](repeating: 0x41, count: 1025)) }
        let binary: [UInt8] = [0x00, 0x0D, 0x0A, 0x22, 0xFF]
        #expect(try SIM7672X.SetPublishPayload.Write(clientIndex: 0, payload: binary).promptData == binary)
    }

    @Test func tagSelectedFormsAreOneEnumOfSettings() throws {
        let request = try SIM7672X.Configure.Write(.checkUTF8(clientIndex: 0, checkUTF8: false))
        #expect(text(request.encode()) == "AT+CMQTTCFG=\"checkUTF8\",0,0\r")
        #expect(throws: ATParameterError.self) { try SIM7672X.Configure.Write(.operationTimeout(clientIndex: 0, operationTimeout: 10)) }
        #expect(text(try SIM7672X.Configure.Write(.operationTimeout(clientIndex: 0, operationTimeout: 24)).encode()) == "AT+CMQTTCFG=\"optimeout\",0,24\r")
    }

    @Test func deferredResultsAreTypedWithTheErrorTable() throws {
        let failed = try SIM7672X.Connect.Write.response(from: ATResponseLines(deferred: fields(SIM7672X.descriptor, "CMQTTCONNECT", "write", deferred: "+CMQTTCONNECT: 0,11")))
        #expect(failed.result == SIM7672X.Connect.WriteResult(clientIndex: 0, resultCode: .noConnection))
        #expect(failed.result?.isSuccess == false)
        #expect(failed.result?.resultCode.text == "no connection")
        let started = try SIM7672X.StartService.Execute.response(from: ATResponseLines(deferred: fields(SIM7672X.descriptor, "CMQTTSTART", "execute", deferred: "+CMQTTSTART: 0")))
        #expect(started.result?.isSuccess == true)
        #expect(SIM7672X.MQTTError(rawValue: 99) == .unrecognized(99))
        #expect(SIM7672X.MQTTError(rawValue: 30).description == "30: connection refused: bad user name or password")
    }

    @Test func urcsDecodeIntoTheURCEnum() throws {
        let descriptor = try #require(SIM7672X.descriptor.urcs.first { $0.name == "CMQTTCONNLOST" }?.line)
        let lost = try SIM7672X.URC.decode(URCMatch(name: "CMQTTCONNLOST", fields: try #require(descriptor.match("+CMQTTCONNLOST: 0,1"))))
        guard case .connectionLost(let payload)? = lost else {
            Issue.record("expected connectionLost, got \(String(describing: lost))")
            return
        }
        #expect(payload.clientIndex == 0)
        #expect(try SIM7672X.URC.decode(URCMatch(name: "CMQTTNONET", fields: [])) == .noNetwork)
        let start = try #require(SIM7672X.descriptor.urcs.first { $0.name == "CMQTTRX" }?.parts.first?.line.match("+CMQTTRXSTART: 0,9,60"))
        let message = try SIM7672X.URC.decode(URCMatch(name: "CMQTTRX", fields: start, data: ["topic": Array("simcommsg".utf8), "payload": [1, 2, 3]]))
        guard case .receivedMessage(let received)? = message else {
            Issue.record("expected receivedMessage")
            return
        }
        #expect(received.topic == Array("simcommsg".utf8))
        #expect(received.payload == [1, 2, 3])
        #expect(received.payloadTotalLength == 60)
        #expect(try SIM7672X.URC.decode(URCMatch(name: "NOPE", fields: [])) == nil)
    }

    @Test func finalResultsDecode() throws {
        #expect(try SIM7672X.FinalResult.decode(name: "ok", fields: [])?.isSuccess == true)
        #expect(try SIM7672X.FinalResult.decode(name: "error", fields: [])?.isSuccess == false)
    }
}
