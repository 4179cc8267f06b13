// TerminatedDataTests.swift: prompt data ended by a terminator (Ctrl-Z) or cancelled (ESC) instead of counted.

import ATRuntime
import Testing

@Suite("Terminated prompt data")
struct TerminatedDataTests {
    /// The events of `input` after a prompt with a Ctrl-Z terminator and an ESC cancel, fed whole
    /// and byte by byte (which must agree), then finished.
    func frame(_ input: [UInt8], maxDataLength: Int = 65536) -> [FrameEvent] {
        var results: [[FrameEvent]] = []
        for size in [input.count, 1] {
            var framer = Framer(configuration: FramerConfiguration(maxDataLength: maxDataLength))
            framer.expectPrompt(terminator: 0x1A, cancel: 0x1B)
            var events: [FrameEvent] = []
            var start = 0
            while start < input.count {
                events += framer.feed(input[start..<min(input.count, start + max(1, size))])
                start += max(1, size)
            }
            results.append(events + framer.finish())
        }
        #expect(results[0] == results[1], "whole and byte by byte")
        return results[0]
    }

    @Test func dataRunsToCtrlZWhichIsNotPartOfIt() {
        // The data may hold line ends and commas; it ends at 0x1A, and lines go on after it.
        #expect(frame(bytes("\r\n> a,b\r\nc") + [0x1A] + bytes("\r\nOK\r\n")) == [.prompt, data("a,b\r\nc"), line("OK")])
    }

    @Test func escCancelsTheDataWithWhatCameSoFar() {
        #expect(frame(bytes("\r\n> ab") + [0x1B] + bytes("\r\nOK\r\n")) == [.prompt, .error(.cancelledData(received: bytes("ab"))), line("OK")])
    }

    @Test func dataWithoutItsTerminatorIsReportedAtTheBoundAndAtTheEnd() {
        let long = frame(bytes("\r\n> ") + [UInt8](repeating: 0x41, count: 20), maxDataLength: 8)
        #expect(long.first == .prompt)
        #expect(long.dropFirst().first == .error(.unterminatedData(received: [UInt8](repeating: 0x41, count: 8))))
        #expect(frame(bytes("\r\n> abc")) == [.prompt, .error(.unterminatedData(received: bytes("abc")))])
    }

    @Test func aLineEndAfterThePromptMeansTheDataIsNotShown() {
        #expect(frame(bytes("\r\n>\r\nOK\r\n")) == [.prompt, line("OK")])
    }
}
