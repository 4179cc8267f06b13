// LineMatcherTests.swift: compiled syntaxes match lines as the manuals write them, from text or from bytes.

import ATRuntime
import Testing

@Suite("Line matcher")
struct LineMatcherTests {
    private func fields(_ result: [CapturedField]?) -> [String]? {
        result?.map { "\($0.name)=\($0.text)\($0.quoted ? " (quoted)" : "")" }
    }

    @Test func quotedValuesMayHoldCommasAndQuotes() throws {
        let syntax = try SyntaxParser.parseLine("+MQTTMSG: <client_id>,<qos>,<topic>,<payload>")
        let shapes: [String: FieldShape] = ["client_id": .integer, "qos": .integer, "topic": .quoted, "payload": .quoted]
        let matcher = LineMatcher(syntax) { shapes[$0] ?? .any }
        #expect(
            fields(matcher.match(#"+MQTTMSG: 1,0,"a,b","say "hi", ok""#))
                == ["client_id=1", "qos=0", "topic=a,b (quoted)", #"payload=say "hi", ok (quoted)"#])
        #expect(matcher.match(#"+MQTTMSG: 1,0,"a,b""#) == nil)
        #expect(matcher.match(#"+MQTTMSX: 1,0,"a","b""#) == nil)
    }

    @Test func optionalGroupsAreTriedPresentThenAbsent() throws {
        let syntax = try SyntaxParser.parseCommand("AT+CMQTTPUB=<client_index>,<qos>,<pub_timeout>[,<ratained>[,<dup>]]")
        let matcher = LineMatcher(syntax) { _ in .integer }
        #expect(matcher.match("AT+CMQTTPUB=0,1,60")?.count == 3)
        #expect(matcher.match("AT+CMQTTPUB=0,1,60,1")?.count == 4)
        #expect(fields(matcher.match("at+cmqttpub=0,1,60,1,0")) == ["client_index=0", "qos=1", "pub_timeout=60", "ratained=1", "dup=0"])
        #expect(matcher.match("AT+CMQTTPUB=0,1,60,") == nil)
        #expect(matcher.match("AT+CMQTTPUB=0,1") == nil)
    }

    @Test func numbersKeepTheirTextExactly() throws {
        let matcher = LineMatcher(try SyntaxParser.parseLine("+X: <a>,<b>,<c>,<d>,<e>")) { _ in .integer }
        #expect(fields(matcher.match("+X: 0,007,-1,999,1000")) == ["a=0", "b=007", "c=-1", "d=999", "e=1000"])
        #expect(fields(matcher.match("+X: 10,01,00,5,42")) == ["a=10", "b=01", "c=00", "d=5", "e=42"])
    }

    @Test func bytesAndTextGiveTheSameFields() throws {
        let matcher = LineMatcher(LineDescriptor(name: "CMQTTRXSTART", syntax: try SyntaxParser.parseLine("+CMQTTRXSTART: <a>,<b>,<c>"), shapes: [:]))
        let line = "+CMQTTRXSTART: 0,\"t\u{e9}\",60"
        let fromBytes = Array(line.utf8).withUnsafeBufferPointer { matcher.match($0) }
        #expect(fromBytes == matcher.match(line))
        #expect(fields(fromBytes) == ["a=0", "b=t\u{e9} (quoted)", "c=60"])
    }

    @Test func descriptorsAndTheSyntaxMatcherAgreeWithTheCompiledMatcher() throws {
        let syntax = try SyntaxParser.parseLine("+CMQTTACCQ: (0-1),(1-128)\\[,(0-1)\\]")
        let line = LineDescriptor(name: "CMQTTACCQ", syntax: syntax, shapes: [:])
        #expect(line.match("+CMQTTACCQ: (0-1),(1-128)[,(0-1)]") == [])
        #expect(LineMatcher(line).match("+CMQTTACCQ: (0-1),(1-128)[,(0-1)]") == [])
        #expect(SyntaxMatcher.match("+CMQTTACCQ: (0-1),(1-128)", syntax) { _ in .any } == nil)
    }
}
