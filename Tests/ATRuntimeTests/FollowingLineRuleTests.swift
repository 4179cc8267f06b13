// FollowingLineRuleTests.swift: raw data blocks announced by a length field in the line before them.

import ATRuntime
import Testing

@Suite("Data following a line")
struct FollowingLineRuleTests {
    static let sim7672x = FramerConfiguration(dataRules: [
        .followingLine(prefix: bytes("+CMQTTRXTOPIC:"), lengthField: 1),
        .followingLine(prefix: bytes("+CMQTTRXPAYLOAD:"), lengthField: 1),
    ])

    /// 60 bytes with CR LF, commas, quotes and a NUL: everything a line framer would trip on.
    static let payload: [UInt8] = {
        let text = "{\"t\":21.5,\r\n\"h\":40}\r\nOK\r\n,\"x\",\r\r\n>\n+CMQTTRXEND: 0\r\n"
        var bytes = bytes(text) + [0x00]
        while bytes.count < 60 { bytes.append(UInt8(ascii: "z")) }
        return bytes
    }()

    @Test func sim7672xReceiveSequence() throws {
        try #require(Self.payload.count == 60)
        let steps: [Step] = [
            .text("+CMQTTRXSTART: 0,9,60\r\n+CMQTTRXTOPIC: 0,9\r\nsimcommsg\r\n+CMQTTRXPAYLOAD: 0,60\r\n"),
            .raw(Self.payload),
            .text("\r\n+CMQTTRXEND: 0\r\n"),
        ]
        expectFraming(
            steps, configuration: Self.sim7672x,
            yields: [
                line("+CMQTTRXSTART: 0,9,60"), line("+CMQTTRXTOPIC: 0,9"), data("simcommsg"),
                line("+CMQTTRXPAYLOAD: 0,60"), .data(Self.payload), line("+CMQTTRXEND: 0"),
            ])
    }

    @Test func lineEndingInLoneCR() {
        expectFraming(
            [.text("+CMQTTRXTOPIC: 0,3\rabc\r\nOK\r\n")], configuration: Self.sim7672x,
            yields: [line("+CMQTTRXTOPIC: 0,3"), data("abc"), line("OK")])
    }

    @Test func lineEndingInCRThenDataStartingWithCR() {
        expectFraming(
            [.text("+CMQTTRXTOPIC: 0,3\r\rab\r\n")], configuration: Self.sim7672x,
            yields: [line("+CMQTTRXTOPIC: 0,3"), data("\rab")])
    }

    @Test func lineEndingInLoneLFThenDataStartingWithLF() {
        expectFraming(
            [.text("+CMQTTRXTOPIC: 0,3\n\nab\n")], configuration: Self.sim7672x,
            yields: [line("+CMQTTRXTOPIC: 0,3"), data("\nab")])
    }

    @Test func dataStartingWithCRLF() {
        expectFraming(
            [.text("+CMQTTRXTOPIC: 0,4\r\n\r\nab\r\nOK\r\n")], configuration: Self.sim7672x,
            yields: [line("+CMQTTRXTOPIC: 0,4"), data("\r\nab"), line("OK")])
    }

    @Test func declaredZeroGivesAnEmptyBlock() {
        expectFraming(
            [.text("+CMQTTRXPAYLOAD: 0,0\r\n\r\n+CMQTTRXEND: 0\r\n")], configuration: Self.sim7672x,
            yields: [line("+CMQTTRXPAYLOAD: 0,0"), .data([]), line("+CMQTTRXEND: 0")])
    }

    @Test func spacesAroundFieldsAreTrimmed() {
        expectFraming(
            [.text("+CMQTTRXTOPIC:  0 ,  3 \r\nabc")], configuration: Self.sim7672x,
            yields: [line("+CMQTTRXTOPIC:  0 ,  3 "), data("abc")])
    }

    @Test func commasInsideQuotedFieldsDoNotSeparateFields() {
        let configuration = FramerConfiguration(dataRules: [.followingLine(prefix: bytes("+FSREAD:"), lengthField: 1)])
        expectFraming(
            [.text("+FSREAD: \"a,b.txt\",3\r\nx,y\r\n")], configuration: configuration,
            yields: [line("+FSREAD: \"a,b.txt\",3"), data("x,y")])
    }

    @Test func dataMayContainNULsAndHighBytes() {
        let block: [UInt8] = [0x00, 0xFF, 0x0D, 0x00, 0x0A, 0x80]
        expectFraming(
            [.text("+CMQTTRXPAYLOAD: 0,6\r\n"), .raw(block), .text("\r\n")], configuration: Self.sim7672x,
            yields: [line("+CMQTTRXPAYLOAD: 0,6"), .data(block)])
    }

    @Test func aLongBlockIsBufferedAcrossChunks() {
        let block = (0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let script = FlatScript([.text("+CMQTTRXPAYLOAD: 0,5000\r\n"), .raw(block), .text("\r\n+CMQTTRXEND: 0\r\n")])
        let expected = [line("+CMQTTRXPAYLOAD: 0,5000"), .data(block), line("+CMQTTRXEND: 0")]
        for plan: ChunkPlan in [.whole, .byteByByte, .random(seed: 3, maxSize: 700), .split(at: 2500)] {
            let result = script.replay(plan, configuration: Self.sim7672x)
            let matches = result.events == expected  // compared as a Bool: printing 5000 bytes helps no one
            #expect(matches, "\(plan): \(result.events.map(\.shape))")
            #expect(result.peakBuffered <= 5000, "\(plan)")
        }
    }

    @Test func aLineWithoutTheLengthFieldIsMalformed() {
        expectFraming(
            [.text("+CMQTTRXTOPIC: 0\r\nabc\r\n")], configuration: Self.sim7672x,
            yields: [.error(.malformedLength(line: bytes("+CMQTTRXTOPIC: 0"))), line("+CMQTTRXTOPIC: 0"), line("abc")])
    }

    @Test func aLineThatIsOnlyThePrefixIsMalformed() {
        expectFraming(
            [.text("+CMQTTRXTOPIC:\r\nabc\r\n")], configuration: Self.sim7672x,
            yields: [.error(.malformedLength(line: bytes("+CMQTTRXTOPIC:"))), line("+CMQTTRXTOPIC:"), line("abc")])
    }

    @Test func linesWithOtherPrefixesAreUnaffected() {
        expectFraming(
            [.text("+CMQTTRX: 0,3\r\n+CMQTTRXTOPICS: 0,3\r\nabc\r\n")],
            configuration: FramerConfiguration(dataRules: [.followingLine(prefix: bytes("+CMQTTRXTOPIC:"), lengthField: 1)]),
            yields: [line("+CMQTTRX: 0,3"), line("+CMQTTRXTOPICS: 0,3"), line("abc")])
    }
}
