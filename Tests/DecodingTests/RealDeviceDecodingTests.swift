// RealDeviceDecodingTests.swift: what real modems send that manuals do not print, decoded with the seed specs and a fixture.

import ATRuntime
import ATSpec
import ATTestSupport
import FibocomL610
import SIM7000
import SIM7672X
import SIM800
import Testing

/// The events of a stream, decoded at every chunking from whole to byte by byte, which must agree.
private func decodeEverywhere(_ module: ModuleDescriptor, _ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> [DecodedEvent] {
    let bytes = Array(text.utf8)
    var whole = ATDecoder(module: module)
    let expected = whole.feed(bytes) + whole.finish()
    for size in [1, 2, 3, 7] {
        var decoder = ATDecoder(module: module)
        var events: [DecodedEvent] = []
        var start = 0
        while start < bytes.count {
            events += decoder.feed(bytes[start..<min(bytes.count, start + size)])
            start += size
        }
        events += decoder.finish()
        #expect(events == expected, "chunks of \(size)", sourceLocation: sourceLocation)
    }
    return expected
}

private func kinds(_ events: [DecodedEvent]) -> [String] {
    events.map { event in
        switch event {
        case .command(let command, let form, _, _): return "command \(command) \(form)"
        case .response(let command, _, let index, _, _): return "response \(command) \(index)"
        case .deferred(let command, _, _, _, _): return "deferred \(command)"
        case .final(let name, _, _, _): return "final \(name)"
        case .prompt: return "prompt"
        case .data(let bytes): return "data \(String(decoding: bytes, as: UTF8.self))"
        case .dataEcho(let bytes): return "echo \(String(decoding: bytes, as: UTF8.self))"
        case .uncorrelated(let command, _, let deferred, _, _): return "uncorrelated \(command)\(deferred ? " deferred" : "")"
        case .urc(let match, _): return "urc \(match.name)"
        case .brokenURC(let broken): return "broken \(broken.name)"
        case .unrecognized(let line): return "unrecognized \(line.text)"
        case .error(let error): return "error \(error.debugDescription)"
        }
    }
}

enum Fixture {
    static let spec: Spec = {
        let loaded = SpecLoader.load(text: FixtureSpecs.prefixless, file: "Prefixless.yaml")
        guard let spec = loaded.spec else { fatalError("the fixture spec does not load: \(loaded.diagnostics)") }
        return spec
    }()
    static let module = DescriptorBuilder.build(spec)
}

@Suite("Real devices: values")
struct QuotedValueTests {
    @Test func aCommandLineTypedAsFirmwareParsesItIsTypedAndStrictMatchingWinsWhereBothFit() throws {
        // Captured on SIM7000 firmware (Tests/RealCaptures/sim7000-*): the tag, file names and
        // host without quotes, the port in quotes; each module answered OK.
        let events = decodeEverywhere(
            SIM7000.descriptor,
            "AT+SMCONF=url,broker.example,8883\r\nOK\r\nAT+SMCONF=\"URL\",\"broker.example\",\"1883\"\r\nOK\r\nAT+SMSSL=1,ca.pem,cert.pem\r\nOK\r\n")
        #expect(kinds(events) == ["command SMCONF url", "final ok", "command SMCONF url", "final ok", "command SMSSL write", "final ok"])
        guard case .command(_, _, _, let bare)? = events.first, case .command(_, _, _, let quotedPort) = events[2], case .command(_, _, _, let files) = events[4] else {
            Issue.record("\(events)")
            return
        }
        #expect(bare.map(\.text) == ["broker.example", "8883"])
        #expect(quotedPort.map(\.text) == ["broker.example", "1883"] && quotedPort.map(\.quoted) == [true, true])
        #expect(files.map(\.text) == ["1", "ca.pem", "cert.pem"])
        // A bare value stops at a comma: the lenient reading does not stretch one value over two.
        #expect(kinds(decodeEverywhere(SIM7000.descriptor, "AT+SMSSL=1,ca.pem,cert.pem,extra\r\nERROR\r\n")).first == "unrecognized AT+SMSSL=1,ca.pem,cert.pem,extra")
        // An integer in quotes is still digits: a quoted word is no integer.
        #expect(kinds(decodeEverywhere(SIM7000.descriptor, "AT+SMSSL=\"one\",ca.pem,cert.pem\r\nERROR\r\n")).first == "unrecognized AT+SMSSL=\"one\",ca.pem,cert.pem")
        // A secret typed without quotes is redacted as one typed with them.
        let secret = decodeEverywhere(SIM7000.descriptor, "AT+SMCONF=password,s3cr3t\r\nOK\r\n")
        #expect(kinds(secret).first == "command SMCONF password")
        #expect(!"\(secret)".contains("s3cr3t"), "\(secret)")
    }

    @Test func aQuotedValueIsNotStretchedAcrossAClosingQuote() {
        // AT+CMQTTACCQ=1,"a","b" is no form of AT+CMQTTACCQ once split at the quotes.
        #expect(kinds(decodeEverywhere(SIM7672X.descriptor, "AT+CMQTTACCQ=1,\"a\",\"b\"\r\nERROR\r\n")) == [
            "unrecognized AT+CMQTTACCQ=1,\"a\",\"b\"", "final error",
        ])
        // SIM7000 firmware's URL form against the SIM800 spec, whose URL form takes one value.
        #expect(kinds(decodeEverywhere(SIM800.descriptor, "AT+SMCONF=\"URL\",\"broker.emqx.io\",\"1883\"\r\nOK\r\n")) == [
            "unrecognized AT+SMCONF=\"URL\",\"broker.emqx.io\",\"1883\"", "final ok",
        ])
        let events = decodeEverywhere(SIM800.descriptor, "AT+SMCONF=\"URL\",\"broker.emqx.io:1883\"\r\nOK\r\n")
        guard case .command("SMCONF", "url", _, let fields)? = events.first else {
            Issue.record("expected the URL form, got \(events)")
            return
        }
        #expect(fields.map(\.text) == ["broker.emqx.io:1883"])
    }

    @Test func tagsInAnyLetterCaseAndBlanksBeforeTheLineEndAreTyped() throws {
        for line in [#"AT+SMCONF="clientid","clientname""#, #"AT+SMCONF="ClientId","clientname" "#, "at+smconf=\"CLIENTID\",\"clientname\"  "] {
            let events = decodeEverywhere(SIM800.descriptor, line + "\r\nOK\r\n")
            guard case .command("SMCONF", "client_id", _, let fields)? = events.first else {
                Issue.record("\(line): \(events)")
                continue
            }
            #expect(fields.map(\.text) == ["clientname"], "\(line)")
        }
        let keepAlive = decodeEverywhere(SIM800.descriptor, "AT+SMCONF=\"KeepAlive\",60\r\nOK\r\n")
        #expect(kinds(keepAlive) == ["command SMCONF keep_alive", "final ok"])
        // The encoder keeps the manual's spelling.
        #expect(try SIM800.Configure.Write(.keepAlive(60)).encode() == Array("AT+SMCONF=\"KEEPALIVE\",60\r".utf8))
    }
}

