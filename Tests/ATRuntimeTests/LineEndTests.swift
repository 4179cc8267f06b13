// LineEndTests.swift: line terminators (CR LF, CR, LF, CR CR LF), blank lines and ordinary line content.

import ATRuntime
import Testing

@Suite("Line ends")
struct LineEndTests {
    @Test func crlfEndsLines() {
        expectFraming([.text("+CSQ: 20,99\r\nOK\r\n")], yields: [line("+CSQ: 20,99"), line("OK")])
    }

    @Test func loneCREndsLines() {
        expectFraming([.text("AT+CMQTTSTART\rOK\r")], yields: [line("AT+CMQTTSTART"), line("OK")])
    }

    @Test func loneLFEndsLines() {
        expectFraming(
            [.text("+CREG: 0,1\nOK\n+CMQTTSTART: 0\n")],
            yields: [line("+CREG: 0,1"), line("OK"), line("+CMQTTSTART: 0")])
    }

    @Test func crCRLFEndsLinesOnce() {
        expectFraming(
            [.text("AT+CMQTTSTART\r\r\nOK\r\n\r\n+CMQTTSTART: 0\r\n")],
            yields: [line("AT+CMQTTSTART"), line("OK"), line("+CMQTTSTART: 0")])
    }

    @Test func mixedTerminatorsInOneStream() {
        expectFraming(
            [.text("A\r\nB\rC\nD\r\r\nE\n\rF\r\n")],
            yields: ["A", "B", "C", "D", "E", "F"].map(line))
    }

    @Test func blankLinesAreDropped() {
        expectFraming([.text("\r\n\r\n\n\r\r\r\nOK\r\n\r\n\n")], yields: [line("OK")])
    }

    @Test func lineIsEmittedAtItsCRAndTheLFInTheNextChunkAddsNothing() {
        var framer = Framer()
        #expect(framer.feed(bytes("OK\r")) == [line("OK")])
        #expect(framer.feed(bytes("\n")) == [])
        #expect(framer.feed(bytes("\r")) == [])
        #expect(framer.feed(bytes("\nERROR")) == [])
        #expect(framer.bufferedByteCount == 5)
        #expect(framer.feed(bytes("\r")) == [line("ERROR")])
        #expect(framer.bufferedByteCount == 0)
    }

    @Test func echoedCommandLinesAreJustLines() {
        expectFraming(
            [.text("AT+CMQTTSTART\r\r\nOK\r\n\r\n+CMQTTSTART: 0\r\nAT+CMQTTACCQ=0,\"client\"\rOK\r\n")],
            yields: [
                line("AT+CMQTTSTART"), line("OK"), line("+CMQTTSTART: 0"), line("AT+CMQTTACCQ=0,\"client\""), line("OK"),
            ])
    }

    @Test func greaterThanWithoutPromptExpectedIsLineContent() {
        expectFraming([.text(">\r\n> not a prompt\r\n")], yields: [line(">"), line("> not a prompt")])
    }

    @Test func anyOtherByteIsKeptAsIs() {
        let content: [UInt8] = [0x00, 0x01, 0x22, 0x2C, 0x7F, 0x80, 0xFF, 0x1A, 0x1B]
        expectFraming([.raw(content + [0x0D, 0x0A])], yields: [.line(content)])
    }

    @Test func withoutRulesALengthHeaderIsAnOrdinaryLine() {
        expectFraming(
            [.text("+CMQTTRXPAYLOAD: 0,5\r\nab\r\nc\r\n")],
            yields: [line("+CMQTTRXPAYLOAD: 0,5"), line("ab"), line("c")])
    }

    @Test func anUnterminatedLineStaysBuffered() {
        let script = FlatScript([.text("OK\r\n+CMQTTRXSTART: 0,")])
        for plan in script.plans {
            let result = script.replay(plan, configuration: FramerConfiguration())
            #expect(result.events == [line("OK")], "\(plan)")
            #expect(result.finalBuffered == 17, "\(plan)")
        }
    }
}
