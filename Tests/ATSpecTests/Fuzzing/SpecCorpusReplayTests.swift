// SpecCorpusReplayTests.swift: every input the spec fuzzer saved, every lint fixture and every seed spec still holds the spec pipeline's fuzz property.

import ATSpec
import ATTestSupport
import Testing

@Suite("Spec fuzz corpus")
struct SpecCorpusReplayTests {
    static func inputs(_ folder: String, extensions: [String]) -> [(name: String, bytes: [UInt8])] {
        guard case .success(let files) = FileIO.listFiles(at: TestPaths.root + "/" + folder, extensions: extensions) else { return [] }
        return files.compactMap { path in
            guard case .success(let bytes) = FileIO.readFile(path) else { return nil }
            return (path, bytes)
        }
    }

    @Test func everySavedInputFixtureAndSeedSpecHoldsTheProperty() {
        let saved = Self.inputs("Tests/FuzzCorpus/spec", extensions: [""])
        let fixtures = Self.inputs("Tests/ATSpecTests/Fixtures/lint", extensions: [".yaml"])
        let specs = Self.inputs("Specs", extensions: [".yaml"])
        #expect(!saved.isEmpty)
        #expect(fixtures.count > 20)
        #expect(specs.count == SpecFolder.names.count)
        for (path, bytes) in saved + fixtures + specs {
            #expect(SpecFuzz.check(bytes) == nil, "\(path)")
        }
    }

    @Test func linesAreCountedAsYAMLCountsThem() {
        #expect(SpecFuzz.lineCount(Array("a\nb\rc\r\nd".utf8)) == 4)
        #expect(SpecFuzz.lineCount(Array("a\u{85}b\u{2028}c\u{2029}d".utf8)) == 4)
        #expect(SpecFuzz.lineCount([]) == 1)
    }

}
