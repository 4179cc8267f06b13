// SyntaxTests.swift: parsing syntax strings and matching lines against them.

@testable import ATRuntime
@testable import ATSpec
import Testing

@Suite("Syntax strings")
struct SyntaxTests {
    @Test func parsesNestedOptionalGroups() throws {
        let syntax = try SyntaxParser.parseCommand("AT+CMQTTCONNECT=<client_index>,<server_addr>,<keepalive_time>,<clean_session>[,<user_name>[,<pass_word>]]")
        #expect(syntax.command == "+CMQTTCONNECT")
        #expect(syntax.commandKind == .write)
        #expect(syntax.prefix == "AT+CMQTTCONNECT=")
        #expect(syntax.parameterNames == ["client_index", "server_addr", "keepalive_time", "clean_session", "user_name", "pass_word"])
        #expect(syntax.tokens.last == .optional([.comma, .parameter("user_name"), .optional([.comma, .parameter("pass_word")])]))
    }

    @Test func recognisesEveryCommandKind() throws {
        #expect(try SyntaxParser.parseCommand("AT+CMQTTACCQ=?").commandKind == .test)
        #expect(try SyntaxParser.parseCommand("AT+SMSTATE?").commandKind == .read)
        #expect(try SyntaxParser.parseCommand("AT+SMCONN").commandKind == .execute)
        #expect(try SyntaxParser.parseCommand("AT&W").command == "&W")
        #expect(try SyntaxParser.parseCommand("AT+SMCONF=\"KEEPALIVE\",<keepalive>").leadingQuotedLiteral == "KEEPALIVE")
    }

    @Test func parsesLinesWithPrefixesListsAndNoPrefix() throws {
        let test = try SyntaxParser.parseLine("+CMQTTACCQ: (0-1),(1-128)[,(0-1)]")
        #expect(test.prefix == "+CMQTTACCQ:")
        #expect(test.tokens == [.valueList("0-1"), .comma, .valueList("1-128"), .optional([.comma, .valueList("0-1")])])
        #expect(try SyntaxParser.parseLine("+MQTTUSER: (<client_ids>),<ulength>").tokens.first == .parameterList("client_ids"))
        #expect(try SyntaxParser.parseLine("<topic>,<payload>").prefix == "")
        #expect(try SyntaxParser.parseLine("+CMQTTNONET").prefix == "+CMQTTNONET")
        #expect(try SyntaxParser.parseLine("+CME ERROR: <err>").prefix == "+CME ERROR:")
        #expect(try SyntaxParser.parseLine("+CPIN: READY").tokens == [.literal("READY")])
    }

    @Test(arguments: [
        ("AT+X=<a", "'<' without a closing '>'", 5),
        ("AT+X=[<a>", "'[' without a matching ']'", 5),
        ("AT+X=<a>]", "']' without a matching '['", 8),
        ("AT+X=<Client id>", "parameter name 'Client id' is not an identifier (letters, digits, '_'); write the manual's spelling in as_printed", 6),
        ("AT+X=\"<topic>\"", "write a quoted parameter as <name> and set quoted: true on it, not \"<topic>\"", 5),
        ("AT+X=", "a write command has parameters after '='", 5),
        ("ATX+Y?Z", "unexpected '+' after the command name; expected '=', '=?', '?' or the end", 3),
        ("+X=<a>", "a command syntax starts with 'AT'", 0),
    ])
    func reportsMalformedSyntax(_ text: String, _ message: String, _ offset: Int) {
        #expect(throws: SyntaxError(message: message, offset: offset)) { try SyntaxParser.parseCommand(text) }
    }

