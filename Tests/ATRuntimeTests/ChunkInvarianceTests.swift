// ChunkInvarianceTests.swift: random transcripts frame the same under every chunking, and feed's input forms agree.

import ATRuntime
import Testing
import ATTestSupport

@Suite("Chunk invariance")
struct ChunkInvarianceTests {
    static let configuration = FramerConfiguration(
        maxLineLength: 24, maxDataLength: 40,
        dataRules: [
            .followingLine(prefix: bytes("+CMQTTRXTOPIC:"), lengthField: 1),
            .followingLine(prefix: bytes("+CMQTTRXPAYLOAD:"), lengthField: 1),
            .inlineQuoted(prefix: bytes("+SMPUBLISH:"), lengthField: 2),
        ])

    /// Pieces of modem traffic, some well-formed and some not, with the host calls that go with them.
    static let fragments: [[Step]] = [
        [.text("OK\r\n")],
        [.text("\r\nERROR\r\n")],
        [.text("AT+CMQTTSTART\r")],
        [.text("\r\r\n+CMQTTSTART: 0\r\r\n")],
        [.text("+CREG: 0,1\n")],
        [.text("\n\r\r\n")],
        [.text("+CMQTTRXTOPIC: 0,5\r\na\r\n,\"\r\n")],
        [.text("+CMQTTRXPAYLOAD: 0,3\rxyz")],
        [.text("+CMQTTRXPAYLOAD: 0,0\r\n")],
        [.text("+CMQTTRXPAYLOAD: 0,99999\r\n")],
        [.text("+CMQTTRXTOPIC: 0,x\r\n")],
        [.text("+SMPUBLISH: 1,\"t,1\",4,\"\r\n\"\"\r\n")],
        [.text("+SMPUBLISH: 1,\"t\",999,\"ab\"\r\n")],
        [.text("+SMPUBLISH: 1\r\n")],
        [.text("this line is far too long for the limit\r\n")],
        [.text("> not a prompt\r\n")],
        [.expectPrompt, .text("\r\n> ")],
        [.expectPrompt, .text(">")],
        [.expectPrompt, .expectEcho("topic"), .text(">topic\r\nOK\r\n")],
        [.expectPrompt, .text("\r\n>"), .expectEcho("a\r\nb"), .text(" a\r\nb")],
        [.expectEcho("abc"), .text("abX\r\n")],
        [.expectEcho("AT+X\r"), .expectPrompt, .text("AT+X\r\r\n>")],
        [.expectData(4), .text("\r\n\r\n")],
        [.text("+CIPRXGET: 2\r"), .expectData(2), .text("\nhi")],
        [.expectData(0)],
        [.expectData(50)],
        [.raw([0x00, 0xFF, 0x0D, 0x80, 0x0A])],
    ]

    @Test(arguments: 1...40 as ClosedRange<UInt64>)
    func randomTranscriptsFrameTheSameUnderEveryChunking(seed: UInt64) {
        var generator = SplitMix64(seed: seed)
        var steps: [Step] = []
        for _ in 0..<Int.random(in: 4...12, using: &generator) {
            steps += Self.fragments[Int.random(in: 0..<Self.fragments.count, using: &generator)]
        }
        let events = expectChunkInvariance(steps, configuration: Self.configuration)
        #expect(!events.isEmpty)
    }

    @Test(arguments: 1...20 as ClosedRange<UInt64>)
    func randomBytesFrameTheSameUnderEveryChunking(seed: UInt64) {
        var generator = SplitMix64(seed: seed &+ 1000)
        let alphabet = bytes("\r\n\r\n>> ,,\"\"0123ab") + [0x00]
        let prefixes = ["+CMQTTRXTOPIC: 0,", "+CMQTTRXPAYLOAD: 0,", "+SMPUBLISH: 1,\"t\","]
        var steps: [Step] = []
        for _ in 0..<30 {
            switch Int.random(in: 0..<10, using: &generator) {
            case 0: steps.append(.text(prefixes[Int.random(in: 0..<prefixes.count, using: &generator)]))
            case 1: steps.append(.expectPrompt)
            case 2: steps.append(.expectEcho(">a\r"))
            case 3: steps.append(.expectData(Int.random(in: 0...5, using: &generator)))
            default:
                let count = Int.random(in: 1...8, using: &generator)
                steps.append(.raw((0..<count).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }))
            }
        }
        expectChunkInvariance(steps, configuration: Self.configuration)
    }

    @Test func thePlansCutAtEveryBoundaryAndAtEveryCall() {
        let script = FlatScript([.text("ab"), .expectPrompt, .text("cde")])
        #expect(script.input == bytes("abcde"))
        #expect(script.callOffsets == [2])
        let splits = script.plans.compactMap { plan -> Int? in
            if case .split(let offset) = plan { offset } else { nil }
        }
        #expect(splits == [1, 2, 3, 4])
        #expect(script.replay(.byteByByte, configuration: FramerConfiguration()).feeds == 5)
        #expect(script.replay(.whole, configuration: FramerConfiguration()).feeds == 2)
        #expect(script.replay(.split(at: 4), configuration: FramerConfiguration()).feeds == 3)
    }

    @Test func expectationsAtTheSameOffsetGiveTheSameEventsButNotAtAnother() {
        // Guards the harness: the same bytes with the call elsewhere must differ.
        let early = expectChunkInvariance([.expectPrompt, .text("OK\r\n>\r\n")])
        let late = expectChunkInvariance([.text("OK\r\n"), .expectPrompt, .text(">\r\n")])
        #expect(early == [line("OK"), line(">")])
        #expect(late == [line("OK"), .prompt])
    }

    @Test func nonContiguousInputIsFramedLikeAnArray() {
        let text = "+CSQ: 20,99\r\n\r\nOK\r\n"
        var fromArray = Framer()
        var fromSequence = Framer()
        let expected = fromArray.feed(bytes(text))
        #expect(expected == [line("+CSQ: 20,99"), line("OK")])
        #expect(fromSequence.feed(text.utf8.lazy.map { $0 }) == expected)
    }

    @Test func feedIntoAppendsToTheGivenArray() {
        var framer = Framer()
        var events: [FrameEvent] = [.prompt]
        framer.feed(bytes("OK\r\nER"), into: &events)
        framer.feed(bytes("ROR\r\n"), into: &events)
        #expect(events == [.prompt, line("OK"), line("ERROR")])
    }
}
