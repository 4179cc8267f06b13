// InlineQuotedRuleTests.swift: lines whose quoted field holds a declared number of raw bytes.

import ATRuntime
import Testing

@Suite("Inline quoted content")
struct InlineQuotedRuleTests {
    static let sim7080 = FramerConfiguration(dataRules: [.inlineQuoted(prefix: bytes("+SMPUBLISH:"), lengthField: 2)])

    @Test func contentWithCRLFIsPartOfTheLine() {
        expectFraming(
            [.text("+SMPUBLISH: 1,\"Topic1\",12,\"hello\r\nworld\"\r\nOK\r\n")], configuration: Self.sim7080,
            yields: [line("+SMPUBLISH: 1,\"Topic1\",12,\"hello\r\nworld\""), line("OK")])
    }

    /// The example declares 11 for the 12 bytes `hello\r\nworld`: the CR LF is still
    /// inside the content, and the `d"` after it is ordinary line text, so the line is whole.
    @Test func contentLengthOneShortStillCoversTheCRLF() {
        expectFraming(
            [.text("+SMPUBLISH: 1,\"Topic1\",11,\"hello\r\nworld\"\r\n")], configuration: Self.sim7080,
            yields: [line("+SMPUBLISH: 1,\"Topic1\",11,\"hello\r\nworld\"")])
    }

    @Test func contentWithQuotesAndCommas() {
        expectFraming(
            [.text("+SMPUBLISH: 1,\"T\",7,\"a\",\"b\rc\"\n")], configuration: Self.sim7080,
            yields: [line("+SMPUBLISH: 1,\"T\",7,\"a\",\"b\rc\"")])
    }

    @Test func quotedTopicWithCommaBeforeTheLength() {
        expectFraming(
            [.text("+SMPUBLISH: 1,\"a,b\",2,\"\r\n\"\r\n")], configuration: Self.sim7080,
            yields: [line("+SMPUBLISH: 1,\"a,b\",2,\"\r\n\"")])
    }

    @Test func spacesBeforeTheOpeningQuote() {
        expectFraming(
            [.text("+SMPUBLISH: 1, \"T\" , 3 ,  \"a\rb\"\r\n")], configuration: Self.sim7080,
            yields: [line("+SMPUBLISH: 1, \"T\" , 3 ,  \"a\rb\"")])
    }

    @Test func emptyContent() {
        expectFraming(
            [.text("+SMPUBLISH: 1,\"T\",0,\"\"\r\nOK\r\n")], configuration: Self.sim7080,
            yields: [line("+SMPUBLISH: 1,\"T\",0,\"\""), line("OK")])
    }

    @Test func unquotedContentIsFramedNormally() {
        expectFraming(
            [.text("+SMPUBLISH: 1,\"T\",5,ab\r\ncd\r\n")], configuration: Self.sim7080,
            yields: [line("+SMPUBLISH: 1,\"T\",5,ab"), line("cd")])
    }

    @Test func absurdLengthIsReportedAndTheLineFramedNormally() {
        expectFraming(
            [.text("+SMPUBLISH: 1,\"T\",999999999,\"a\r\nb\"\r\nOK\r\n")], configuration: Self.sim7080,
            yields: [
                .error(.declaredLengthTooLarge(declared: 999_999_999, limit: 65536)),
                line("+SMPUBLISH: 1,\"T\",999999999,\"a"), line("b\""), line("OK"),
            ])
    }

    @Test func malformedLengthIsReportedWithTheLine() {
        let text = "+SMPUBLISH: 1,\"T\",1x,\"ab\""
        expectFraming(
            [.text(text + "\r\nOK\r\n")], configuration: Self.sim7080,
            yields: [.error(.malformedLength(line: bytes(text))), line(text), line("OK")])
    }

    @Test func missingLengthFieldIsMalformed() {
        expectFraming(
            [.text("+SMPUBLISH: 1,\"T\"\r\n")], configuration: Self.sim7080,
            yields: [.error(.malformedLength(line: bytes("+SMPUBLISH: 1,\"T\""))), line("+SMPUBLISH: 1,\"T\"")])
    }

    @Test func lengthAsLastFieldIsCheckedToo() {
        expectFraming(
            [.text("+SMPUBLISH: 1,\"T\",3\r\n+SMPUBLISH: 1,\"T\",-3\r\n")], configuration: Self.sim7080,
            yields: [
                line("+SMPUBLISH: 1,\"T\",3"),
                .error(.malformedLength(line: bytes("+SMPUBLISH: 1,\"T\",-3"))), line("+SMPUBLISH: 1,\"T\",-3"),
            ])
    }

    @Test func contentLongerThanMaxLineLengthIsBoundedByMaxDataLength() {
        let configuration = FramerConfiguration(
            maxLineLength: 24, maxDataLength: 64,
            dataRules: [.inlineQuoted(prefix: bytes("+SMPUBLISH:"), lengthField: 2)])
        let content = String(repeating: "0123456789\r\n", count: 5)  // 60 bytes
        let text = "+SMPUBLISH: 1,\"T\",60,\"\(content)\""
        expectFraming(
            [.text(text + "\r\n")], configuration: configuration,
            yields: [line(text)], bufferBound: 24 + 60)
    }

    @Test func contentAboveMaxDataLengthIsNotCollected() {
        let configuration = FramerConfiguration(
            maxLineLength: 32, maxDataLength: 64,
            dataRules: [.inlineQuoted(prefix: bytes("+SMPUBLISH:"), lengthField: 2)])
        expectFraming(
            [.text("+SMPUBLISH: 1,\"T\",65,\"ab\"\r\n")], configuration: configuration,
            yields: [.error(.declaredLengthTooLarge(declared: 65, limit: 64)), line("+SMPUBLISH: 1,\"T\",65,\"ab\"")])
    }

    @Test func overlongFieldsBeforeTheContentAreDiscarded() {
        let configuration = FramerConfiguration(
            maxLineLength: 24, maxDataLength: 64,
            dataRules: [.inlineQuoted(prefix: bytes("+SMPUBLISH:"), lengthField: 2)])
        let text = "+SMPUBLISH: 1,\"a very long topic name\",2,\"\r\n\""
        // The line is dropped before its content starts, so the content's CR LF ends it.
        expectFraming(
            [.text(text + "\r\nOK\r\n")], configuration: configuration,
            yields: [.error(.lineTooLong(discarded: 42)), line("\""), line("OK")], bufferBound: 24)
    }
}
