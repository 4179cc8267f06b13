// SpecVersionTests.swift: the `spec:` version: version-2 keys need `spec: 2`, later versions are refused.

import ATSpec
import Testing

@Suite("Spec-language version")
struct SpecVersionTests {
    static func spec(version: Int, parameter: String) -> String {
        """
        spec: \(version)
        module: {name: Demo, vendor: Acme, models: [D1]}
        documents:
          manual: {title: Demo AT Manual}
        final_results:
          - {name: ok, syntax: "OK", kind: success, source: {doc: manual, section: "1"}}
        commands:
          PING:
            title: Ping
            source: {doc: manual, section: "2"}
            forms:
              - {kind: write, syntax: "AT+PING=<host>"}
            parameters:
              host: \(parameter)
        """
    }

    static func codes(_ text: String) -> [String] {
        SpecLoader.load(text: text, file: "Demo.yaml").diagnostics.filter { $0.severity == .error }.map(\.rule)
    }

    @Test func aVersion2KeyInAVersion1SpecSaysWhatToChange() {
        let text = Self.spec(version: 1, parameter: "{type: string, length: \"1-64\", length_unit: characters}")
        let diagnostics = SpecLoader.load(text: text, file: "Demo.yaml").diagnostics.filter { $0.severity == .error }
        #expect(diagnostics.map(\.rule) == ["needs-version"])
        #expect(diagnostics.first?.message.contains("write 'spec: 2'") == true)
        #expect(Self.codes(Self.spec(version: 2, parameter: "{type: string, length: \"1-64\", length_unit: characters}")).isEmpty)
    }

    @Test func aVersion1SpecKeepsLoadingUnderItsVersion() {
        #expect(Self.codes(Self.spec(version: 1, parameter: "{type: string, length: \"1-64\"}")).isEmpty)
    }

    @Test func aLaterVersionIsRefused() {
        #expect(Self.codes(Self.spec(version: 3, parameter: "{type: string}")).contains("unsupported-version"))
    }
}
