// GeneratorUnitTests.swift: what the generator emits for small specs, without the file system.

import ATGenerator
import ATSpec
import Testing

@Suite("Generator")
struct GeneratorUnitTests {
    static let spec = """
        spec: 1
        module: {name: Demo, vendor: Acme, models: [D1]}
        documents:
          manual: {title: Demo AT Manual}
        final_results:
          - {name: ok, syntax: "OK", kind: success, source: {doc: manual, section: "1"}}
          - name: cme_error
            syntax: "+CME ERROR: <err>"
            kind: error
            source: {doc: manual, section: "1"}
            parameters: {err: {type: error, table: cme}}
        errors:
          cme:
            title: CME errors
            source: {doc: manual, section: "9"}
            codes:
              3: {name: operation_not_allowed, text: operation not allowed}
        commands:
          LOGIN:
            title: Log in
            swift_name: logIn
            source: {doc: manual, section: "2.1"}
            forms:
              - kind: write
                syntax: "AT+LOGIN=<client_id>,<keepalive_time>[,<user>[,<pass>]]"
                deferred: {syntax: "+LOGIN: <client_id>,<result>", order: either, success: {result: 0}}
            parameters:
              client_id: {type: integer, range: "1-2"}
              keepalive_time: {type: integer, range: "0,60-180", unit: s, swift_name: keepAliveTime}
              user: {type: string, length: "1-16"}
              pass: {type: string, length: "1-16", secret: true, swift_name: password}
              result: {type: enum, values: {0: {name: success, description: Success}, 1: {name: failure, description: Failure}}}
          SEND:
            title: Send data
            source: {doc: manual, section: "2.2"}
            forms:
              - kind: write
                syntax: "AT+SEND=<length>"
                prompt: {data: data, length: length}
            parameters:
              length: {type: integer, range: "1-64"}
              data: {type: data}
        urcs:
          GONE:
            title: Link gone
            swift_name: linkGone
            source: {doc: manual, section: "3"}
            syntax: "+GONE: <client_id>"
            parameters: {client_id: {type: integer}}
        """

    static func generate() throws -> String {
        let loaded = Linter.lint(text: spec, file: "Specs/Demo.yaml")
        #expect(loaded.diagnostics.map(\.description) == [])
        return Generator.generate(try #require(loaded.spec)).contents
    }

    @Test func requestHasTypedNestedOptionalsAndChecks() throws {
        let code = try Self.generate()
        #expect(code.contains("public enum LogIn {"))
        #expect(code.contains("public init(clientID: Int, keepAliveTime: Int, user: String? = nil, password: String? = nil) throws(ATParameterError) {"))
        #expect(code.contains(#"try validator.integer(keepAliveTime, "keepalive_time", in: [0...0, 60...180], "0,60-180")"#))
        #expect(code.contains(#"if password != nil { try validator.requires(user != nil, "pass", "user") }"#))
        let encode = [
            "if let user {",
            "    w.comma()",
            "    w.quoted(user)",
            "    if let password {",
            "        w.comma()",
            "        if redacting { w.literal(\"<redacted>\") } else { w.quoted(password) }",
            "    }",
            "}",
        ].map { "                " + $0 }.joined(separator: "\n")
        #expect(code.contains(encode))
    }

    @Test func promptLengthComesFromTheData() throws {
        let code = try Self.generate()
        #expect(code.contains("public init(data: [UInt8]) throws(ATParameterError) {"))
        #expect(code.contains(#"try validator.data(data, "data", length: [1...64], "1-64")"#))
        #expect(code.contains("w.integer(data.count)"))
        #expect(code.contains("public var promptData: [UInt8]? {"))
    }

    @Test func deferredResultKnowsSuccess() throws {
        let code = try Self.generate()
        #expect(code.contains("public struct WriteResult: Sendable, Hashable {"))
        #expect(code.contains("result.rawValue == 0"))
        #expect(code.contains("deferredPlacement: .either"))
    }

    @Test func errorTablesFinalsAndURCsAreOpenEnums() throws {
        let code = try Self.generate()
        #expect(code.contains("public enum CMEError: Error, Sendable, Hashable, CustomStringConvertible {"))
        #expect(code.contains("case 3: self = .operationNotAllowed"))
        #expect(code.contains("case cmeError(err: Demo.CMEError)"))
        #expect(code.contains("case linkGone(LinkGone)"))
        #expect(code.contains("case unrecognized(Int)"))
    }
}
