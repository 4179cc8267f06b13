// DocumentCitationLintTests.swift: documents found on the web or in a public repository are cited by their url or path, a section optional.

import ATSpec
import Foundation
import ATTestSupport
import Testing

@Suite("Lint: documents by url or repository")
struct DocumentCitationLintTests {
    static func lint(_ document: String, citation: String) -> [String] {
        let text = FixtureSpecs.prompt(shown: "abcd")
            .replacingOccurrences(of: "  t:\n    title: A test document", with: "  t:\n    title: A test document\n" + document)
            .replacingOccurrences(of: "source: {doc: t, section: \"2\"}\n    forms:", with: "source: \(citation)\n    forms:")
        return Linter.lint(text: text, file: "Prompting.yaml").diagnostics.map(\.description)
    }

    @Test func aDocumentWithAURLOrARepositoryMayBeCitedWithoutSection() {
        #expect(Self.lint("    url: https://example.com/mqtt-note", citation: "{doc: t}") == [])
        #expect(Self.lint("    repository: owner/name\n    path: docs/MQTT.md", citation: "{doc: t}") == [])
        #expect(Self.lint("    url: https://example.com/mqtt-note", citation: "{doc: t, section: \"2.1\"}") == [])
    }

    @Test func aDocumentWithoutOneNeedsTheSection() {
        #expect(Self.lint("    file: 004.txt", citation: "{doc: t}") == [
            "Prompting.yaml:24:13: error: a citation of document 't' needs a 'section' (only a document with a url or repository may be cited without one) [missing-key]"
        ])
    }
}
