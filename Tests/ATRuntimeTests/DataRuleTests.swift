// DataRuleTests.swift: the data rule accessors, and which rule a line gets when prefixes overlap.

import ATRuntime
import Testing

@Suite("Data rules")
struct DataRuleTests {
    @Test func accessorsReadEitherCase() {
        let following = DataRule.followingLine(prefix: bytes("+A:"), lengthField: 1)
        let inline = DataRule.inlineQuoted(prefix: bytes("+B:"), lengthField: 2)
        #expect(following.prefix == bytes("+A:"))
        #expect(following.lengthField == 1)
        #expect(inline.prefix == bytes("+B:"))
        #expect(inline.lengthField == 2)
    }

    @Test func amongEqualPrefixesTheFirstListedWins() {
        let inlineFirst = FramerConfiguration(dataRules: [
            .inlineQuoted(prefix: bytes("+A:"), lengthField: 0),
            .followingLine(prefix: bytes("+A:"), lengthField: 0),
        ])
        expectFraming(
            [.text("+A: 2,\"\r\n\"\r\nxy\r\n")], configuration: inlineFirst,
            yields: [line("+A: 2,\"\r\n\""), line("xy")])
        let followingFirst = FramerConfiguration(dataRules: [
            .followingLine(prefix: bytes("+A:"), lengthField: 0),
            .inlineQuoted(prefix: bytes("+A:"), lengthField: 0),
        ])
        expectFraming(
            [.text("+A: 2\r\nxy\r\n")], configuration: followingFirst,
            yields: [line("+A: 2"), data("xy")])
    }

    @Test func theShorterOfTwoOverlappingPrefixesWins() {
        let configuration = FramerConfiguration(dataRules: [
            .followingLine(prefix: bytes("+RXD:"), lengthField: 0),
            .followingLine(prefix: bytes("+RX"), lengthField: 0),
        ])
        // Seen from "+RX", the fields are "D: 2", which is not a length.
        expectFraming(
            [.text("+RXD: 2\r\nab\r\n+RX2\r\nab\r\n")], configuration: configuration,
            yields: [.error(.malformedLength(line: bytes("+RXD: 2"))), line("+RXD: 2"), line("ab"), line("+RX2"), data("ab")])
    }

    @Test func aLongerPrefixIsStillFoundAfterAShorterOneFailsToMatch() {
        let configuration = FramerConfiguration(dataRules: [
            .followingLine(prefix: bytes("+Q:"), lengthField: 0),
            .followingLine(prefix: bytes("+QIRD:"), lengthField: 0),
            .inlineQuoted(prefix: bytes("+QMTRECV:"), lengthField: 0),
        ])
        expectFraming(
            [.text("+QIRD: 3\r\nabc\r\n+QMTRECV: 2,\"\r\n\"\r\n+QX: 1\r\n")], configuration: configuration,
            yields: [line("+QIRD: 3"), data("abc"), line("+QMTRECV: 2,\"\r\n\""), line("+QX: 1")])
    }

    @Test func anEmptyPrefixMatchesEveryLine() {
        let configuration = FramerConfiguration(dataRules: [.followingLine(prefix: [], lengthField: 0)])
        expectFraming(
            [.text("2\r\nab\r\n\r\n1\nc")], configuration: configuration,
            yields: [line("2"), data("ab"), line("1"), data("c")])
    }
}
