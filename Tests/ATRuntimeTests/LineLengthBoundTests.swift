// LineLengthBoundTests.swift: bounded memory: overlong lines, endless streams and absurd declared lengths.

import ATRuntime
import Testing

@Suite("Memory bounds")
struct LineLengthBoundTests {
    @Test func aLineOfExactlyTheLimitIsKeptOneMoreIsDiscarded() {
        expectFraming(
            [.text("12345678\r\n123456789\r\nok\r\n")],
            configuration: FramerConfiguration(maxLineLength: 8),
            yields: [line("12345678"), .error(.lineTooLong(discarded: 9)), line("ok")],
            bufferBound: 8)
    }

    @Test func overlongLinesEndedInEveryWayResynchronise() {
        expectFraming(
            [.text("ok\r\nAAAAAAAAAAAA\rok\r\nBBBBBBBBBBBBBBBBBBBBB\nok\r\nCCCCCCCCCCC\r\r\nok\r\n")],
            configuration: FramerConfiguration(maxLineLength: 8),
            yields: [
                line("ok"), .error(.lineTooLong(discarded: 12)), line("ok"), .error(.lineTooLong(discarded: 21)),
                line("ok"), .error(.lineTooLong(discarded: 11)), line("ok"),
            ],
            bufferBound: 8)
    }

    @Test func tenMegabytesWithoutALineEnd() {
        let configuration = FramerConfiguration()
        let noise = (0..<(10 * 1024 * 1024)).map { UInt8(0x20 + $0 % 90) }  // printable, no CR or LF
        let script = FlatScript([.text("OK\r\n"), .raw(noise), .text("\r\n+CMQTTRXEND: 0\r\nOK\r\n")])
        let expected: [FrameEvent] = [
            line("OK"), .error(.lineTooLong(discarded: noise.count)), line("+CMQTTRXEND: 0"), line("OK"),
        ]
        for plan: ChunkPlan in [.random(seed: 11, maxSize: 4096), .random(seed: 12, maxSize: 200_000), .split(at: 6000)] {
            let result = script.replay(plan, configuration: configuration)
            #expect(result.events == expected, "\(plan)")
            #expect(result.peakBuffered <= configuration.maxLineLength, "\(plan)")
            #expect(result.events.filter { if case .error(.lineTooLong) = $0 { true } else { false } }.count == 1)
        }
    }

    @Test func bufferStaysBoundedWhileTheLineNeverEnds() {
        var framer = Framer(configuration: FramerConfiguration(maxLineLength: 100))
        let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 37)
        for _ in 0..<1000 {
            #expect(framer.feed(chunk) == [])
            #expect(framer.bufferedByteCount <= 100)
        }
        #expect(framer.feed(bytes("\r\nOK\r\n")) == [.error(.lineTooLong(discarded: 37_000)), line("OK")])
        #expect(framer.bufferedByteCount == 0)
    }

    @Test func absurdDeclaredLengthIsReportedAndLinesGoOn() {
        let configuration = FramerConfiguration(dataRules: [.followingLine(prefix: bytes("+CMQTTRXPAYLOAD:"), lengthField: 1)])
        expectFraming(
            [.text("+CMQTTRXPAYLOAD: 0,999999999\r\nhello\r\n+CMQTTRXEND: 0\r\n")], configuration: configuration,
            yields: [
                .error(.declaredLengthTooLarge(declared: 999_999_999, limit: 65536)),
                line("+CMQTTRXPAYLOAD: 0,999999999"), line("hello"), line("+CMQTTRXEND: 0"),
            ],
            bufferBound: 64)
    }

    @Test func lengthTooLargeForIntIsReportedAsIntMax() {
        let configuration = FramerConfiguration(dataRules: [.followingLine(prefix: bytes("+CMQTTRXPAYLOAD:"), lengthField: 1)])
        let text = "+CMQTTRXPAYLOAD: 0,123456789012345678901234567890"
        expectFraming(
            [.text(text + "\r\nOK\r\n")], configuration: configuration,
            yields: [.error(.declaredLengthTooLarge(declared: Int.max, limit: 65536)), line(text), line("OK")])
    }

    @Test func lengthAtTheLimitIsAccepted() {
        let configuration = FramerConfiguration(
            maxDataLength: 4, dataRules: [.followingLine(prefix: bytes("+RX:"), lengthField: 0)])
        expectFraming(
            [.text("+RX: 4\r\nabcd\r\n+RX: 5\r\nabcde\r\n")], configuration: configuration,
            yields: [
                line("+RX: 4"), data("abcd"), .error(.declaredLengthTooLarge(declared: 5, limit: 4)), line("+RX: 5"),
                line("abcde"),
            ])
    }

    @Test func anOverlongRuleLineDoesNotStartData() {
        let configuration = FramerConfiguration(
            maxLineLength: 12, dataRules: [.followingLine(prefix: bytes("+RX:"), lengthField: 1)])
        expectFraming(
            [.text("+RX: 0000000000,3\r\nabc\r\n")], configuration: configuration,
            yields: [.error(.lineTooLong(discarded: 17)), line("abc")])
    }

    @Test func limitsBelowTheMinimumAreClamped() {
        let framer = Framer(configuration: FramerConfiguration(maxLineLength: 0, maxDataLength: -1))
        #expect(framer.configuration.maxLineLength == 1)
        #expect(framer.configuration.maxDataLength == 0)
        expectFraming(
            [.text("a\r\nab\r\n")], configuration: FramerConfiguration(maxLineLength: 0),
            yields: [line("a"), .error(.lineTooLong(discarded: 2))])
    }
}
