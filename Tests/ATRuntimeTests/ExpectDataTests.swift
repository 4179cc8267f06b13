// ExpectDataTests.swift: data blocks announced by the host with expectData(count:).

import ATRuntime
import Testing

@Suite("Expected data")
struct ExpectDataTests {
    @Test func atLineStartTheNextBytesAreTheBlock() {
        expectFraming(
            [.expectData(5), .text("ab\r\nc\r\nOK\r\n")],
            yields: [data("ab\r\nc"), line("OK")])
    }

    @Test func afterACRTheLFBelongsToTheLineEnd() {
        expectFraming(
            [.text("+CIPRXGET: 2,0,3,0\r"), .expectData(3), .text("\nxyz\r\nOK\r\n")],
            yields: [line("+CIPRXGET: 2,0,3,0"), data("xyz"), line("OK")])
        expectFraming(
            [.text("+CIPRXGET: 2,0,3,0\r"), .expectData(3), .text("xyz\r\nOK\r\n")],
            yields: [line("+CIPRXGET: 2,0,3,0"), data("xyz"), line("OK")])
    }

    @Test func inTheMiddleOfALineTheBlockFollowsTheLine() {
        expectFraming(
            [.text("+CIPRX"), .expectData(2), .text("GET: 1\r\nhi\r\nOK\r\n")],
            yields: [line("+CIPRXGET: 1"), data("hi"), line("OK")])
    }

    @Test func zeroCountGivesAnEmptyBlockAtOnce() {
        expectFraming([.expectData(0), .text("OK\r\n")], yields: [.data([]), line("OK")])
        var framer = Framer()
        framer.expectData(count: 0)
        #expect(framer.feed([UInt8]()) == [.data([])])
        #expect(framer.feed([UInt8]()) == [])
    }

    @Test func negativeCountIsAnEmptyBlock() {
        expectFraming([.expectData(-4), .text("OK\r\n")], yields: [.data([]), line("OK")])
    }

    @Test func countAboveTheLimitIsReportedAndLinesGoOn() {
        expectFraming(
            [.expectData(70000), .text("OK\r\n")],
            yields: [.error(.declaredLengthTooLarge(declared: 70000, limit: 65536)), line("OK")])
    }

    @Test func eachCallAnnouncesOneMoreBlock() {
        expectFraming(
            [.text("X"), .expectData(1), .expectData(2), .text("\r\nabc\r\nOK\r\n")],
            yields: [line("X"), data("a"), data("bc"), line("OK")])
    }

    @Test func aBlockAnnouncedDuringARuleBlockFollowsIt() {
        let configuration = FramerConfiguration(dataRules: [.followingLine(prefix: bytes("+CMQTTRXTOPIC:"), lengthField: 1)])
        expectFraming(
            [.text("+CMQTTRXTOPIC: 0,3\r\nab"), .expectData(2), .text("cde\r\n")], configuration: configuration,
            yields: [line("+CMQTTRXTOPIC: 0,3"), data("abc"), data("de")])
    }

    @Test func aBlockAnnouncedOnARuleLineFollowsTheRuleBlock() {
        let configuration = FramerConfiguration(dataRules: [.followingLine(prefix: bytes("+CMQTTRXTOPIC:"), lengthField: 1)])
        expectFraming(
            [.text("+CMQTTRXTOPIC: 0,2"), .expectData(1), .text("\r\nabc\r\n")], configuration: configuration,
            yields: [line("+CMQTTRXTOPIC: 0,2"), data("ab"), data("c")])
    }

    @Test func aBlockAnnouncedDuringAnOverlongLineFollowsIt() {
        expectFraming(
            [.text("0123456789"), .expectData(2), .text("ab\r\nxy\r\n")],
            configuration: FramerConfiguration(maxLineLength: 8),
            yields: [.error(.lineTooLong(discarded: 12)), data("xy")])
    }

    @Test func aBlockAnnouncedDuringAnEchoFollowsIt() {
        expectFraming(
            [.expectEcho("hello"), .text("hel"), .expectData(2), .text("lo\r\n")],
            yields: [echo("hello"), data("\r\n")])
    }

    @Test func aBlockAnnouncedDuringAFailedEchoStartsWhereTheEchoDid() {
        expectFraming(
            [.expectEcho("hello"), .text("hel"), .expectData(2), .text("p\r\n")],
            yields: [data("he"), line("lp")])
    }
}
