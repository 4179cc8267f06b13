// QuectelQMTBindingsTests.swift: the generated Quectel QMT API: tag settings and their queries,
// constraints, a variadic subscribe with a result of three shapes, the Ctrl-Z publish.

import ATRuntime
import QuectelQMT
import Testing

@Suite("Quectel QMT bindings")
struct QuectelQMTBindingsTests {
    typealias Configure = QuectelQMT.Configure

    func form(_ command: String, _ name: String) throws -> FormDescriptor {
        try #require(QuectelQMT.descriptor.forms.first { $0.command == command && $0.name == name })
    }

    @Test func aTagSettingIsWrittenWithItsValueAndQueriedWithout() throws {
        #expect(text(try Configure.Write(.keepalive(clientIndex: 0, keepAliveTime: 120)).encode()) == "AT+QMTCFG=\"keepalive\",0,120\r")
        let query = try Configure.Query(.keepalive(0))
        #expect(text(query.encode()) == "AT+QMTCFG=\"keepalive\",0\r")
        #expect(query.descriptor == (try form("QMTCFG", "keepalive")))
        // The answer is typed by the form that was sent.
        let line = try #require(query.descriptor.responses.first?.match("+QMTCFG: \"keepalive\",120"))
        let answer = try Configure.Query.response(from: ATResponseLines(information: [(0, line)], form: "keepalive"))
        #expect(answer == .keepalive(Configure.QueryKeepaliveLine(keepAliveTime: 120)))
        // A query answered without its line, or the lines of another form, are decoding errors.
        #expect(throws: ATDecodingError.self) { try Configure.Query.response(from: ATResponseLines(form: "keepalive")) }
        #expect(throws: ATDecodingError.self) { try Configure.Query.response(from: ATResponseLines(information: [(0, line)], form: "url")) }
        // The value's range is checked when written, the client index when queried.
        #expect(throws: ATParameterError.self) { try Configure.Write(.keepalive(clientIndex: 0, keepAliveTime: 3601)) }
        #expect(throws: ATParameterError.self) { try Configure.Query(.keepalive(6)) }
    }

    @Test func constraintsBetweenParametersAreCheckedAtConstruction() throws {
        // BG95 3.2.1.8: with <will_fg>=1 the QoS, retain, topic and message must be given.
        do {
            _ = try Configure.Write(.will(clientIndex: 0, willFlag: true, willQoS: nil, willRetain: nil, willTopic: nil, willMessage: nil))
            Issue.record("a will without its topic was accepted")
        } catch {
            guard case .constraint(let text, let violation) = error.reason else {
                Issue.record("\(error)")
                return
            }
            #expect(text.hasPrefix("If <will_fg>=1"))
            #expect(violation == "<will_qos> is required when <will_fg> is 1")
            #expect(error.source.hasPrefix("QuectelQMT.yaml"))
        }
        let will = try Configure.Write(.will(clientIndex: 0, willFlag: true, willQoS: .atLeastOnce, willRetain: .notRetained, willTopic: "t", willMessage: "bye"))
        #expect(text(will.encode()) == "AT+QMTCFG=\"will\",0,1,1,0,\"t\",\"bye\"\r")
        #expect(throws: ATParameterError.self) { try Configure.Write(.will(clientIndex: 0, willFlag: false, willQoS: .atLeastOnce, willRetain: nil, willTopic: nil, willMessage: nil)) }
        // SSL on needs a context index.
        #expect(throws: ATParameterError.self) { try Configure.Write(.ssl(clientIndex: 0, sslMode: .ssl, sslContextIndex: nil)) }
        // A message id of 0 only with QoS 0.
        #expect(throws: ATParameterError.self) {
            try QuectelQMT.Publish.VariableLength(clientIndex: 0, messageID: 0, qos: .atLeastOnce, retain: .notRetained, topic: "t", message: [0x41])
        }
    }

    @Test func aVariadicSubscribeIsOneArrayAndItsResultHasThreeShapes() throws {
        let subscribe = try QuectelQMT.Subscribe.Write(
            clientIndex: 0, messageID: 1, subscriptions: [.init(topic: "a", qos: .atLeastOnce), .init(topic: "b", qos: .exactlyOnce)])
        #expect(text(subscribe.encode()) == "AT+QMTSUB=0,1,\"a\",1,\"b\",2\r")
        #expect(throws: ATParameterError.self) { try QuectelQMT.Subscribe.Write(clientIndex: 0, messageID: 1, subscriptions: []) }
        let write = try form("QMTSUB", "write")
        #expect(write.deferredShapes.count == 3)
        let granted = try #require(write.deferredShapes[0].match("+QMTSUB: 0,1,0,1,2"))
        let answer = try QuectelQMT.Subscribe.Write.response(from: ATResponseLines(deferred: granted, deferredShape: 0))
        guard case .granted(let result)? = answer.result else {
            Issue.record("\(answer)")
            return
        }
        #expect(result.grantedQoS == [.atLeastOnce, .exactlyOnce])
        #expect(answer.result?.isSuccess == true)
        let retrying = try #require(write.deferredShapes[1].match("+QMTSUB: 0,1,1,3"))
        let again = try QuectelQMT.Subscribe.Write.response(from: ATResponseLines(deferred: retrying, deferredShape: 1))
        #expect(again.result?.isSuccess == false)
        guard case .retransmission(let notice)? = again.result else {
            Issue.record("\(again)")
            return
        }
        #expect(notice.messageID == 1)
    }

    @Test func aPublishEndedByCtrlZCarriesBytesAndRefusesTheTerminatorInside() throws {
        let publish = try QuectelQMT.Publish.VariableLength(clientIndex: 0, messageID: 0, qos: .atMostOnce, retain: .notRetained, topic: "topic/pub", message: Array("hi".utf8))
        #expect(text(publish.encode()) == "AT+QMTPUB=0,0,0,0,\"topic/pub\"\r")
        #expect(publish.promptData == Array("hi".utf8) + [0x1A])
        #expect(publish.descriptor.promptTerminator == 0x1A && publish.descriptor.promptCancel == 0x1B)
        for byte: UInt8 in [0x1A, 0x1B] {
            #expect(throws: ATParameterError.self) {
                try QuectelQMT.Publish.VariableLength(clientIndex: 0, messageID: 0, qos: .atMostOnce, retain: .notRetained, topic: "t", message: [0x41, byte])
            }
        }
    }

    @Test func reservedLinkStateCodesAreTypedAsReserved() throws {
        let line = try #require(QuectelQMT.descriptor.urcs.first { $0.name == "QMTSTAT" }?.line)
        let urc = try QuectelQMT.URC.decode(URCMatch(name: "QMTSTAT", fields: try #require(line.match("+QMTSTAT: 0,9"))))
        guard case .linkStateChanged(let state)? = urc else {
            Issue.record("\(String(describing: urc))")
            return
        }
        #expect(state.error == .reserved(9))
        #expect(QuectelQMT.LinkStateError(rawValue: 1) == .closedByPeer)
    }
}
