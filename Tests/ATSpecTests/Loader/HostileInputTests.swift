// HostileInputTests.swift: truncated, binary, deeply nested, alias-bomb and huge-scalar specs give positioned diagnostics within the loader's limits.

import ATSpec
import Testing
import ATTestSupport

@Suite("Hostile spec input")
struct HostileInputTests {
    static let valid = TestPaths.read(TestPaths.fixture("lint/valid.yaml"))

    /// Loads and lints `bytes`; checks that a file that is no spec says why and that every
    /// diagnostic points into the file (as the fuzz harness does), and returns the diagnostics.
    @discardableResult
    static func lint(_ bytes: [UInt8], sourceLocation: Testing.SourceLocation = #_sourceLocation) -> [Diagnostic] {
        let loaded = SpecLoader.load(bytes: bytes, file: "hostile.yaml")
        let diagnostics = loaded.diagnostics + (loaded.spec.map(Linter.lint) ?? [])
        #expect(loaded.spec != nil || !diagnostics.isEmpty, sourceLocation: sourceLocation)
        let lines = SpecFuzz.lineCount(bytes)
        for diagnostic in diagnostics {
            let location = diagnostic.location
            #expect(location.line >= 1 && location.column >= 1 && location.line <= lines + 1, "\(diagnostic)", sourceLocation: sourceLocation)
        }
        return diagnostics
    }

