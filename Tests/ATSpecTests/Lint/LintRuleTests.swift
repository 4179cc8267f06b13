// LintRuleTests.swift: one fixture per lint rule, asserting the exact diagnostics with positions.

import ATSpec
import Testing

@Suite("Lint rules")
struct LintRuleTests {
    /// Lints `Fixtures/lint/<name>.yaml` and returns its diagnostics as printed.
    static func lint(_ name: String) -> [String] {
        let text = TestPaths.read(TestPaths.fixture("lint/\(name).yaml"))
        return Linter.lint(text: text, file: "\(name).yaml").diagnostics.map(\.description)
    }

    @Test func validFixtureIsClean() {
        #expect(Self.lint("valid") == [])
    }

    static let cases: [(String, [String])] = [
        ("yaml-syntax", ["yaml-syntax.yaml:11:11: error: did not find expected ',' or ']' (while parsing a flow sequence at line 10, column 12) [yaml-syntax]"]),
        ("unknown-key", [
            "unknown-key.yaml:10:5: error: command 'PING' is missing required key 'title' [missing-key]",
            "unknown-key.yaml:10:5: error: unknown key 'titel' in command 'PING'; did you mean 'title'? [unknown-key]",
        ]),
        ("missing-key", [
            "missing-key.yaml:10:5: error: command 'PING' is missing required key 'forms' [missing-key]",
            "missing-key.yaml:13:7: warning: parameter 'host' of command 'PING' is defined but never used [unused-parameter]",
            "missing-key.yaml:14:7: warning: parameter 'count' of command 'PING' is defined but never used [unused-parameter]",
            "missing-key.yaml:20:7: error: example 'ping': command line 'AT+PING=\"example.com\",2' matches no command in the spec [example-unmatched]",
            "missing-key.yaml:22:7: error: example 'ping': line '+PING: 2' matches no final result, response or URC in the spec [example-unmatched]",
        ]),
        ("type-mismatch", ["type-mismatch.yaml:17:52: error: 'quoted' of parameter 'host' of command 'PING' must be true or false, found a string [type-mismatch]"]),
        ("undefined-parameter", [
            "undefined-parameter.yaml:14:18: error: parameter <hostname> is used in 'AT+PING=<hostname>,<count>' but not defined in command 'PING' [undefined-parameter]",
            "undefined-parameter.yaml:17:7: warning: parameter 'host' of command 'PING' is defined but never used [unused-parameter]",
        ]),
        ("unused-parameter", ["unused-parameter.yaml:19:7: warning: parameter 'timeout' of command 'PING' is defined but never used [unused-parameter]"]),
        ("default-out-of-range", ["default-out-of-range.yaml:18:54: error: default 11 of 'count' in command 'PING' is outside its range 1-10 [default-out-of-range]"]),
        ("invalid-range", ["invalid-range.yaml:18:37: error: 'range' of parameter 'count' of command 'PING': range 10-1 is inverted: 10 is greater than 1 [invalid-range]"]),
        ("mqtt-mapping", ["mqtt-mapping.yaml:145:56: error: 3 is outside the range 1-2 of 'client' (integer) [mqtt-mapping]"]),
        ("value-out-of-range", ["value-out-of-range.yaml:18:72: error: value 12 of 'count' in command 'PING' is outside its range 1-10 [value-out-of-range]"]),
        ("duplicate-command", ["duplicate-command.yaml:19:3: error: command 'AT+PING' is defined twice: as 'PING' and as 'PING2' [duplicate-command]"]),
        ("duplicate-form", [
            "duplicate-form.yaml:16:9: error: command 'PING' has 3 execute forms; each needs a 'name' [missing-key]",
            "duplicate-form.yaml:18:9: error: command 'PING' has two execute forms named 'again' (first at line 17) [duplicate-form]",
            "duplicate-form.yaml:18:9: error: form 'again' of command 'PING' becomes the Swift name 'again', as form 'again' of command 'PING' does; set swift_name on one of them [identifier-collision]",
        ]),
        ("duplicate-urc", ["duplicate-urc.yaml:36:14: error: URC line '+LINK: <code>' has the prefix and the shape of URC 'LINKDOWN' already: the two cannot be told apart [duplicate-urc]"]),
        ("duplicate-error-code", [
            "duplicate-error-code.yaml:33:7: error: error code 1 appears twice in table 'net' (first at line 32) [duplicate-error-code]",
            "duplicate-error-code.yaml:33:7: error: code 1 of error table 'net' becomes the Swift name 'code1', as code 1 of error table 'net' does; set swift_name on one of them [identifier-collision]",
        ]),
        ("duplicate-final", [
            "duplicate-final.yaml:8:12: error: final result 'ok' is defined twice (first at line 6) [duplicate-final]",
            "duplicate-final.yaml:8:12: error: final result 'ok' becomes the Swift name 'ok', as final result 'ok' does; set swift_name on one of them [identifier-collision]",
        ]),
        ("duplicate-key", ["duplicate-key.yaml:11:5: error: key 'title' appears twice in this mapping (first at line 10) [duplicate-key]"]),
        ("identifier-collision", ["identifier-collision.yaml:20:7: error: parameter 'clientID' of command 'PING' becomes the Swift name 'clientID', as parameter 'client_id' of command 'PING' does; set swift_name on one of them [identifier-collision]"]),
        ("reserved-identifier", ["reserved-identifier.yaml:19:7: warning: parameter 'repeat' of command 'PING' becomes 'repeat', a Swift keyword; the generator names it 'repeat_' (set swift_name to choose another name) [reserved-identifier]"]),
        ("non-ascii", [
            "non-ascii.yaml:24:7: error: example 'ping': 'AT+PING=”example.com”,2' matches no form of command 'PING' (AT+PING=<host>,<count>) [example-unmatched]",
            "non-ascii.yaml:24:15: error: typographic quote ” in AT text; a modem sends ASCII \" [non-ascii]",
        ]),
        ("example-unmatched", ["example-unmatched.yaml:26:7: error: example 'ping': line '+PONG: 2' matches no final result, response or URC in the spec [example-unmatched]"]),
        ("example-value", ["example-value.yaml:24:7: warning: example 'ping': count = 20 in 'AT+PING=\"example.com\",20' is outside its range 1-10 [example-value]"]),
        ("example-data-length", ["example-data-length.yaml:36:7: warning: example 'ping': data line is 6 bytes but the line before it declares 5 [example-data-length]"]),
        ("syntax-error", [
            "syntax-error.yaml:14:27: error: in syntax of a form of command 'PING': parameter name 'host,<count' is not an identifier (letters, digits, '_'); write the manual's spelling in as_printed [syntax-error]",
            "syntax-error.yaml:17:7: warning: parameter 'host' of command 'PING' is defined but never used [unused-parameter]",
            "syntax-error.yaml:24:7: error: example 'ping': command line 'AT+PING=\"example.com\",2' matches no command in the spec [example-unmatched]",
        ]),
        ("form-kind", ["form-kind.yaml:14:18: error: form of command 'PING' says kind 'read' but its syntax 'AT+PING=<host>,<count>' is a write command [form-kind]"]),
        ("example-breaks-rule", [
            "example-breaks-rule.yaml:40:7: error: example 'session' sends AT+SEND=1 before AT+OPEN with <client> 1 succeeded, which rule \"Open the client before sending on it.\" (example-breaks-rule.yaml, manual 2.2) requires: the rule or the example misreads the manual [example-breaks-rule]",
            "example-breaks-rule.yaml:52:7: error: example 'inverted' sends AT+SEND=0 before AT+OPEN with <client> 0 succeeded, which rule \"Open the client before sending on it.\" (example-breaks-rule.yaml, manual 2.2) requires: the rule or the example misreads the manual [example-breaks-rule]",
            "example-breaks-rule.yaml:63:7: error: example 'failed_open' sends AT+SEND=1 before AT+OPEN with <client> 1 succeeded, which rule \"Open the client before sending on it.\" (example-breaks-rule.yaml, manual 2.2) requires: the rule or the example misreads the manual [example-breaks-rule]",
        ]),
        ("unknown-reference", ["unknown-reference.yaml:11:19: error: document 'manaul' is not defined; did you mean 'manual'? [unknown-reference]"]),
    ]

