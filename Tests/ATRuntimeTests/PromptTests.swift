// PromptTests.swift: the data prompt ">" / "> " and when the prompt expectation starts and ends.

import ATRuntime
import Testing

@Suite("Prompt")
struct PromptTests {
    @Test func promptWithoutSpace() {
        expectFraming([.expectPrompt, .text("\r\n>")], yields: [.prompt])
    }

    @Test func promptWithSpaceSwallowsTheSpace() {
        let script = FlatScript([.expectPrompt, .text("\r\n> ")])
        for plan in script.plans {
            let result = script.replay(plan, configuration: FramerConfiguration())
            #expect(result.events == [.prompt], "\(plan)")
            #expect(result.finalBuffered == 0, "\(plan)")
        }
    }

    @Test func promptIsEmittedAsSoonAsItArrives() {
        var framer = Framer()
        framer.expectPrompt()
        #expect(framer.feed(bytes("AT+CMQTTTOPIC=0,9\r")) == [line("AT+CMQTTTOPIC=0,9")])
        framer.expectPrompt()
        #expect(framer.feed(bytes("\r\n")) == [])
        #expect(framer.feed(bytes(">")) == [.prompt])
        #expect(framer.feed(bytes(" ")) == [])
        #expect(framer.bufferedByteCount == 0)
    }

    @Test func onlyOneSpaceIsSwallowed() {
        expectFraming([.expectPrompt, .text(">  x\r\n")], yields: [.prompt, line(" x")])
    }

    @Test func promptFollowedByEchoedDataWithoutEchoExpectationFramesALine() {
        expectFraming(
            [.expectPrompt, .text("\r\n>simcomtopic\r\nOK\r\n")],
            yields: [.prompt, line("simcomtopic"), line("OK")])
    }

    @Test func promptFollowedByEchoedDataWithEchoExpectationSetAfterThePrompt() {
        expectFraming(
            [.expectPrompt, .text("\r\n>"), .expectEcho("simcomtopic"), .text("simcomtopic\r\nOK\r\n")],
            yields: [.prompt, echo("simcomtopic"), line("OK")])
    }

    @Test func echoExpectedWithThePromptIsMatchedAfterThePrompt() {
        expectFraming(
            [.expectPrompt, .expectEcho("simcomtopic"), .text("\r\n>simcomtopic\r\nOK\r\n")],
            yields: [.prompt, echo("simcomtopic"), line("OK")])
    }

    @Test func promptWithSpaceThenEchoSetAfterThePrompt() {
        expectFraming(
            [.expectPrompt, .text("\r\n>"), .expectEcho("hello"), .text(" hello\r\nOK\r\n")],
            yields: [.prompt, echo("hello"), line("OK")])
    }

    @Test func expectationEndsAtTheNextCompleteLine() {
        expectFraming([.expectPrompt, .text("ERROR\r\n>\r\n")], yields: [line("ERROR"), line(">")])
    }

    @Test func echoExpectedWithThePromptIsDroppedWhenNoPromptComes() {
        expectFraming(
            [.expectPrompt, .expectEcho("abc"), .text("abc\r\nERROR\r\nabc\r\n")],
            yields: [line("abc"), line("ERROR"), line("abc")])
        expectFraming(
            [.expectPrompt, .expectEcho("abc"), .text("ERROR\r\n>abc\r\n")],
            yields: [line("ERROR"), line(">abc")])
    }

    @Test func expectationEndsAtThePrompt() {
        expectFraming([.expectPrompt, .text(">\r\n>\r\n")], yields: [.prompt, line(">")])
    }

    @Test func blankLinesDoNotEndTheExpectation() {
        expectFraming([.expectPrompt, .text("\r\n\r\n\n\r>")], yields: [.prompt])
    }

    @Test func greaterThanInsideALineIsNotAPrompt() {
        expectFraming([.expectPrompt, .text("a>b\r\n>\r\n")], yields: [line("a>b"), line(">")])
    }

    @Test func aLineInProgressWhenExpectingDoesNotEndTheExpectation() {
        expectFraming(
            [.text("+CMQTTCONN"), .expectPrompt, .text("LOST: 0,1\r\n>")],
            yields: [line("+CMQTTCONNLOST: 0,1"), .prompt])
    }

    @Test func anEchoedCommandLineEndsTheExpectationUnlessItIsExpectedAsEcho() {
        expectFraming(
            [.expectPrompt, .text("AT+CMQTTTOPIC=0,9\r\r\n>")],
            yields: [line("AT+CMQTTTOPIC=0,9")])
        expectFraming(
            [.expectEcho("AT+CMQTTTOPIC=0,9\r"), .expectPrompt, .text("AT+CMQTTTOPIC=0,9\r\r\n>")],
            yields: [echo("AT+CMQTTTOPIC=0,9\r"), .prompt])
    }

    @Test func sim7672xPublishExchange() {
        expectFraming(
            [
                .expectPrompt, .text("\r\n>"), .expectEcho("simcomtop"), .text("simcomtop\r\nOK\r\n"),
                .expectPrompt, .text("\r\n>"), .expectEcho("simcommsg"), .text("simcommsg\r\nOK\r\n"),
                .text("\r\nOK\r\n\r\n+CMQTTPUB: 0,0\r\n"),
            ],
            yields: [
                .prompt, echo("simcomtop"), line("OK"), .prompt, echo("simcommsg"), line("OK"), line("OK"),
                line("+CMQTTPUB: 0,0"),
            ])
    }

    @Test func sim800SendExchangeWithSpaceAfterPrompt() {
        expectFraming(
            [.text("AT+CIPSEND=5\r"), .expectPrompt, .text("\r\n> "), .expectEcho("hello"), .text("hello\r\nSEND OK\r\n")],
            yields: [line("AT+CIPSEND=5"), .prompt, echo("hello"), line("SEND OK")])
    }
}
