// FrameEventTests.swift: the readable descriptions of events and errors used in failures and logs.

import ATRuntime
import Testing

@Suite("Frame events")
struct FrameEventTests {
    @Test func debugDescriptionEscapesBytes() {
        #expect(line("OK").debugDescription == "line(\"OK\")")
        #expect(FrameEvent.prompt.debugDescription == "prompt")
        #expect(FrameEvent.data([0x61, 0x0D, 0x0A, 0x22, 0x5C, 0x00, 0xFF]).debugDescription == #"data("a\r\n\"\\\x00\xFF")"#)
        #expect(echo("hi").debugDescription == "echo(\"hi\")")
        #expect(FrameEvent.error(.lineTooLong(discarded: 5)).debugDescription == "error(lineTooLong(discarded: 5))")
        #expect(
            FrameEvent.error(.declaredLengthTooLarge(declared: 9, limit: 4)).debugDescription
                == "error(declaredLengthTooLarge(declared: 9, limit: 4))")
        #expect(
            FrameEvent.error(.malformedLength(line: bytes("+RX: x"))).debugDescription
                == "error(malformedLength(line: \"+RX: x\"))")
    }

    @Test func eventsAreHashableByContent() {
        let events: Set<FrameEvent> = [line("OK"), line("OK"), data("OK"), echo("OK"), .prompt]
        #expect(events.count == 4)
    }
}