@Suite("Real devices: answers without a prefix")
struct PrefixlessAnswerTests {
    @Test func theFixtureLintsCleanAndItsExampleDecodesAsLintReplaysIt() {
        let diagnostics = Linter.lint(Fixture.spec)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let example = Fixture.spec.examples[0]
        let events = decodeEverywhere(Fixture.module, String(decoding: Seeds.bytes(example, Fixture.module), as: UTF8.self))
        #expect(kinds(events) == ["command CGSN execute", "urc CREG", "response CGSN 0", "final ok", "command CGSN execute", "final cme_error"])
    }

    @Test func finalResultsErrorsAndURCsWinOverAShapeWithoutPrefix() {
        let events = decodeEverywhere(Fixture.module, "AT+CGSN\r\n490154203237518\r\nOK\r\nAT+CGSN\r\n+CREG: 5\r\n+CME ERROR: 10\r\n")
        #expect(kinds(events) == ["command CGSN execute", "response CGSN 0", "final ok", "command CGSN execute", "urc CREG", "final cme_error"])
        guard case .response(_, _, _, _, let fields) = events[1] else { return }
        #expect(fields.map(\.text) == ["490154203237518"])
    }

    @Test func withTheHostDrivingAndNoEchoTheAnswerIsTheCommands() throws {
        var decoder = ATDecoder(module: Fixture.module)
        decoder.begin(try #require(Fixture.module.forms.first { $0.command == "CGSN" }))
        let events = decoder.feed(Array("\r\n490154203237518\r\n\r\nOK\r\n".utf8))
        #expect(kinds(events) == ["response CGSN 0", "final ok"])
        #expect(decoder.commandInFlight == nil)
    }
}

@Suite("Real devices: data of declared length")
struct PromptDataTests {
    @Test func promptDataIsAsLongAsTheCommandDeclaredLineEndsAndAll() {
        let payload = "{\"a\":1,\r\n\"b\":2}"
        let events = decodeEverywhere(SIM7672X.descriptor, "AT+CMQTTPAYLOAD=0,\(payload.utf8.count)\r\n>\(payload)\r\nOK\r\n")
        #expect(kinds(events) == ["command CMQTTPAYLOAD write", "prompt", "data \(payload)", "final ok"])
    }

