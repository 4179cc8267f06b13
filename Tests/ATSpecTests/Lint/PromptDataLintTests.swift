// PromptDataLintTests.swift: lint's example replay reads prompt data as the decoder does: as many bytes as the command declared.

import ATSpec
import ATTestSupport
import Testing

@Suite("Lint: prompt data")
struct PromptDataLintTests {
    static func lint(_ shown: String) -> [String] {
        Linter.lint(text: FixtureSpecs.prompt(shown: shown), file: "Prompting.yaml").diagnostics.map(\.description)
    }

    @Test func dataAsLongAsDeclaredOrNoneShownIsClean() {
        #expect(Self.lint("abcd") == [])
        #expect(Self.lint(" abcd") == [])
        #expect(Self.lint("") == [])
    }

    @Test func dataOfAnotherLengthIsReported() {
        #expect(Self.lint("abcde") == [
            "Prompting.yaml:42:7: warning: example 'publish': the prompt line shows 5 bytes of data but the command declares 4; the decoder takes 4 bytes after the prompt [example-data-length]"
        ])
    }
}
