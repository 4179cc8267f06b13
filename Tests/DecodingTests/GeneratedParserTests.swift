// GeneratedParserTests.swift: the URC parsers at-bindgen generates read what the interpreting decoder reads, and they are used.

import ATModules
import ATRuntime
import ATTestSupport
import FibocomL610
import SIM7672X
import SIM800
import Testing

@Suite("Generated URC parsers")
struct GeneratedParserTests {
    /// Cuts for the differential: byte by byte, and pseudo-random chunks of 1 to 64 bytes.
    static var cuts: [(String, (Int) -> Int)] { [
        ("byte by byte", { _ in 1 }),
        ("random chunks", { feed in Int((UInt64(feed) &* 0x9E37_79B9_7F4A_7C15) >> 58) + 1 }),
        ("4096-byte chunks", { _ in 4096 }),
    ] }

    /// Checks `bytes` (modem output only) for module `M` and returns how many URCs the generated parsers read.
    static func check<M: ATModule>(_ module: M.Type, _ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) -> Int {
        var generated = 0
        let failure = DecoderFuzz.differential(module, [.bytes(bytes)], cuts: cuts, generated: &generated)
        #expect(failure == nil, sourceLocation: sourceLocation)
        return generated
    }

    static func typed<M: ATModule>(_ module: M.Type, _ text: String) -> (events: [ATTypedEvent<M.URC>], generated: Int) {
        var decoder = ATTypedDecoder<M>()
        var events = decoder.feed(Array(text.utf8))
        events += decoder.finish()
        return (events, decoder.generatedCount)
    }

    @Test func aOneLineURCIsReadByItsParserWithTheValuesTheInterpreterGives() {
        let line = "+SMPUBLISH: 7,\"room/1\",11,\"hello\r\n\"wor\"\r\n"
        let (events, generated) = Self.typed(SIM800.self, line)
        #expect(generated == 1)
        #expect(events == [.urc(.message(SIM800.URC.Message(packetID: 7, topic: "room/1", messageLength: 11, message: Array("hello\r\n\"wor".utf8))))])
        #expect(Self.check(SIM800.self, Array(line.utf8)) == 4)
    }

