// ComposeTests.swift: a spec that builds on another is composed with it, and what can go wrong says where.

import ATRuntime
import ATSpec
import ATTestSupport
import Foundation
import Testing

@Suite("Spec composition: builds_on")
struct ComposeTests {
    static let base = TestPaths.read(TestPaths.fixture("compose/Base.yaml"))
    static let vendor = TestPaths.read(TestPaths.fixture("compose/Vendor.yaml"))

    /// Writes `files` (name → text) into a fresh folder and lints `lint` there.
    static func lint(_ files: [String: String], _ lint: String = "Vendor.yaml", searchPaths: [String] = []) throws -> (spec: Spec?, diagnostics: [String]) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("compose-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for (name, text) in files { try text.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8) }
        let result = Linter.lint(path: folder + "/" + lint, searchPaths: searchPaths)
        return (result.spec, result.diagnostics.map { $0.description.replacingOccurrences(of: folder + "/", with: "") })
    }

    @Test func theOwnItemsComeFirstThenTheBasesEachNamingItsModule() throws {
        let (spec, diagnostics) = try Self.lint(["Base.yaml": Self.base, "Vendor.yaml": Self.vendor])
        #expect(diagnostics == [])
        let composed = try #require(spec)
        #expect(composed.commands.map(\.id) == ["VSTART", "CSQ", "CPIN"])
        #expect(composed.commands.map(\.origin) == [nil, "Base", "Base"])
        #expect(composed.urcs.map(\.id) == ["VLOST", "CREG"])
        #expect(composed.finalResults.map(\.name.value) == ["vendor_error", "ok", "error", "cme_error"])
        #expect(composed.errorTables.map(\.id) == ["cme"])
        #expect(composed.documents.map(\.id) == ["an", "std"])
        #expect(composed.base?.module.name.value == "Base")
        // The descriptor routes both: the vendor's example (base commands, a verbose CME error) decodes.
        let descriptor = DescriptorBuilder.build(composed)
        #expect(descriptor.forms.map(\.command) == ["VSTART", "CSQ", "CPIN"])
        var decoder = ATDecoder(module: descriptor)
        let events = decoder.feed(Array("AT+CPIN?\r\r\n+CME ERROR: SIM not inserted\r\n+CREG: 1\r\n".utf8)) + decoder.finish()
        #expect(events.contains { if case .final(let name, false, _, let fields) = $0 { name == "cme_error" && fields.first?.text == "SIM not inserted" } else { false } })
        #expect(events.contains { if case .urc(let match, _) = $0 { match.name == "CREG" } else { false } })
    }

