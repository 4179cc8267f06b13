// LineMatcherTests.swift: compiled syntaxes match lines as the manuals write them, from text or from bytes.

import ATRuntime
import Testing

@Suite("Line matcher")
struct LineMatcherTests {
    private func fields(_ result: [CapturedField]?) -> [String]? {
        result?.map { "\($0.name)=\($0.text)\($0.quoted ? " (quoted)" : "")" }
    }

    @Test func aQuotedValueEndsAtItsClosingQuote() throws {
        let syntax = try SyntaxParser.parseLine("+MQTTMSG: <client_id>,<qos>,<topic>,<payload>")
        let shapes: [String: FieldShape] = ["client_id": .integer, "qos": .integer, "topic": .quoted, "payload": .quoted]
        let matcher = LineMatcher(syntax) { shapes[$0] ?? .any }
        #expect(fields(matcher.match(#"+MQTTMSG: 1,0,"a,b","say hi, ok""#)) == ["client_id=1", "qos=0", "topic=a,b (quoted)", "payload=say hi, ok (quoted)"])
        // No module defines an escape: a value cannot hold a quote, so this line fits no shape.
        #expect(matcher.match(#"+MQTTMSG: 1,0,"a,b","say "hi", ok""#) == nil)
        #expect(matcher.match(#"+MQTTMSG: 1,0,"a,b""#) == nil)
        #expect(matcher.match(#"+MQTTMSX: 1,0,"a","b""#) == nil)
        #expect(SyntaxMatcher.match("+CMQTTACCQ: (0-1),(1-128)", syntax) { _ in .any } == nil)
    }

    @Test func aQuotedValueIsNotStretchedAcrossAClosingQuoteAndAComma() throws {
        // AT+CMQTTACCQ=1,"a","b" is not client_id = a","b: the line fits no form.
        let accq = try SyntaxParser.parseCommand("AT+CMQTTACCQ=<client_index>,<clientID>[,<server_type>]")
        let shapes: [String: FieldShape] = ["client_index": .integer, "clientID": .quoted, "server_type": .integer]
        let matcher = LineMatcher(accq) { shapes[$0] ?? .any }
        #expect(matcher.match(#"AT+CMQTTACCQ=1,"a","b""#) == nil)
        #expect(fields(matcher.match(#"AT+CMQTTACCQ=1,"a",1"#)) == ["client_index=1", "clientID=a (quoted)", "server_type=1"])
        // Nor with a value that may be quoted or bare (SIM7000's "URL","host","1883" against a one-value form).
        let url = try SyntaxParser.parseCommand(#"AT+SMCONF="URL",<url>"#)
        #expect(LineMatcher(url) { _ in .any }.match(#"AT+SMCONF="URL","broker.emqx.io","1883""#) == nil)
        #expect(fields(LineMatcher(url) { _ in .any }.match(#"AT+SMCONF="URL","broker.emqx.io:1883""#)) == ["url=broker.emqx.io:1883 (quoted)"])
    }

    @Test func aDeclaredLengthDecidesWhereAQuotedValueEnds() throws {
        let syntax = try SyntaxParser.parseLine("+SMPUBLISH: <id>,<topic>,<len>,<message>")
        let shapes: [String: FieldShape] = ["id": .integer, "topic": .quoted, "len": .integer, "message": .quoted]
        let matcher = LineMatcher(syntax, lengthFields: ["message": "len"]) { shapes[$0] ?? .any }
        #expect(fields(matcher.match("+SMPUBLISH: 1,\"t\",8,\"a\"b\",\r\nc\"")) == ["id=1", "topic=t (quoted)", "len=8", "message=a\"b\",\r\nc (quoted)"])
        #expect(matcher.match("+SMPUBLISH: 1,\"t\",7,\"a\"b\",\r\nc\"") == nil)
        // With the length in an absent optional group, the value ends at its closing quote.
        let optional = try SyntaxParser.parseLine("+QMTRECV: <id>,<msgid>,<topic>[,<len>],<payload>")
        let optionalMatcher = LineMatcher(optional, lengthFields: ["payload": "len"]) { ["topic", "payload"].contains($0) ? .quoted : .integer }
        #expect(fields(optionalMatcher.match(#"+QMTRECV: 0,1,"t",3,"a,b""#)) == ["id=0", "msgid=1", "topic=t (quoted)", "len=3", "payload=a,b (quoted)"])
        #expect(fields(optionalMatcher.match(#"+QMTRECV: 0,1,"t","a,b""#)) == ["id=0", "msgid=1", "topic=t (quoted)", "payload=a,b (quoted)"])
    }

    @Test func tagsInAnyCaseAndBlanksBeforeTheLineEnd() throws {
        let syntax = try SyntaxParser.parseCommand(#"AT+SMCONF="CLIENTID",<clientid>"#)
        let matcher = LineMatcher(syntax) { _ in .quoted }
        for line in [#"AT+SMCONF="clientid","x""#, #"at+smconf="ClientId","x""#, #"AT+SMCONF="CLIENTID","x" "#, "AT+SMCONF=\"CLIENTID\",\"x\"\t "] {
            #expect(fields(matcher.match(line)) == ["clientid=x (quoted)"], "\(line)")
        }
        // A bare value holds no quote.
        let bare = LineMatcher(try SyntaxParser.parseLine("<sn>")) { _ in .bare }
        #expect(fields(bare.match("490154203237518  ")) == ["sn=490154203237518"])
        #expect(bare.match(#"49015"42"#) == nil)
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
