// SIM800BindingsTests.swift: the generated SIM800 API.

import ATRuntime
import SIM800
import Testing

@Suite("SIM800 bindings")
struct SIM800BindingsTests {
    @Test func configureSettingsAreTyped() throws {
        #expect(text(try SIM800.Configure.Write(.keepAlive(60)).encode()) == "AT+SMCONF=\"KEEPALIVE\",60\r")
        #expect(text(try SIM800.Configure.Write(.url("117.131.85.139:6000")).encode()) == "AT+SMCONF=\"URL\",\"117.131.85.139:6000\"\r")
        #expect(throws: ATParameterError(command: "AT+SMCONF", parameter: "keepalive", reason: .outOfRange(value: 30, allowed: "60-3600"), source: "SIM800.yaml, en 3.1")) {
            try SIM800.Configure.Write(.keepAlive(30))
        }
        let password = try SIM800.Configure.Write(.password("hunter2"))
        #expect(password.description == "AT+SMCONF=\"PASSWORD\",<redacted>")
    }

    @Test func publishChecksTheMessageLengthInCharacters() throws {
        let publish = try SIM800.Publish.Write(topic: "Topic1", qos: 1, retain: false, message: "hello world")
        #expect(text(publish.encode()) == "AT+SMPUB=\"Topic1\",1,0,\"hello world\"\r")
        // zh 3.5 counts characters (最大为 1024 个字符): 1024 two-byte characters fit, 1025 do not.
        #expect(throws: Never.self) { try SIM800.Publish.Write(topic: "t", qos: 1, retain: false, message: String(repeating: "é", count: 1024)) }
        #expect(throws: ATParameterError(
            command: "AT+SMPUB", parameter: "message", reason: .characterCountOutOfRange(characters: 1025, allowed: "0-1024"), source: "SIM800.yaml, en 3.5")
        ) { try SIM800.Publish.Write(topic: "t", qos: 1, retain: false, message: String(repeating: "é", count: 1025)) }
        #expect(throws: ATParameterError.self) { try SIM800.Publish.Write(topic: "t", qos: 2, retain: false, message: "x") }
    }

    @Test(arguments: [UInt8(0x0D), 0x0A, 0x22, 0x1A, 0x1B])
    func stringsCannotSmuggleACommand(_ byte: UInt8) {
        #expect(throws: ATParameterError.self) { try SIM800.Subscribe.Write(topic: "a" + String(decoding: [byte], as: UTF8.self), qos: 0) }
    }

    @Test func subscribeResultComesAfterOK() throws {
        let form = try #require(SIM800.descriptor.forms.first { $0.command == "SMSUB" && $0.name == "write" })
        #expect(form.deferredPlacement == .after)
        let response = try SIM800.Subscribe.Write.response(from: ATResponseLines(deferred: try #require(form.deferred?.match("+SMSUB: 1,0"))))
        #expect(response.result?.isSuccess == true)
        #expect(response.result?.packetID == 1)
    }
}
