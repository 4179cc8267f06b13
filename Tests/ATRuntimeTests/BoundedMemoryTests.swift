// BoundedMemoryTests.swift: 100 MB streams with no line end and with absurd declared lengths never grow the framer past its limits.

import ATRuntime
import Testing

@Suite("Bounded memory on 100 MB streams")
struct BoundedMemoryTests {
    static let megabytes = 100
    /// One 64 KiB chunk of printable bytes with no CR or LF, fed again and again.
    static let noise: [UInt8] = (0..<65536).map { UInt8(0x21 + $0 % 90) }
    static let chunks = megabytes * 16

    static let configuration = FramerConfiguration(dataRules: [
        .followingLine(prefix: bytes("+CMQTTRXPAYLOAD:"), lengthField: 1),
        .inlineQuoted(prefix: bytes("+SMPUBLISH:"), lengthField: 2),
    ])

    /// Feeds `prefix`, then 100 MB of noise, then `suffix`; returns the events and the largest
    /// `bufferedByteCount` seen after any feed.
    static func stream(
        _ framer: inout Framer, prefix: [UInt8], suffix: [UInt8]
    ) -> (events: [FrameEvent], peak: Int) {
        var events = framer.feed(prefix)
        var peak = framer.bufferedByteCount
        for _ in 0..<chunks {
            framer.feed(noise, into: &events)
            peak = max(peak, framer.bufferedByteCount)
        }
        framer.feed(suffix, into: &events)
        return (events, max(peak, framer.bufferedByteCount))
    }

    static let total = megabytes * 1024 * 1024

    @Test func noLineEndForAHundredMegabytes() {
        var framer = Framer(configuration: Self.configuration)
        let (events, peak) = Self.stream(&framer, prefix: bytes("OK\r\n"), suffix: bytes("\r\nOK\r\n"))
        #expect(events == [line("OK"), .error(.lineTooLong(discarded: Self.total)), line("OK")])
        #expect(peak <= Self.configuration.maxLineLength)
        #expect(framer.bufferedByteCount == 0)
    }

    @Test func absurdFollowingLengthThenAHundredMegabytes() {
        var framer = Framer(configuration: Self.configuration)
        let header = "+CMQTTRXPAYLOAD: 0,99999999999999999999999"
        let (events, peak) = Self.stream(&framer, prefix: bytes(header + "\r\n"), suffix: bytes("\r\n+CMQTTRXEND: 0\r\n"))
        #expect(
            events == [
                .error(.declaredLengthTooLarge(declared: Int.max, limit: 65536)), line(header),
                .error(.lineTooLong(discarded: Self.total)), line("+CMQTTRXEND: 0"),
            ])
        #expect(peak <= Self.configuration.maxLineLength)
    }

    @Test func lengthAtTheLimitTakesOneBlockThenDiscards() {
        var framer = Framer(configuration: Self.configuration)
        let header = "+CMQTTRXPAYLOAD: 0,65536"
        let (events, peak) = Self.stream(&framer, prefix: bytes(header + "\r\n"), suffix: bytes("\r\nOK\r\n"))
        #expect(events.count == 4)
        #expect(events.first == line(header))
        #expect(events.dropFirst().first == .data(Self.noise))
        #expect(events.dropFirst(2).first == .error(.lineTooLong(discarded: Self.total - 65536)))
        #expect(events.last == line("OK"))
        #expect(peak <= Self.configuration.maxDataLength)
    }

    @Test func inlineContentAtTheLimitThenAHundredMegabytes() {
        var framer = Framer(configuration: Self.configuration)
        let (events, peak) = Self.stream(&framer, prefix: bytes("+SMPUBLISH: 1,\"t\",65536,\""), suffix: bytes("\r\nOK\r\n"))
        let prefixLength = "+SMPUBLISH: 1,\"t\",65536,\"".utf8.count
        #expect(events == [.error(.lineTooLong(discarded: prefixLength + Self.total)), line("OK")])
        #expect(peak <= Self.configuration.maxLineLength + Self.configuration.maxDataLength)
    }

    @Test func absurdInlineLengthIsAnOrdinaryOverlongLine() {
        var framer = Framer(configuration: Self.configuration)
        let header = "+SMPUBLISH: 1,\"t\",99999999999,\""
        let (events, peak) = Self.stream(&framer, prefix: bytes(header), suffix: bytes("\r\nOK\r\n"))
        #expect(events == [.error(.lineTooLong(discarded: header.utf8.count + Self.total)), line("OK")])
        #expect(peak <= Self.configuration.maxLineLength)
    }

    @Test func hostAnnouncedAbsurdBlockThenAHundredMegabytes() {
        var framer = Framer(configuration: Self.configuration)
        framer.expectData(count: Int.max)
        let (events, peak) = Self.stream(&framer, prefix: [], suffix: bytes("\r\nOK\r\n"))
        #expect(events == [.error(.declaredLengthTooLarge(declared: Int.max, limit: 65536)), .error(.lineTooLong(discarded: Self.total)), line("OK")])
        #expect(peak <= Self.configuration.maxLineLength)
    }

    @Test func aHundredMegabytesOfDeclarationsAndBlocks() {
        // Lines that each declare an absurd length, then blocks at the limit, then short lines:
        // every kind of item, repeated until 100 MB have passed.
        var framer = Framer(configuration: Self.configuration)
        let absurd = bytes("+CMQTTRXPAYLOAD: 0,18446744073709551616\r\n")
        let block = bytes("+CMQTTRXPAYLOAD: 0,65536\r\n") + Self.noise
        let inline = bytes("+SMPUBLISH: 1,\"t\",4,\"\r\n\"\"\r\n")
        var fed = 0
        var peak = 0
        var counts = (errors: 0, blocks: 0, lines: 0)
        var events: [FrameEvent] = []
        while fed < Self.total {
            for piece in [absurd, block, inline] {
                framer.feed(piece, into: &events)
                fed += piece.count
                peak = max(peak, framer.bufferedByteCount)
            }
            for event in events {
                switch event {
                case .error: counts.errors += 1
                case .data: counts.blocks += 1
                case .line: counts.lines += 1
                default: break
                }
            }
            events.removeAll(keepingCapacity: true)
        }
        #expect(counts.errors == counts.blocks)
        #expect(counts.lines == 3 * counts.blocks)
        #expect(counts.blocks > 1500)
        #expect(peak <= Self.configuration.maxDataLength)
    }

    @Test func theDecoderStaysBoundedToo() {
        let module = ModuleDescriptor(name: "M", finals: [], urcs: [], forms: [])
        var decoder = ATDecoder(module: module, maxLineLength: 1024, maxDataLength: 2048)
        var events = decoder.feed(bytes("OK\r\n"))
        var peak = 0
        for _ in 0..<Self.chunks {
            events += decoder.feed(Self.noise)
            peak = max(peak, decoder.bufferedByteCount)
        }
        events += decoder.feed(bytes("\r\n"))
        #expect(events == [.unrecognized("OK"), .error(.lineTooLong(discarded: Self.total))])
        #expect(peak <= 1024)
    }
}