    @Test func hexPromptDataCountsTwoCharactersPerByte() {
        // The L610's hex form: <datasize> bytes go over the line as twice as many hex digits.
        let events = decodeEverywhere(FibocomL610.descriptor, "AT+MQTTPUB=1,\"t\",0,0,3\r\n>\r\n414243\r\nOK\r\n")
        #expect(kinds(events).prefix(2) == ["command MQTTPUB hex_data", "prompt"])
        let shown = decodeEverywhere(FibocomL610.descriptor, "AT+MQTTPUB=1,\"t\",0,0,3\r\n>414243OK\r\n")
        #expect(kinds(shown) == ["command MQTTPUB hex_data", "prompt", "data 414243", "final ok"])
    }

    @Test func aPromptLineShowingNoDataLeavesTheNextLinesAlone() {
        let events = decodeEverywhere(SIM7672X.descriptor, "AT+CMQTTPAYLOAD=0,6\r\n>\r\nOK\r\n")
        #expect(kinds(events) == ["command CMQTTPAYLOAD write", "prompt", "final ok"])
    }

    @Test func dataEchoedASecondTimeIsAnEcho() {
        // SIM7670G (firmware B05): the data on the prompt's line, again on its own, a blank line, OK.
        let events = decodeEverywhere(
            SIM7672X.descriptor, "AT+CMQTTTOPIC=0,19\r\n>GsmMqttTest/publish\r\nGsmMqttTest/publish\r\n\r\nOK\r\n")
        #expect(kinds(events) == ["command CMQTTTOPIC write", "prompt", "data GsmMqttTest/publish", "echo GsmMqttTest/publish", "final ok"])
        // Without the second copy nothing is taken for one, and data that reads as OK does not swallow the OK.
        #expect(kinds(decodeEverywhere(SIM7672X.descriptor, "AT+CMQTTTOPIC=0,2\r\n>OK\r\nOK\r\n")) == ["command CMQTTTOPIC write", "prompt", "data OK", "final ok"])
        #expect(kinds(decodeEverywhere(SIM7672X.descriptor, "AT+CMQTTTOPIC=0,3\r\n>abc\r\nabd\r\nOK\r\n")) == [
            "command CMQTTTOPIC write", "prompt", "data abc", "unrecognized abd", "final ok",
        ])
    }

    @Test func withTheHostDrivingTheSecondCopyIsAnEchoToo() throws {
        var decoder = ATDecoder(module: SIM7672X.descriptor)
        decoder.begin(try #require(SIM7672X.descriptor.forms.first { $0.command == "CMQTTTOPIC" && $0.name == "write" }))
        var events = decoder.feed(Array("AT+CMQTTTOPIC=0,4\r\r\n>".utf8))
        decoder.sent(Array("a/b\r".utf8.prefix(3)) + [0x63])
        events += decoder.feed(Array("a/bc\r\na/bc\r\n\r\nOK\r\n".utf8))
        #expect(kinds(events) == ["command CMQTTTOPIC write", "prompt", "data a/bc", "echo a/bc", "final ok"])
    }

    @Test func anOptionalLengthFieldThatIsAbsentIsNoError() {
        let events = decodeEverywhere(
            Fixture.module, "AT+QMTRECV=0\r\n+QMTRECV: 0,1,\"t\",\"a,b\"\r\n+QMTRECV: 0,2,\"t\",5,\"x\r\n\"y\"\r\nOK\r\n")
        #expect(kinds(events) == ["command QMTRECV write", "response QMTRECV 0", "response QMTRECV 0", "final ok"])
        guard case .response(_, _, _, _, let fields) = events[2] else { return }
        #expect(fields.map(\.text) == ["0", "2", "t", "5", "x\r\n\"y"])
        // The rule the decoder derives says the length is optional.
        #expect(ATDecoder.dataRules(Fixture.module) == [.inlineQuoted(prefix: Array("+QMTRECV:".utf8), lengthField: 3, lengthIsOptional: true)])
    }
}

