// FlowTests.swift: representative flows of each family decoded and typed with the generated bindings.

import ATRuntime
import FibocomL610
import SIM7672X
import SIM800
import Testing

/// The lines of a decoded flow, typed where the test needs them.
extension [DecodedEvent] {
    var urcs: [URCMatch] { compactMap { if case .urc(let match, _) = $0 { return match } else { return nil } } }
    var unrecognized: [String] { compactMap { if case .unrecognized(let line) = $0 { return line.text } else { return nil } } }
    var broken: [BrokenURC] { compactMap { if case .brokenURC(let broken) = $0 { return broken } else { return nil } } }
    func deferred(_ command: String) -> [CapturedField]? {
        for event in self { if case .deferred(command, _, _, _, let fields) = event { return fields } }
        return nil
    }
    func requireDeferred(_ command: String) throws -> [CapturedField] {
        let fields: [CapturedField]? = deferred(command)
        return try #require(fields, "no deferred result of \(command)")
    }
    var finals: [String] { compactMap { if case .final(let name, _, _, _) = $0 { return name } else { return nil } } }
}

@Suite("Flows")
struct FlowTests {
    @Test func sim800StandardMQTT() throws {
        let events = Seeds.decode(SIM800.descriptor, "AT+SMCONN\r\nOK\r\nAT+SMSUB=\"Topic1\",1\r\nOK\r\n+SMSUB: 1,0\r\nAT+SMPUB=\"Topic1\",1,0,\"hello world\"\r\nOK\r\n+SMPUB: 2,0\r\n+SMPUBLISH: 1,\"Topic1\",11,\"hello world\"\r\n")
        #expect(events.unrecognized.isEmpty)
        let subscribe = try SIM800.Subscribe.Write.response(from: ATResponseLines(deferred: try events.requireDeferred("SMSUB")))
        #expect(subscribe.result?.isSuccess == true)
        let publish = try SIM800.Publish.Write.response(from: ATResponseLines(deferred: try events.requireDeferred("SMPUB")))
        #expect(publish.result?.packetID == 2)
        let message = try SIM800.URC.decode(try #require(events.urcs.first))
        guard case .message(let received)? = message else {
            Issue.record("expected +SMPUBLISH, got \(String(describing: message))")
            return
        }
        #expect(received.topic == "Topic1")
        #expect(received.message == Array("hello world".utf8))
        #expect(received.messageLength == 11)
    }

    @Test func sim800MessageHoldingQuotesCommasAndLineEnds() throws {
        let events = Seeds.decode(SIM800.descriptor, "+SMPUBLISH: 3,\"a/b\",13,\"x,\"y\"\r\nz, ok!\"\r\n")
        #expect(events.unrecognized.isEmpty)
        guard case .message(let received)? = try SIM800.URC.decode(try #require(events.urcs.first)) else {
            Issue.record("expected +SMPUBLISH")
            return
        }
        #expect(received.message == Array("x,\"y\"\r\nz, ok!".utf8))
    }

    @Test func sim7672xReceiveFlowAssemblesTopicAndPayloadBytes() throws {
        let payload = "0123456789,\"quoted\"\r\nafter CRLF"
        let stream = "+CMQTTRXSTART: 0,9,\(payload.utf8.count)\r\n+CMQTTRXTOPIC: 0,9\r\nsimcommsg\r\n+CMQTTRXPAYLOAD: 0,\(payload.utf8.count)\r\n\(payload)\r\n+CMQTTRXEND: 0\r\n"
        let events = Seeds.decode(SIM7672X.descriptor, stream)
        #expect(events.unrecognized.isEmpty)
        guard case .receivedMessage(let message)? = try SIM7672X.URC.decode(try #require(events.urcs.first)) else {
            Issue.record("expected a received message")
            return
        }
        #expect(message.topic == Array("simcommsg".utf8))
        #expect(message.payload == Array(payload.utf8))
        #expect(message.clientIndex == 0)
    }

    @Test func sim7672xLongPayloadSplitOverParts() throws {
        let first = [UInt8](repeating: 0x41, count: 1500)
        let second: [UInt8] = [0x00, 0xFF, 0x0D, 0x0A, 0x22]
        var stream = Array("+CMQTTRXSTART: 1,3,1505\r\n+CMQTTRXTOPIC: 1,3\r\na/b\r\n+CMQTTRXPAYLOAD: 1,1500\r\n".utf8) + first
        stream += Array("\r\n+CMQTTRXPAYLOAD: 1,5\r\n".utf8) + second + Array("\r\n+CMQTTRXEND: 1\r\n".utf8)
        let events = Seeds.decode(SIM7672X.descriptor, stream, chunks: [7, 64, 3])
        guard case .receivedMessage(let message)? = try SIM7672X.URC.decode(try #require(events.urcs.first)) else {
            Issue.record("expected a received message")
            return
        }
        #expect(message.payload == first + second)
    }

    @Test func sim7672xDeferredResultBeforeOrAfterTheFinalResult() throws {
        let after = Seeds.decode(SIM7672X.descriptor, "AT+CMQTTSTART\r\r\nOK\r\n\r\n+CMQTTSTART: 0\r\n")
        let before = Seeds.decode(SIM7672X.descriptor, "AT+CMQTTSTART\r\n+CMQTTSTART: 0\r\nOK\r\n")
        #expect(after.deferred("CMQTTSTART") == before.deferred("CMQTTSTART"))
        #expect(after.unrecognized.isEmpty && before.unrecognized.isEmpty)
        let failed = Seeds.decode(SIM7672X.descriptor, "AT+CMQTTCONNECT=0,\"tcp://h:1883\",60,1\r\n+CMQTTCONNECT: 0,3\r\nERROR\r\n")
        let response = try SIM7672X.Connect.Write.response(from: ATResponseLines(deferred: try failed.requireDeferred("CMQTTCONNECT")))
        #expect(response.result?.resultCode == .sockConnectFail)
        #expect(failed.finals == ["error"])
        let refused = Seeds.decode(SIM7672X.descriptor, "AT+CMQTTCONNECT=0,\"tcp://h:1883\",60,1\r\nOK\r\n+CMQTTCONNECT: 0,11\r\n")
        let typed = try SIM7672X.Connect.Write.response(from: ATResponseLines(deferred: try refused.requireDeferred("CMQTTCONNECT")))
        #expect(typed.result?.resultCode == .noConnection)
        #expect(typed.result?.isSuccess == false)
    }

    @Test func urcsBetweenEchoAndOKAndDuringAPrompt() throws {
        let events = Seeds.decode(SIM7672X.descriptor, "AT+CMQTTTOPIC=0,9\r\n+CMQTTCONNLOST: 0,1\r\n>simcommsg\r\nOK\r\n")
        #expect(events.unrecognized.isEmpty)
        #expect(events.urcs.map(\.name) == ["CMQTTCONNLOST"])
        #expect(events.contains(.prompt))
        #expect(events.contains(.data(Array("simcommsg".utf8))))
        #expect(events.finals == ["ok"])
    }

    @Test func cmeErrorIsAFinalResult() throws {
        let events = Seeds.decode(SIM7672X.descriptor, "AT+CMQTTSTART\r\n+CME ERROR: 3\r\n")
        #expect(events.finals == ["cme_error"])
    }

    @Test func l610OpenSubscribeMessageAndBreak() throws {
        let stream = "AT+MQTTOPEN?\r\n+MQTTOPEN: 1,2\r\nOK\r\nAT+MQTTOPEN=1,\"broker\",1883,0,80\r\nOK\r\n+MQTTOPEN: 1,1\r\nAT+MQTTSUB=1,\"topic1\",0\r\nOK\r\n+MQTTSUB: 1,1\r\n+MQTTMSG: 1,0,\"topic1\",\"Test, with comma\"\r\n+MQTTBREAK: 1,1\r\n+MQTTCLOSE: 1,1\r\n"
        let events = Seeds.decode(FibocomL610.descriptor, stream)
        #expect(events.unrecognized.isEmpty)
        // The read answer and the write result share a prefix; the command in flight tells them apart.
        let read = events.compactMap { event -> (Int, [CapturedField])? in
            if case .response("MQTTOPEN", "read", let index, "+MQTTOPEN: 1,2", let fields) = event { return (index, fields) } else { return nil }
        }
        #expect(read.count == 1)
        // The free client ids are one list: the line `+MQTTOPEN: 0` (no free client) is another shape.
        let answer = try FibocomL610.Open.Read.response(from: ATResponseLines(information: read.map { ($0.0, $0.1) }))
        #expect(answer.line2?.freeClientIDs == [1, 2])
        let open = try FibocomL610.Open.Write.response(from: ATResponseLines(deferred: try events.requireDeferred("MQTTOPEN")))
        #expect(open.result?.isSuccess == true)
        let urcs = try events.urcs.map { try FibocomL610.URC.decode($0) }
        guard urcs.count == 3, case .message(let message)? = urcs[0], case .connectionBroken(let broken)? = urcs[1], case .closed(let closed)? = urcs[2] else {
            Issue.record("unexpected URCs \(urcs)")
            return
        }
        #expect(message.payload == "Test, with comma")
        #expect(broken.cause == .init(rawValue: 1))
        #expect(closed.clientID == 1)
    }

    @Test func l610ModuleErrors() throws {
        let events = Seeds.decode(FibocomL610.descriptor, "AT+MQTTOPEN=1,\"broker\",1883,0,80\r\nERROR: 703\r\n")
        guard case .final(let name, false, _, let fields)? = events.last else {
            Issue.record("expected a failing final result, got \(events)")
            return
        }
        #expect(try FibocomL610.FinalResult.decode(name: name, fields: fields) == .mqttError(err: .badUserNameOrPassword))
    }

    @Test func unknownLinesAreReportedNotDropped() {
        let events = Seeds.decode(SIM7672X.descriptor, "RDY\r\n+CPIN READY\r\nAT+NOSUCH\r\nOK\r\n")
        #expect(events.unrecognized == ["RDY", "+CPIN READY", "AT+NOSUCH"])
        #expect(events.finals == ["ok"])
    }
}

@Suite("Multi-part bound")
struct MultiPartBoundTests {
    @Test func repeatedPartsCannotGrowOneURCWithoutBound() throws {
        var decoder = ATDecoder(module: SIM7672X.descriptor, maxDataLength: 65536)
        var events = decoder.feed(Array("+CMQTTRXSTART: 0,5,99999999\r\n+CMQTTRXTOPIC: 0,5\r\nabcde\r\n".utf8))
        let part = Array("+CMQTTRXPAYLOAD: 0,60000\r\n".utf8) + [UInt8](repeating: 0x41, count: 60000) + [0x0D, 0x0A]
        for _ in 0..<50 { events += decoder.feed(part) }
        // The second part takes the URC past the limit: it is dropped and reported once, with what it had.
        #expect(events.broken.map(\.reason) == [.tooLarge(limit: 65536)])
        #expect(events.broken.first?.data["topic"] == Array("abcde".utf8))
        #expect(events.broken.first?.lines == ["+CMQTTRXSTART: 0,5,99999999", "+CMQTTRXTOPIC: 0,5", "+CMQTTRXPAYLOAD: 0,60000", "+CMQTTRXPAYLOAD: 0,60000"])
        #expect(events.urcs.isEmpty)
        // Decoding goes on: a complete message afterwards is assembled as usual.
        let message = Array("+CMQTTRXSTART: 1,1,2\r\n+CMQTTRXTOPIC: 1,1\r\nt\r\n+CMQTTRXPAYLOAD: 1,2\r\nok\r\n+CMQTTRXEND: 1\r\n".utf8)
        let after = decoder.feed(message)
        guard case .receivedMessage(let received)? = try SIM7672X.URC.decode(try #require(after.urcs.first)) else {
            Issue.record("expected a message after the dropped one, got \(after)")
            return
        }
        #expect(received.payload == Array("ok".utf8))
    }
}
