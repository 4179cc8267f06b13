// ComposedDecodingTests.swift: a vendor module types the base's lines as its own: examples, captures, verbose errors.

import ATRuntime
import ATSpec
import ATModules
import ATTestSupport
import Foundation
import SIM7672X
import Testing
import ThreeGPP

@Suite("Composed modules: the base's lines typed by every vendor module")
struct ComposedDecodingTests {
    static let vendors = SpecFolder.names.filter { $0 != "ThreeGPP" }

    @Test(arguments: vendors)
    func everyExampleOfTheBaseDecodesWithTheVendorModule(_ name: String) throws {
        let base = try Seeds.spec("ThreeGPP")
        let module = try #require(Seeds.modules[name])
        #expect(!base.examples.isEmpty)
        for example in base.examples {
            let events = Seeds.decode(module, Seeds.bytes(example, module))
            #expect(events.unrecognized == [], "\(name): base example \(example.id)")
            #expect(!events.contains { if case .error = $0 { true } else { false } }, "\(name): base example \(example.id)")
        }
    }

    @Test(arguments: vendors)
    func theVendorDescriptorHoldsTheBasesFormsURCsAndFinals(_ name: String) throws {
        let module = try #require(Seeds.modules[name])
        let base = ThreeGPP.descriptor
        for form in base.forms { #expect(module.forms.contains(form), "\(name) lacks \(form.command) \(form.name)") }
        for urc in base.urcs { #expect(module.urcs.contains(urc), "\(name) lacks URC \(urc.name)") }
        for final in base.finals { #expect(module.finals.contains(final), "\(name) lacks final \(final.name)") }
    }

    /// What `at-bindgen decode --spec Specs/SIM7672X.yaml` prints, made the way the command makes it.
    static func decodeJSON(_ spec: String, _ text: String) throws -> [String] {
        let loaded = SpecLoader.loadComposed(path: PackageRoot.path + "/Specs/" + spec)
        #expect(loaded.diagnostics.filter { $0.severity == .error } == [])
        let model = try #require(loaded.spec)
        var decoder = ATDecoder(module: DescriptorBuilder.build(model))
        let printer = DecodeEventJSON(spec: model)
        return (decoder.feed(Array(text.utf8)) + decoder.finish()).flatMap { printer.render($0) }
    }

    @Test func decodeWithAVendorSpecTypesTheBasesCommandsURCsAndVerboseErrors() throws {
        let lines = try Self.decodeJSON("SIM7672X.yaml", "AT+CGSN\r\r\n864424040016234\r\n\r\nOK\r\n\r\n+CREG: 1\r\nAT+CPIN?\r\r\n+CME ERROR: SIM not inserted\r\n\r\n+CMQTTCONNLOST: 0,1\r\n")
        #expect(!lines.contains { $0.contains("\"unrecognized\"") }, "\(lines)")
        #expect(lines.contains { $0.contains("\"kind\":\"command\"") && $0.contains("\"CGSN\"") }, "\(lines)")
        #expect(lines.contains { $0.contains("\"kind\":\"response\"") && $0.contains("864424040016234") }, "\(lines)")
        #expect(lines.contains { $0.contains("\"kind\":\"urc\"") && $0.contains("\"CREG\"") }, "\(lines)")
        #expect(lines.contains { $0.contains("\"kind\":\"urc\"") && $0.contains("\"CMQTTCONNLOST\"") }, "\(lines)")
        #expect(lines.contains { $0.contains("\"kind\":\"final\"") && $0.contains("cme_error") && $0.contains("SIM not inserted") }, "\(lines)")
    }

    @Test func verboseErrorsOfRealModulesAreTypedByTheStandardsTable() throws {
        // Texts of +CME ERROR seen in Tests/RealCaptures, typed as the SIM7672X module types them.
        func typed(_ line: String) throws -> ThreeGPP.CMEError? {
            let events = Seeds.decode(SIM7672X.descriptor, line + "\r\n")
            guard case .final(let name, false, _, let fields)? = events.first else { return nil }
            guard case .base(.cmeError(let error))? = try SIM7672X.FinalResult.decode(name: name, fields: fields) else { return nil }
            return error
        }
        #expect(try typed("+CME ERROR: SIM not inserted") == .simNotInserted)
        #expect(try typed("+CME ERROR: SIM busy") == .simBusy)
        #expect(try typed("+CME ERROR: SIM failure") == .simFailure)
        #expect(try typed("+CME ERROR: 10") == .simNotInserted)
        #expect(try typed("+CME ERROR: sim NOT inserted ") == .simNotInserted)
        // Firmware wording that the standard does not use is kept as it came.
        #expect(try typed("+CME ERROR: unknown error") == .unrecognizedText("unknown error"))
        #expect(try typed("+CME ERROR: requested service option not subscribed (#33)") == .unrecognizedText("requested service option not subscribed (#33)"))
        #expect(ThreeGPP.CMEError(text: "unknown error").rawValue == nil)
        #expect(ThreeGPP.CMEError.simNotInserted.description == "10: SIM not inserted")
        let captured = try RealCapture.all().flatMap(\.lines).filter { $0.hasPrefix("+CME ERROR: ") }
        #expect(captured.count >= 6)
        for line in captured { #expect(try typed(line) != nil, "\(line)") }
    }
}