@Suite("Real devices: nothing lost, nothing leaked")
struct NothingLostTests {
    @Test func secretsAreRedactedInEveryText() throws {
        let password = "s3cr3t-Pa55"
        let connect = "AT+CMQTTCONNECT=0,\"tcp://h:1883\",60,1,\"user\",\"\(password)\""
        let events = decodeEverywhere(SIM7672X.descriptor, "\(connect)\r\nOK\r\n\(connect),7\r\nERROR\r\n")
        #expect(!"\(events)".contains(password))
        guard case .command(_, _, let line, let fields) = events[0], case .unrecognized(let garbled) = events[2] else {
            Issue.record("\(events)")
            return
        }
        #expect(line == "AT+CMQTTCONNECT=0,\"tcp://h:1883\",60,1,\"user\",\"<redacted>\"")
        #expect(fields.last?.text == password && fields.last?.secret == true)
        #expect(garbled.text == "AT+CMQTTCONNECT=<redacted>")
        let json = DecodeEventJSON(spec: try Seeds.spec("SIM7672X"))
        #expect(!events.flatMap(json.render).joined().contains(password))
    }

    @Test func aMultiPartURCWhosePartsDoNotAddUpIsReported() {
        let events = decodeEverywhere(
            SIM7672X.descriptor,
            "+CMQTTRXSTART: 0,9,10\r\n+CMQTTRXTOPIC: 0,9\r\nsimcommsg\r\n+CMQTTRXPAYLOAD: 0,5\r\nhello\r\n+CMQTTRXEND: 0\r\nOK\r\n")
        guard case .brokenURC(let broken) = events[0] else {
            Issue.record("\(events)")
            return
        }
        #expect(broken.reason == .lengthMismatch(data: "payload", declared: 10, received: 5))
        #expect(broken.data == ["topic": Array("simcommsg".utf8), "payload": Array("hello".utf8)])
        #expect(broken.lines.count == 4)
        #expect(kinds(Array(events.dropFirst())) == ["final ok"])
    }

    @Test func aMultiPartURCCutOffByTheEndOfTheCaptureIsReportedWithItsBytes() {
        let events = decodeEverywhere(SIM7672X.descriptor, "+CMQTTRXSTART: 0,9,10\r\n+CMQTTRXTOPIC: 0,9\r\nsimcom")
        guard events.count == 1, case .brokenURC(let broken) = events[0] else {
            Issue.record("\(events)")
            return
        }
        #expect(broken.reason == .endOfInput)
        #expect(broken.data == ["topic": Array("simcom".utf8)])
        #expect(broken.lines == ["+CMQTTRXSTART: 0,9,10", "+CMQTTRXTOPIC: 0,9"])
        // Interrupted by another line: reported, and the line is decoded on its own.
        let interrupted = decodeEverywhere(SIM7672X.descriptor, "+CMQTTRXSTART: 0,9,10\r\nOK\r\n")
        #expect(kinds(interrupted) == ["broken CMQTTRX", "final ok"])
        // A line without its line end at the end of the input is still a line.
        #expect(kinds(decodeEverywhere(SIM7672X.descriptor, "+CMQTTCONNLOST: 0,1")) == ["urc CMQTTCONNLOST"])
    }

    @Test func anAnswerWithoutItsCommandIsTypedAsUncorrelated() {
        let events = decodeEverywhere(SIM7672X.descriptor, "OK\r\n+CMQTTCONNECT: 0,0\r\n+CMQTTSTART: 23\r\n")
        #expect(kinds(events) == ["final ok", "uncorrelated CMQTTCONNECT deferred", "uncorrelated CMQTTSTART deferred"])
        guard case .uncorrelated(_, _, _, _, let fields) = events[1] else { return }
        #expect(fields.map(\.text) == ["0", "0"])
    }