    @Test func escapesLiteralBrackets() throws {
        let syntax = try SyntaxParser.parseLine(#"+CMQTTACCQ: (0-1),(1-128)\[,(0-1)\]"#)
        #expect(syntax.tokens == [.valueList("0-1"), .comma, .valueList("1-128"), .literal("["), .comma, .valueList("0-1"), .literal("]")])
        #expect(SyntaxMatcher.match("+CMQTTACCQ: (0-1),(1-128)[,(0-1)]", syntax) { _ in .any } == [])
        #expect(SyntaxMatcher.match("+CMQTTACCQ: (0-1),(1-128)", syntax) { _ in .any } == nil)
    }

    @Test func matchesQuotedFieldsHoldingCommasNotQuotes() throws {
        let syntax = try SyntaxParser.parseLine("+MQTTMSG: <client_id>,<qos>,<topic>,<payload>")
        let shape: (String) -> FieldShape = { ["topic", "payload"].contains($0) ? .quoted : .integer }
        let fields = try #require(SyntaxMatcher.match("+MQTTMSG: 1,0,\"a,b\",\"say hi, ok\"", syntax, shape: shape))
        #expect(fields.map(\.text) == ["1", "0", "a,b", "say hi, ok"])
        #expect(SyntaxMatcher.match("+MQTTMSG: 1,0,\"a,b\",\"say \"hi\", ok\"", syntax, shape: shape) == nil)
    }

    @Test func matchesOptionalGroupsPresentAndAbsent() throws {
        let syntax = try SyntaxParser.parseCommand("AT+CMQTTPUB=<client_index>,<qos>,<pub_timeout>[,<retained>[,<dup>]]")
        let integer: (String) -> FieldShape = { _ in .integer }
        #expect(SyntaxMatcher.match("AT+CMQTTPUB=0,1,60", syntax, shape: integer)?.count == 3)
        #expect(SyntaxMatcher.match("AT+CMQTTPUB=0,1,60,1", syntax, shape: integer)?.count == 4)
        #expect(SyntaxMatcher.match("at+cmqttpub=0,1,60,1,0", syntax, shape: integer)?.count == 5)
        #expect(SyntaxMatcher.match("AT+CMQTTPUB=0,1", syntax, shape: integer) == nil)
        #expect(SyntaxMatcher.match("AT+CMQTTPUB=0,1,60,", syntax, shape: integer) == nil)
        #expect(SyntaxMatcher.match("AT+CMQTTPUB=0,x,60", syntax, shape: integer) == nil)
    }

    @Test func matchesTagSelectedForms() throws {
        let syntax = try SyntaxParser.parseCommand("AT+CMQTTCFG=\"checkUTF8\",<client_index>,<checkutf8_flag>")
        #expect(SyntaxMatcher.match("AT+CMQTTCFG=\"checkUTF8\",0,0", syntax) { _ in .integer }?.map(\.text) == ["0", "0"])
        #expect(SyntaxMatcher.match("AT+CMQTTCFG=\"optimeout\",0,24", syntax) { _ in .integer } == nil)
    }

    @Test func rangeSetsParseUnionsAndRejectInversions() {
        guard case .success(let set) = RangeSet.parse("0, 60-180") else {
            Issue.record("0, 60-180 did not parse")
            return
        }
        #expect(set.ranges == [0...0, 60...180])
        #expect(set.contains(0) && set.contains(120) && !set.contains(30))
        #expect(RangeSet.parse("-5--1").map(\.ranges) == .success([-5...(-1)]))
        #expect(RangeSet.parse("180-60") == .failure(RangeError(message: "range 180-60 is inverted: 180 is greater than 60")))
        #expect(RangeSet.parse("") == .failure(RangeError(message: "empty range")))
        #expect(RangeSet.parse("1-x") == .failure(RangeError(message: "'1-x' is not a number or a range like 1-10")))
    }

    @Test func derivesSwiftNames() {
        #expect(SwiftNaming.lowerCamel("keepalive_time") == "keepaliveTime")
        #expect(SwiftNaming.lowerCamel("client_id") == "clientID")
        #expect(SwiftNaming.lowerCamel("checkUTF8_flag") == "checkUTF8Flag")
        #expect(SwiftNaming.lowerCamel("CMQTTCONNECT") == "cmqttconnect")
        #expect(SwiftNaming.upperCamel("server_url") == "ServerURL")
        #expect(SwiftNaming.lowerCamel("Client id") == "clientID")
        #expect(SwiftNaming.lowerCamel("0_leading") == "_0Leading")
    }
}