    @Test func aMultiPartURCIsReadWholeWithItsRawData() {
        let text = "+CMQTTRXSTART: 1,6,8\r\n+CMQTTRXTOPIC: 1,3\r\nab\n\r\n+CMQTTRXTOPIC: 1,3\r\nc,d\r\n+CMQTTRXPAYLOAD: 1,8\r\n\"OK\"\r\nxy\r\n+CMQTTRXEND: 1\r\n"
        let (events, generated) = Self.typed(SIM7672X.self, text)
        #expect(generated == 1)
        #expect(events == [.urc(.receivedMessage(SIM7672X.URC.ReceivedMessage(
            clientIndex: 1, topicTotalLength: 6, payloadTotalLength: 8, topic: Array("ab\nc,d".utf8), payload: Array("\"OK\"\r\nxy".utf8))))])
        #expect(Self.check(SIM7672X.self, Array(text.utf8)) == 4)
    }

    @Test func linesTheParsersDoNotReadExactlyGoToTheInterpreterAndGiveTheSameEvents() {
        // Each is a near miss: the interpreter decides, and the events must be its events.
        let nearMisses = [
            "+CMQTTCONNLOST: 0, 2  \r\n",  // spaces after the comma and before the line end
            "+CMQTTCONNLOST: 0,2\r",  // a lone CR ends it
            "+CMQTTCONNLOST: 0,2\r\r\n",  // CR CR LF
            "+CMQTTCONNLOST: 0,x\r\n",  // not an integer
            "+CMQTTCONNLOST: 0,9\r\n",  // a cause the documents do not list
            "+CMQTTCONNLOST: 0,2,3\r\n",  // a field too many
            "+CMQTTCONNLOST: 0\r\n",  // a field missing
            "+CMQTTCONNLOST: 0,1234567890123456789012\r\n",  // too many digits for an Int
            "+CMQTTCONNLOST:0,1\r\n",  // no space after the colon
            "+CMQTTRXSTART: 0,3,0\r\n+CMQTTRXTOPIC: 0,3\r\nabc\r\nOK\r\n",  // interrupted
            "+CMQTTRXSTART: 0,4,0\r\n+CMQTTRXTOPIC: 0,3\r\nabc\r\n+CMQTTRXEND: 0\r\n",  // the totals do not add up
            "+CMQTTRXSTART: 0,3,0\r\n+CMQTTRXTOPIC: 0,3\r\nab",  // the input ends inside the data
            "+CME ERROR: 3\r\nOK\r\nERROR\r\n",
            String(repeating: "x", count: 5000) + "\r\n+CMQTTCONNLOST: 1,1\r\n",  // an overlong line first
            "+CMQTTCONNLOST: 1," + String(repeating: "1", count: 4100) + "\r\n",  // an overlong URC
            "AT+CMQTTSTART\r\r\nOK\r\n\r\n+CMQTTSTART: 0\r\n+CMQTTCONNLOST: 0,1\r\n",  // a command in flight
        ]
        for text in nearMisses {
            _ = Self.check(SIM7672X.self, Array(text.utf8))
        }
        #expect(Self.typed(SIM7672X.self, "+CMQTTCONNLOST: 0,x\r\n").generated == 0)
        #expect(Self.typed(SIM7672X.self, "+CMQTTCONNLOST: 0, 2  \r\n").generated == 1)
        #expect(Self.typed(SIM7672X.self, "+CMQTTCONNLOST: 0,9\r\n").events == [.urc(.connectionLost(.init(clientIndex: 0, cause: .unrecognized(9))))])
    }

    @Test func aURCCutAtAnyByteIsReadOnceItsEndArrives() {
        let text = Array("+MQTTMSG: 1,2,\"a/b\",\"x,y\"\r\n+MQTTMSG: 0,0,\"t\",\"\"\r\n".utf8)
        for cut in 0...text.count {
            var decoder = ATTypedDecoder<FibocomL610>()
            var events = decoder.feed(text[0..<cut])
            events += decoder.feed(text[cut...])
            #expect(decoder.generatedCount == 2, "cut at \(cut)")
            #expect(events.count == 2, "cut at \(cut)")
            #expect(decoder.bufferedByteCount == 0)
        }
    }

    @Test func theEngineStreamsOfTheBenchmarkAreReadByTheParsers() {
        var random = SplitMix64(seed: 15)
        var sim800 = ""
        var l610 = ""
        var sim7672x = ""
        for index in 0..<300 {
            let body = String((0..<Int.random(in: 0..<90, using: &random)).map { _ in Character(Unicode.Scalar(UInt8(0x30 + Int.random(in: 0..<40, using: &random)))) })
            sim800 += "+SMPUBLISH: \(index + 1),\"room/\(index)\",\(body.utf8.count),\"\(body)\"\r\n"
            l610 += "+MQTTMSG: \(index % 3),\(index % 3),\"room/\(index)\",\"\(body)\"\r\n"
            sim7672x += "+CMQTTRXSTART: 0,\(5 + String(index).count),\(body.utf8.count)\r\n+CMQTTRXTOPIC: 0,\(5 + String(index).count)\r\nroom/\(index)\r\n"
            sim7672x += body.isEmpty ? "" : "+CMQTTRXPAYLOAD: 0,\(body.utf8.count)\r\n\(body)\r\n"
            sim7672x += "+CMQTTRXEND: 0\r\n+CMQTTCONNLOST: 1,\(1 + index % 3)\r\n"
        }
        // Each stream is read whole (4 times: whole and three cuts) by the parsers.
        #expect(Self.check(SIM800.self, Array(sim800.utf8)) == 4 * 300)
        #expect(Self.check(FibocomL610.self, Array(l610.utf8)) == 4 * 300)
        #expect(Self.check(SIM7672X.self, Array(sim7672x.utf8)) == 4 * 600)
    }

    @Test(arguments: RealCaptureTests.captures.filter { $0.spec != nil })
    func everyRealCaptureGivesTheSameEventsWithTheParsers(_ capture: RealCapture) throws {
        let name = try #require(capture.spec)
        let module = try #require(ATModules.module(named: name))
        let bytes = Array(capture.lines.joined(separator: "\r\n").utf8) + [13, 10]
        var generated = 0
        let failure = DecoderFuzz.differential(module, [.bytes(bytes)], cuts: Self.cuts, generated: &generated)
        #expect(failure == nil, "\(capture.id)")
    }

    @Test func theRealCapturesHoldURCsTheParsersRead() throws {
        var generated = 0
        for capture in RealCaptureTests.captures {
            guard let name = capture.spec, let module = ATModules.module(named: name) else { continue }
            let bytes = Array(capture.lines.joined(separator: "\r\n").utf8) + [13, 10]
            _ = DecoderFuzz.differential(module, [.bytes(bytes)], cuts: [], generated: &generated)
        }
        // Most URCs of the captures come while a command is in flight (the interpreter reads
        // those), or are 3GPP ones with optional groups, which get no parser yet.
        #expect(generated > 0)
    }
}