    static func lint(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> [Diagnostic] {
        lint(Array(text.utf8), sourceLocation: sourceLocation)
    }

    @Test func everyTruncationOfASpecIsDiagnosedInPlace() {
        let bytes = Array(Self.valid.utf8)
        var failures = 0
        for end in 0..<bytes.count {
            let prefix = Array(bytes[..<end])
            let loaded = SpecLoader.load(bytes: prefix, file: "cut.yaml")
            if SpecFuzz.check(prefix) != nil { failures += 1 }
            // A cut spec is either still a spec (the cut fell between items) or says why it is not.
            #expect(loaded.spec != nil || !loaded.diagnostics.isEmpty, "cut at \(end)")
        }
        #expect(failures == 0)
    }

    @Test func binaryInputIsRejectedWithAPosition() {
        var random = SplitMix64(seed: 0xB1A5)
        for size in [1, 2, 3, 7, 64, 1000, 65536] {
            for _ in 0..<20 {
                let bytes = (0..<size).map { _ in UInt8.random(in: 0...255, using: &random) }
                let diagnostics = Self.lint(bytes)
                #expect(!diagnostics.isEmpty)
            }
        }
        // No NUL but not UTF-8: libyaml's own message, with its position.
        let latin1 = Array("spec: 1\nmodule: {name: D\u{E9}mo}\n".unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) })
        #expect(Self.lint(latin1).map(\.rule) == ["yaml-syntax"])
        // UTF-16 text is not a spec either.
        let utf16: [UInt8] = [0xFF, 0xFE] + Array("spec: 1\n".utf8).flatMap { byte -> [UInt8] in [byte, 0] }
        #expect(Self.lint(utf16).map(\.rule) == ["yaml-syntax"])
    }

    @Test func deepNestingStopsAtTheDepthLimit() {
        let flowMappings = String(repeating: "{a: ", count: 50_000) + "1" + String(repeating: "}", count: 50_000)
        let blockMappings = (0..<300).map { String(repeating: " ", count: $0) + "a:\n" }.joined() + String(repeating: " ", count: 300) + "1\n"
        let blockSequences = (0..<300).map { String(repeating: " ", count: $0) + "-\n" }.joined()
        let mixed = "- " + String(repeating: "[{a: ", count: 10_000)
        for text in [flowMappings, blockMappings, blockSequences, mixed] {
            let diagnostics = Self.lint(text)
            #expect(diagnostics.map(\.rule) == ["yaml-limit"], "\(text.prefix(20))")
            #expect(diagnostics.first?.message == "nesting deeper than 128 levels")
        }
    }

    @Test func aliasBombsOfEveryShapeStop() {
        func bomb(_ level: (Int) -> String) -> String {
            var text = "a0: &a0 {x: 1, y: 2, z: 3, w: 4, v: 5, u: 6, t: 7, s: 8, r: 9, q: 10}\n"
            for level1 in 1...12 { text += level(level1) + "\n" }
            return text
        }
        let sequences = bomb { "a\($0): &a\($0) [" + Array(repeating: "*a\($0 - 1)", count: 10).joined(separator: ", ") + "]" }
        let mappings = bomb { n in "a\(n): &a\(n) {" + (0..<10).map { "k\($0): *a\(n - 1)" }.joined(separator: ", ") + "}" }
        let keys = bomb { n in "a\(n): &a\(n) {" + (0..<10).map { "? [\($0), *a\(n - 1)] : \($0)" }.joined(separator: ", ") + "}" }
        let merges = bomb { n in "a\(n): &a\(n) {<<: [" + Array(repeating: "*a\(n - 1)", count: 10).joined(separator: ", ") + "], m\(n): *a\(n - 1)}" }
        for text in [sequences, mappings, keys, merges] {
            let diagnostics = Self.lint(text)
            #expect(diagnostics.map(\.rule) == ["yaml-limit"])
            #expect(diagnostics.first?.message.contains("alias bomb") == true)
        }
    }

    @Test func aLimitOfAFewNodesStopsEvenSmallFiles() {
        var limits = YAMLLoader.Limits()
        limits.maxNodes = 10
        let result = YAMLLoader(limits: limits).load(Self.valid, file: "v.yaml")
        #expect(result.root == nil)
        #expect(result.diagnostics.map(\.rule) == ["yaml-limit"])
        #expect(result.diagnostics.first?.location.line == 2)
    }

    /// A 10 MB scalar in each place a spec has text: loading and linting finish with
    /// diagnostics in place (no quadratic matching, no table the size of the key).
    @Test(arguments: ["key", "syntax", "transcript", "range", "description", "reference"])
    func tenMegabyteScalars(_ place: String) {
        let huge = String(repeating: "x", count: 10 << 20)
        var text = Self.valid
        switch place {
        // An explicit key (`? `): a plain key is limited to 1024 characters by YAML itself.
        case "key": text = text.replacingFirst("    title: Ping\n", with: "    title: Ping\n    ? \(huge)\n    : 1\n")
        case "syntax": text = text.replacingFirst("AT+PING=<host>,<count>", with: "AT+PING=<host>,<count>,\(huge)")
        case "transcript": text = text.replacingFirst("      OK\n", with: "      OK\n      +PING: \"\(huge)\n")
        case "range": text = text.replacingFirst("range: \"1-10\"", with: "range: \"1-\(huge)\"")
        case "description": text = text.replacingFirst("    title: Ping\n", with: "    title: Ping\n    description: \(huge)\n")
        default: text = text.replacingFirst("{doc: manual, section: \"2.1\"}", with: "{doc: \(huge), section: \"2.1\"}")
        }
        let diagnostics = Self.lint(text)
        let rules = diagnostics.map(\.rule)
        switch place {
        case "key": #expect(rules == ["unknown-key"])
        case "syntax": #expect(rules.contains("example-unmatched"))
        case "transcript":
            #expect(rules == ["example-unmatched"])
            #expect(diagnostics.first?.message.contains("longer than the 4096 the runtime frames") == true)
            #expect(diagnostics.first?.location == SourceLocation(line: 26, column: 7))
        case "range": #expect(rules == ["invalid-range"])
        case "description": #expect(rules.isEmpty)
        default: #expect(rules == ["unknown-reference"])
        }
    }

    @Test func aMappingWithAHundredThousandKeysIsCheckedForDuplicatesInLinearTime() {
        var text = "spec: 1\nshared:\n"
        for index in 0..<100_000 { text += "  k\(index): \(index)\n" }
        text += "  k99999: again\n  k0: again\n"
        let diagnostics = Self.lint(text).filter { $0.rule == "duplicate-key" }
        #expect(diagnostics.map(\.description) == [
            "hostile.yaml:100003:3: error: key 'k99999' appears twice in this mapping (first at line 100002) [duplicate-key]",
            "hostile.yaml:100004:3: error: key 'k0' appears twice in this mapping (first at line 3) [duplicate-key]",
        ])
    }

    /// Positions count lines and columns as libyaml does (a lone CR, NEL, LS and PS end a line;
    /// columns count characters), so the loader's own positions agree with libyaml's.
    @Test func positionsCountLinesAndColumnsAsYAMLDoes() {
        #expect(Self.lint(Array("spec: 1\r\rmodule: \u{0}\n".utf8)).map(\.description) == [
            "hostile.yaml:3:9: error: file holds a NUL byte; a spec is UTF-8 text [yaml-syntax]",
        ])
        #expect(Self.lint(Array("a: \u{2028}é\u{0}".utf8)).map(\.description) == [
            "hostile.yaml:2:2: error: file holds a NUL byte; a spec is UTF-8 text [yaml-syntax]",
        ])
        // A transcript line of a file with CR line ends is placed on its own line.
        let unmatched = Self.valid.replacingFirst("      +PING: 2", with: "      +PONG: 2").replacingAll("\n", with: "\r")
        #expect(Self.lint(unmatched).map(\.description) == [
            "hostile.yaml:26:7: error: example 'ping': line '+PONG: 2' matches no final result, response or URC in the spec [example-unmatched]",
        ])
        // A syntax error after a non-ASCII character: the column counts characters, the message shows the character.
        let syntax = Self.valid.replacingFirst("AT+PING=<host>", with: "AT+PÏNG=<host>")
        #expect(Self.lint(syntax).map(\.description).first == (
            "hostile.yaml:14:22: error: in syntax of a form of command 'PING': unexpected 'Ï' after the command name; expected '=', '=?', '?' or the end [syntax-error]"))
    }

    @Test func theFileSizeLimitIsCheckedBeforeParsing() {
        var limits = YAMLLoader.Limits()
        limits.maxBytes = 1 << 20
        let loaded = SpecLoader.load(bytes: Array(repeating: UInt8(ascii: "#"), count: (1 << 20) + 1), file: "big.yaml", limits: limits)
        #expect(loaded.spec == nil)
        #expect(loaded.diagnostics.map(\.description) == ["big.yaml:1:1: error: file is 1048577 bytes; the loader reads at most 1048576 [yaml-limit]"])
    }
}


extension String {
    /// The string with every `target` replaced.
    func replacingAll(_ target: String, with replacement: String) -> String {
        var result = self
        var previous = ""
        while previous != result {
            previous = result
            result = result.replacingFirst(target, with: replacement)
        }
        return result
    }

    /// The string with the first occurrence of `target` replaced (unchanged when there is none).
    func replacingFirst(_ target: String, with replacement: String) -> String {
        let bytes = Array(utf8)
        let pattern = Array(target.utf8)
        guard !pattern.isEmpty, bytes.count >= pattern.count else { return self }
        for start in 0...(bytes.count - pattern.count) where bytes[start..<(start + pattern.count)].elementsEqual(pattern) {
            return String(decoding: bytes[..<start] + Array(replacement.utf8) + bytes[(start + pattern.count)...], as: UTF8.self)
        }
        return self
    }
}
