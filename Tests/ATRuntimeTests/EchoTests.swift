// EchoTests.swift: matching the modem's echo of bytes the host sent, and falling back when it does not come.

import ATRuntime
import Testing

@Suite("Echo")
struct EchoTests {
    @Test func fullMatchIsOneEchoEvent() {
        expectFraming([.expectEcho("hello"), .text("hello")], yields: [echo("hello")])
    }

    @Test func echoMayContainLineEndsCommasAndQuotes() {
        expectFraming(
            [.expectEcho("a\r\nb,\"c\""), .text("a\r\nb,\"c\"\r\nOK\r\n")],
            yields: [echo("a\r\nb,\"c\""), line("OK")])
    }

    @Test func mismatchAtTheFirstByteDropsTheExpectation() {
        expectFraming(
            [.expectEcho("hello"), .text("\r\nOK\r\nhello\r\n")],
            yields: [line("OK"), line("hello")])
    }

    @Test func partialMatchIsFramedAsOrdinaryBytes() {
        expectFraming([.expectEcho("hello"), .text("help\r\n")], yields: [line("help")])
        expectFraming([.expectEcho("OKAY"), .text("OK\r\n")], yields: [line("OK")])
    }

    @Test func partialMatchWithLineEndsIsReframed() {
        expectFraming([.expectEcho("ab\r\ncd"), .text("ab\r\nOK\r\n")], yields: [line("ab"), line("OK")])
    }

    @Test func echoWaitsForTheLineInProgress() {
        expectFraming(
            [.text("+CMQTTRX"), .expectEcho("hi"), .text("END: 0\r\nhi")],
            yields: [line("+CMQTTRXEND: 0"), echo("hi")])
    }

    @Test func expectingMoreBeforeTheEchoCompletesExtendsIt() {
        expectFraming(
            [.expectEcho("hel"), .text("he"), .expectEcho("lo"), .text("llo\r\n")],
            yields: [echo("hello")])
    }

    @Test func echoEndingInCRTakesTheLFAsItsTerminator() {
        expectFraming(
            [.expectEcho("AT\r"), .text("AT\r"), .expectData(2), .text("\nab")],
            yields: [echo("AT\r"), data("ab")])
    }

    @Test func emptyExpectationDoesNothing() {
        expectFraming([.expectEcho(""), .text("x\r\n")], yields: [line("x")])
    }

    @Test func partialMatchFallsBackToThePrompt() {
        expectFraming(
            [.expectPrompt, .expectEcho("AT+X\r"), .text("AT+Y\r\n>")],
            yields: [line("AT+Y")])
        expectFraming(
            [.expectPrompt, .expectEcho("AT+X\r"), .text("\r\n>")],
            yields: [.prompt])
    }
}