    @Test func anUncorrelatedAnswerKeepsItsBytes() {
        var decoder = ATDecoder(module: Fixture.module)
        let line = Array("+QMTRECV: 0,1,\"t".utf8) + [0xFF] + Array("\",\"x\"".utf8)
        let events = decoder.feed(line + [0x0D, 0x0A])
        guard events.count == 1, case .uncorrelated("QMTRECV", _, false, let shown, _) = events[0] else {
            Issue.record("\(events)")
            return
        }
        #expect(shown.bytes == line)
    }

    @Test func unrecognizedLinesKeepTheirBytes() {
        var decoder = ATDecoder(module: SIM7672X.descriptor)
        let garbage: [UInt8] = [0xFF, 0xFE, 0x41, 0x80]
        let events = decoder.feed(garbage + [0x0D, 0x0A])
        #expect(events == [.unrecognized(ATLine(bytes: garbage))])
        if case .unrecognized(let line) = events[0] { #expect(line.text == "\u{FFFD}\u{FFFD}A\u{FFFD}") }
    }
}

@Suite("Real devices: optional length fields in the framer")
struct OptionalLengthFramerTests {
    static let lines = "+QMTRECV: 0,1,\"t\",\"a,b\"\r\n+QMTRECV: 0,2,\"t\",3,\"x\r\ny\"\r\n"

    @Test func aRuleWithAnOptionalLengthFramesLinesThatOmitItAsPlainLines() {
        var framer = Framer(configuration: FramerConfiguration(dataRules: [
            .inlineQuoted(prefix: Array("+QMTRECV:".utf8), lengthField: 3, lengthIsOptional: true)
        ]))
        #expect(framer.feed(Array(Self.lines.utf8)) == [
            .line(Array("+QMTRECV: 0,1,\"t\",\"a,b\"".utf8)), .line(Array("+QMTRECV: 0,2,\"t\",3,\"x\r\ny\"".utf8)),
        ])
    }

    @Test func aRuleWithACompulsoryLengthStillReportsTheMissingLength() {
        var framer = Framer(configuration: FramerConfiguration(dataRules: [.inlineQuoted(prefix: Array("+QMTRECV:".utf8), lengthField: 3)]))
        let events = framer.feed(Array(Self.lines.utf8))
        #expect(events.first == .error(.malformedLength(line: Array("+QMTRECV: 0,1,\"t\",\"a,b\"".utf8))))
    }

    @Test func anOptionalLengthThatIsTooLargeIsStillReported() {
        var framer = Framer(configuration: FramerConfiguration(maxDataLength: 10, dataRules: [
            .followingLine(prefix: Array("+RX:".utf8), lengthField: 1, lengthIsOptional: true)
        ]))
        #expect(framer.feed(Array("+RX: 0\r\n+RX: 0,99\r\n".utf8)) == [
            .line(Array("+RX: 0".utf8)), .error(.declaredLengthTooLarge(declared: 99, limit: 10)), .line(Array("+RX: 0,99".utf8)),
        ])
    }
}

@Suite("Real devices: the end of a capture")
struct FramerFinishTests {
    @Test func whatTheFramerHoldsAtTheEndIsReported() {
        var framer = Framer(configuration: FramerConfiguration(dataRules: [.followingLine(prefix: Array("+RX:".utf8), lengthField: 1)]))
        #expect(framer.feed(Array("+RX: 0,10\r\nabc".utf8)) == [.line(Array("+RX: 0,10".utf8))])
        #expect(framer.finish() == [.error(.truncatedData(received: Array("abc".utf8), declared: 10))])
        // It starts afresh: a line without its line end is a line.
        #expect(framer.feed(Array("OK".utf8)) == [])
        #expect(framer.finish() == [.line(Array("OK".utf8))])
        #expect(framer.finish() == [])
        #expect(framer.bufferedByteCount == 0)
    }

    @Test func aLineEchoMatchedInFullAtTheEndIsAnEcho() {
        var framer = Framer()
        framer.expectLineEcho(Array("topic".utf8))
        #expect(framer.feed(Array("\r\ntopic".utf8)) == [])
        #expect(framer.finish() == [.echo(Array("topic".utf8))])
        framer.expectLineEcho(Array("topic".utf8))
        #expect(framer.feed(Array("top".utf8)) == [])
        #expect(framer.finish() == [.line(Array("top".utf8))])
    }
}
