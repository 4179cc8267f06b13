// FibocomL610BindingsTests.swift: the generated L610 API.

import ATRuntime
import FibocomL610
import Testing

@Suite("Fibocom L610 bindings")
struct FibocomL610BindingsTests {
    @Test func openEncodes() throws {
        let open = try FibocomL610.Open.Write(clientID: 1, host: "broker.example.com", port: 1883, cleanSession: false, keepAlive: 80)
        #expect(text(open.encode()) == "AT+MQTTOPEN=1,\"broker.example.com\",1883,0,80\r")
        #expect(throws: ATParameterError.self) { try FibocomL610.Open.Write(clientID: 3, host: "h", port: 1883, cleanSession: false, keepAlive: 80) }
        #expect(throws: ATParameterError.self) { try FibocomL610.Open.Write(clientID: 1, host: "h", port: 0, cleanSession: false, keepAlive: 80) }
        #expect(throws: ATParameterError.self) { try FibocomL610.Open.Write(clientID: 1, host: "h", port: 1883, cleanSession: false, keepAlive: 301) }
    }

    @Test func topicsArePrintableASCII() {
        #expect(throws: ATParameterError(command: "AT+MQTTSUB", parameter: "topic", reason: .notInCharset("printable ASCII", offset: 1), source: "FibocomL610.yaml, l610 1.5.2")) {
            try FibocomL610.Subscribe.Write(clientID: 1, topic: "t\u{7F}", qos: .atMostOnce)
        }
    }

    @Test(arguments: [UInt8(0x0D), 0x0A, 0x22, 0x1A, 0x1B])
    func stringsCannotSmuggleACommand(_ byte: UInt8) {
        #expect(throws: ATParameterError.self) { try FibocomL610.SetUser.Write(clientID: 1, username: "u" + String(decoding: [byte], as: UTF8.self), password: "p") }
    }

    @Test func hexPublishSendsHexDigits() throws {
        let publish = try FibocomL610.Publish.HexData(clientID: 1, topic: "topic1", qos: .atLeastOnce, retain: false, data: [0x00, 0xAB])
        #expect(text(publish.encode()) == "AT+MQTTPUB=1,\"topic1\",1,0,2\r")
        #expect(publish.promptData == Array("00AB".utf8))
    }

    @Test func errorTableAndStatusResults() throws {
        #expect(FibocomL610.MQTTError(rawValue: 703).text.contains("Bad user name or password"))
        #expect(try FibocomL610.FinalResult.decode(name: "mqtt_error", fields: [CapturedField(name: "err", text: "703", quoted: false)]) == .mqttError(err: .badUserNameOrPassword))
        let form = try #require(FibocomL610.descriptor.forms.first { $0.command == "MQTTOPEN" && $0.name == "write" })
        let response = try FibocomL610.Open.Write.response(from: ATResponseLines(deferred: try #require(form.deferred?.match("+MQTTOPEN: 1,1"))))
        #expect(response.result?.isSuccess == true)
    }
}