    @Test func aVendorItemThatRepeatsABaseItemWithoutOverridesIsAnError() throws {
        let shadowing = Self.vendor.replacingOccurrences(of: "commands:\n", with: """
            commands:
              CSQ:
                title: Signal quality, the vendor's way
                source: {doc: an, section: "6"}
                forms:
                  - kind: execute
                    syntax: "AT+CSQ"

            """)
        let (_, diagnostics) = try Self.lint(["Base.yaml": Self.base, "Vendor.yaml": shadowing])
        #expect(diagnostics == [
            "Vendor.yaml:10:3: error: command 'CSQ' is also defined by the base spec Base (as 'CSQ'); write 'overrides: true' to replace the base's definition, or remove this one to use it [shadows-base]",
            // The vendor's CSQ replaces the base's either way, and has no response line.
            "Vendor.yaml:35:7: error: example 'vendor-session': line '+CSQ: 31,99' matches no final result, response or URC in the spec [example-unmatched]",
        ])
        // With overrides, the vendor's definition is the module's: the base's response line is gone.
        let overriding = shadowing.replacingOccurrences(of: "    title: Signal quality, the vendor's way\n", with: "    title: Signal quality, the vendor's way\n    overrides: true\n")
        let (spec, clean) = try Self.lint(["Base.yaml": Self.base, "Vendor.yaml": overriding])
        #expect(clean.filter { $0.contains("error:") } == ["Vendor.yaml:36:7: error: example 'vendor-session': line '+CSQ: 31,99' matches no final result, response or URC in the spec [example-unmatched]"])
        #expect(spec?.commands.filter { $0.id == "CSQ" }.map(\.origin) == [nil])
    }

    @Test func aURCWithTheLineOfABaseURCAndAFinalResultWithItsSyntaxAreShadows() throws {
        let text = Self.vendor
            .replacingOccurrences(of: "urcs:\n", with: "urcs:\n  REG:\n    title: Registered\n    syntax: \"+CREG: <state>\"\n    source: {doc: an, section: \"4\"}\n    parameters:\n      state: {type: integer}\n")
            .replacingOccurrences(of: "final_results:\n", with: "final_results:\n  - {name: okay, syntax: \"OK\", kind: success, source: {doc: an, section: \"2\"}}\n")
        let (_, diagnostics) = try Self.lint(["Base.yaml": Self.base, "Vendor.yaml": text])
        #expect(diagnostics == [
            "Vendor.yaml:8:12: error: final result 'okay' is also a final result of the base spec Base ('OK'); write 'overrides: true' to replace it, or remove this one to use it [shadows-base]",
            "Vendor.yaml:18:3: error: URC 'REG' has the id or a line of the base spec Base's URC 'CREG', so the two cannot be told apart; write 'overrides: true' to replace the base's, or remove this one to use it [shadows-base]",
        ])
    }

    @Test func overridesThatReplaceNothingAreErrors() throws {
        let text = Self.vendor.replacingOccurrences(of: "    title: Start the service\n", with: "    title: Start the service\n    overrides: true\n")
        let (_, diagnostics) = try Self.lint(["Base.yaml": Self.base, "Vendor.yaml": text])
        #expect(diagnostics == ["Vendor.yaml:10:3: error: command 'VSTART' says 'overrides: true' but the base spec Base has no such command [overrides-nothing]"])
    }

    @Test func anExtendingTableAddsCodesAndTheBaseResultThatUsesItBecomesTheVendors() throws {
        let text = Self.vendor.replacingOccurrences(of: "commands:\n", with: """
            errors:
              cme:
                title: Vendor equipment errors
                extends: true
                source: {doc: an, section: "7"}
                codes:
                  100: {name: unknown, text: Unknown}
                  10: {name: again, text: Again}
            commands:

            """)
        let (spec, diagnostics) = try Self.lint(["Base.yaml": Self.base, "Vendor.yaml": text])
        #expect(diagnostics == ["Vendor.yaml:16:7: error: code 10 of error table 'cme' is already a code of the base spec Base's table; an extending table only adds codes [duplicate-error-code]"])
        let composed = try #require(spec)
        #expect(composed.errorTables.map { $0.codes.map(\.code) } == [[11, 100, 10]])
        #expect(composed.errorTables.first?.verbose == true)
        #expect(composed.finalResults.map { "\($0.name.value):\($0.origin ?? "own")" } == ["vendor_error:own", "cme_error:own", "ok:Base", "error:Base"])
    }

    @Test func aBaseThatIsMissingBrokenOrCircularIsAnErrorAtBuildsOn() throws {
        let (_, missing) = try Self.lint(["Vendor.yaml": Self.vendor])
        #expect(missing.count == 1)
        #expect(missing.first?.hasPrefix("Vendor.yaml:3:12: error: builds_on: no spec of module Base found (looked for Base.yaml and Base.atspec.yaml in ") == true)
        let broken = Self.base.replacingOccurrences(of: "      rssi: {type: integer, range: \"0-31,99\"}", with: "      rssi: {type: integer, range: \"zero\"}")
        let (_, brokenBase) = try Self.lint(["Base.yaml": broken, "Vendor.yaml": Self.vendor])
        #expect(brokenBase.map { $0.replacingOccurrences(of: #"/[^ ]*/Base.yaml"#, with: "Base.yaml", options: .regularExpression) } == [
            "Vendor.yaml:3:12: error: builds_on: the base spec Base.yaml does not load (1 error); lint it first [base-has-errors]"
        ])
        let circular = Self.base.replacingOccurrences(of: "spec: 2\n", with: "spec: 2\nbuilds_on: Vendor\n")
        let (_, cycle) = try Self.lint(["Base.yaml": circular, "Vendor.yaml": Self.vendor])
        #expect(cycle.count == 1)
        #expect(cycle.first?.contains("[base-has-errors]") == true)
        let (_, direct) = try Self.lint(["Base.yaml": circular], "Base.yaml")
        #expect(direct.first?.contains("[unknown-base]") == true)
    }

    @Test func aBaseIsFoundInTheSearchPathsAfterTheSpecsOwnFolder() throws {
        let elsewhere = FileManager.default.temporaryDirectory.appendingPathComponent("compose-base-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: elsewhere) }
        try Self.base.write(toFile: elsewhere + "/Base.atspec.yaml", atomically: true, encoding: .utf8)
        let (spec, diagnostics) = try Self.lint(["Vendor.yaml": Self.vendor], searchPaths: [elsewhere])
        #expect(diagnostics == [])
        #expect(spec?.base?.module.name.value == "Base")
    }

    @Test func buildsOnNeedsVersion2AndAModuleName() throws {
        let version1 = Self.vendor.replacingOccurrences(of: "spec: 2\n", with: "spec: 1\n")
        let (_, old) = try Self.lint(["Base.yaml": Self.base, "Vendor.yaml": version1])
        #expect(old.contains { $0.contains("'builds_on' of the spec is spec-language version 2") })
        let notAName = Self.vendor.replacingOccurrences(of: "builds_on: Base\n", with: "builds_on: \"Base spec\"\n")
        let (_, named) = try Self.lint(["Base.yaml": Self.base, "Vendor.yaml": notAName])
        #expect(named.contains { $0.contains("builds_on names the module of another spec") })
    }

    @Test func theBasesOwnWarningsAreNotRepeatedForTheVendor() throws {
        // An unused parameter in the base is the base's warning, reported when the base is linted.
        let warned = Self.base.replacingOccurrences(of: "      ber: {type: integer, range: \"0-7,99\"}", with: "      ber: {type: integer, range: \"0-7,99\"}\n      spare: {type: integer}")
        let (_, baseAlone) = try Self.lint(["Base.yaml": warned], "Base.yaml")
        #expect(baseAlone.contains { $0.contains("spare") })
        let (_, vendor) = try Self.lint(["Base.yaml": warned, "Vendor.yaml": Self.vendor])
        #expect(vendor == [])
    }
}
