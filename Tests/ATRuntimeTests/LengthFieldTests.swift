// LengthFieldTests.swift: what counts as a length field, and what happens when it is malformed.

import ATRuntime
import Testing

@Suite("Length fields")
struct LengthFieldTests {
    static let configuration = FramerConfiguration(dataRules: [.followingLine(prefix: bytes("+RX:"), lengthField: 1)])

    @Test(arguments: ["+RX: 0,abc", "+RX: 0,-1", "+RX: 0,+3", "+RX: 0,\"3\"", "+RX: 0,", "+RX: 0, ", "+RX: 0,3 3", "+RX: 0,0x3", "+RX: 0,3.0"])
    func malformedLengthIsReportedAndTheLineKept(text: String) {
        expectFraming(
            [.text(text + "\r\nabc\r\n")], configuration: Self.configuration,
            yields: [.error(.malformedLength(line: bytes(text))), line(text), line("abc")])
    }

    @Test(arguments: [("+RX: 0,3", "abc"), ("+RX: 0,003", "abc"), ("+RX:0,3", "abc"), ("+RX: 0, 3,7", "abc"), ("+RX: \"0,9\",3", "abc")])
    func wellFormedLengths(text: String, block: String) {
        expectFraming(
            [.text(text + "\r\n" + block + "\r\n")], configuration: Self.configuration,
            yields: [line(text), data(block)])
    }

    @Test func negativeLengthFieldIndexNeverMatches() {
        let text = "+RX: 3"
        expectFraming(
            [.text(text + "\r\n")],
            configuration: FramerConfiguration(dataRules: [.followingLine(prefix: bytes("+RX:"), lengthField: -1)]),
            yields: [.error(.malformedLength(line: bytes(text))), line(text)])
    }
}