    @Test(arguments: cases.map(\.0))
    func fixture(_ name: String) throws {
        let expected = try #require(Self.cases.first { $0.0 == name }?.1)
        #expect(Self.lint(name) == expected)
    }

    @Test func theSeedRuleThatMadeAnOptionalCommandCompulsoryIsCaughtByTheDocumentsExamples() throws {
        // SIM7672X's AT+CMQTTSSLCFG once read "must precede" AT+CMQTTCONNECT; examples 3.1, 3.2
        // and 3.5 of the application note connect without it.
        let path = TestPaths.root + "/Specs/SIM7672X.yaml"
        let text = TestPaths.read(path)
        let wrong = text.replacingOccurrences(of: "  - kind: precedes_if_used\n    command: CMQTTSSLCFG\n", with: "  - kind: must_precede\n    command: CMQTTSSLCFG\n")
        try #require(wrong != text)
        #expect(Linter.lint(text: text, file: "SIM7672X.yaml").diagnostics.filter { $0.rule == "example-breaks-rule" }.isEmpty)
        let broken = Linter.lint(text: wrong, file: "SIM7672X.yaml").diagnostics.filter { $0.rule == "example-breaks-rule" }.map(\.message)
        for example in ["an_3_1", "an_3_2", "an_3_5"] {
            #expect(broken.contains { $0.contains("example '\(example)' sends AT+CMQTTCONNECT=0,") && $0.contains("AT+CMQTTSSLCFG with <session_id> 0") }, "\(broken)")
        }
    }

    @Test func everyRuleHasAFixture() {
        let ruleIDs = Linter.rules.map(\.id)
        for id in ruleIDs {
            #expect(Self.cases.contains { $0.0 == id }, "rule \(id) has no fixture")
        }
    }
}
