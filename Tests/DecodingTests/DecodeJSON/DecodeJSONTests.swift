// DecodeJSONTests.swift: `at-bindgen decode`'s JSON Lines hold to Specs/decode-events.schema.json on every example, capture and hostile stream.

import ATRuntime
import ATSpec
import ATTestSupport
import Foundation
import Testing

@Suite("decode JSON Lines")
struct DecodeJSONTests {
    static let schema: JSONSchemaCheck = {
        let text = (try? String(contentsOfFile: PackageRoot.path + "/Specs/decode-events.schema.json", encoding: .utf8)) ?? ""
        return JSONSchemaCheck(root: (try? JSONValue.parse(text)) ?? .null)
    }()

    /// Decodes `bytes` with `spec` as the CLI does and returns the printed lines.
    static func render(_ spec: Spec, _ bytes: [UInt8], chunk: Int = 4096) -> [String] {
        var decoder = ATDecoder(module: DescriptorBuilder.build(spec))
        let printer = DecodeEventJSON(spec: spec)
        var lines: [String] = []
        var start = 0
        while start < bytes.count {
            lines += decoder.feed(bytes[start..<min(bytes.count, start + chunk)]).flatMap(printer.render)
            start += chunk
        }
        return lines + decoder.finish().flatMap(printer.render)
    }

    /// Every printed line parses, fits the schema, and types integer parameters as numbers.
    static func check(_ lines: [String], _ spec: Spec, _ what: String) {
        for line in lines {
            let value: JSONValue
            do {
                value = try JSONValue.parse(line)
            } catch {
                Issue.record("\(what): not JSON (\(error)): \(line)")
                continue
            }
            let problems = schema.problems(value)
            #expect(problems.isEmpty, "\(what): \(line): \(problems)")
            guard case .object(let fields)? = value["fields"], let kind = value["kind"]?.string, let name = value["name"]?.string else { continue }
            let parameters: [Parameter]
            switch kind {
            case "final": parameters = spec.finalResults.first { $0.name.value == name }?.parameters ?? []
            case "urc", "error": parameters = spec.urcs.first { $0.id == name }?.parameters ?? []
            default: parameters = spec.command(name)?.parameters ?? []
            }
            for (field, fieldValue) in fields {
                guard let parameter = parameters.first(where: { $0.name == field }) else { continue }
                if parameter.secret {
                    #expect(fieldValue == .string("<redacted>"), "\(what): \(line)")
                } else if parameter.isInteger {
                    #expect(JSONSchemaCheck.isType(fieldValue, "integer"), "\(what): \(field) is not a number in \(line)")
                }
            }
        }
    }

    @Test func theSchemaItselfIsReadAndUsesOnlyCheckedKeywords() {
        guard case .object(let root) = Self.schema.root else {
            Issue.record("Specs/decode-events.schema.json does not parse")
            return
        }
        #expect(root["oneOf"] != nil && root["$defs"] != nil)
        // An object of no kind, a string integer, and an unknown key are refused.
        #expect(!Self.schema.problems(.object(["kind": .string("nonsense")])).isEmpty)
        let stringInteger = try? JSONValue.parse(#"{"kind":"data","echo":false,"length":"3","data":{"hex":"616263","text":"abc"}}"#)
        #expect(!Self.schema.problems(stringInteger ?? .null).isEmpty)
        let extra = try? JSONValue.parse(#"{"kind":"prompt","extra":1}"#)
        #expect(!Self.schema.problems(extra ?? .null).isEmpty)
    }

    @Test(arguments: SpecFolder.names)
    func everyExampleOfEverySeedSpecFitsTheSchema(_ name: String) throws {
        let spec = try Seeds.spec(name)
        for example in spec.examples {
            Self.check(Self.render(spec, Seeds.bytes(example, DescriptorBuilder.build(spec))), spec, "\(name) \(example.id)")
            Self.check(Self.render(spec, Seeds.bytes(example, DescriptorBuilder.build(spec)), chunk: 3), spec, "\(name) \(example.id) in chunks of 3")
        }
    }

    @Test func everyRealCaptureFitsTheSchemaAndPrintsNoPassword() throws {
        for capture in RealCaptureTests.captures {
            guard let name = capture.spec else { continue }
            let spec = try Seeds.spec(name)
            let lines = Self.render(spec, Array(capture.lines.joined(separator: "\n").utf8))
            Self.check(lines, spec, capture.id)
            // The L610 capture's AT+MQTTUSER carries its author's password: it must not come out.
            for line in capture.lines where line.hasPrefix("AT+MQTTUSER=") {
                let fields = line.split(separator: ",")
                let password = fields.count > 2 ? fields[2].trimmingCharacters(in: CharacterSet(charactersIn: "\"")) : ""
                // (The host program printed it too, in a line of its own that no spec can know: left out here.)
                let printed = lines.filter { !($0.hasPrefix(#"{"kind":"unrecognized","text":"[AUTH]"#)) }
                #expect(password.count > 8 && !printed.joined().contains(password), "\(capture.id)")
            }
        }
    }

    @Test func hostileStreamsGiveTypedErrorsThatFitTheSchema() throws {
        let spec = try Seeds.spec("SIM7672X")
        let streams: [(String, [UInt8], [String])] = [
            ("a number past 64 bits", Array("+CMQTTCONNLOST: 0,99999999999999999999999\r\n".utf8), ["urc", "error"]),
            ("broken parts", Array("+CMQTTRXSTART: 0,9,10\r\n+CMQTTRXTOPIC: 0,9\r\nsimcommsg\r\nOK\r\n".utf8), ["error", "final"]),
            ("cut off", Array("+CMQTTRXSTART: 0,9,10\r\n+CMQTTRXTOPIC: 0,9\r\nsim".utf8), ["error"]),
            ("a line too long", Array(repeating: UInt8(ascii: "x"), count: 5000) + [0x0D, 0x0A], ["error"]),
            ("an absurd length", Array("+CMQTTRXSTART: 0,1,1\r\n+CMQTTRXTOPIC: 0,99999999999\r\n".utf8), ["error", "error"]),
            ("garbage", [0xFF, 0x00, 0x1B, 0x22, 0x5C, 0x0D, 0x0A], ["unrecognized"]),
        ]
        for (what, bytes, expected) in streams {
            let lines = Self.render(spec, bytes)
            Self.check(lines, spec, what)
            let kinds = lines.compactMap { try? JSONValue.parse($0) }.compactMap { $0["kind"]?.string }
            #expect(kinds == expected, "\(what): \(lines)")
        }
        let overflow = Self.render(spec, Array("+CMQTTCONNLOST: 0,99999999999999999999999\r\n".utf8))
        #expect(overflow.first?.contains("\"fields\":{\"client_index\":0}") == true, "\(overflow)")
        #expect(overflow.last?.contains("\"code\":\"integer_out_of_range\"") == true, "\(overflow)")
    }

    @Test func theFixtureWithSecretsAndPrefixlessAnswersFitsTheSchema() {
        let lines = Self.render(Fixture.spec, Array("AT+SECRET=\"me\",\"hunter2\"\r\nOK\r\nAT+SECRET=\"me\",\"hunter2\",1\r\nAT+CGSN\r\n12345\r\nOK\r\n".utf8))
        Self.check(lines, Fixture.spec, "fixture")
        #expect(!lines.joined().contains("hunter2"))
        #expect(lines.count == 6)
    }
}
