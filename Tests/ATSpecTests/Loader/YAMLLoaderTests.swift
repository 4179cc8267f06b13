// YAMLLoaderTests.swift: the libyaml loader: positions, anchors, merge keys, and hostile input.

import ATSpec
import Testing

@Suite("YAML loader")
struct YAMLLoaderTests {
    func load(_ text: String, limits: YAMLLoader.Limits = .init()) -> YAMLLoader.Result {
        YAMLLoader(limits: limits).load(text, file: "t.yaml")
    }

    @Test func keepsLineAndColumnOfKeysAndValues() throws {
        let result = load("a: 1\nb:\n  c: [x, \"y\"]\n")
        let root = try #require(result.root)
        #expect(result.diagnostics.isEmpty)
        let pairs = try #require(root.pairs)
        #expect(pairs[1].key.location == SourceLocation(line: 2, column: 1))
        let c = try #require(root["b"]?["c"])
        #expect(c.location == SourceLocation(line: 3, column: 6))
        #expect(c.items?[1].location == SourceLocation(line: 3, column: 10))
        #expect(c.items?[1].kind == .scalar("y", .quoted))
        #expect(c.items?[0].kind == .scalar("x", .plain))
    }

    @Test func resolvesAnchorsAndAliases() throws {
        let result = load("shared: &q {type: integer, range: \"0-2\"}\nuse: *q\n")
        let root = try #require(result.root)
        #expect(root["use"]?["range"]?.scalar == "0-2")
        #expect(root["use"]?.kind == root["shared"]?.kind)
        #expect(root["use"]?.location == SourceLocation(line: 2, column: 6))
    }

    @Test func appliesMergeKeysWithExplicitKeysWinning() throws {
        let text = """
            base: &base {type: integer, range: "0-1", default: 0}
            other: &other {unit: s, default: 5}
            merged:
              <<: [*base, *other]
              default: 1
            """
        let root = try #require(load(text).root)
        let merged = try #require(root["merged"])
        #expect(merged["default"]?.scalar == "1")
        #expect(merged["range"]?.scalar == "0-1")
        #expect(merged["unit"]?.scalar == "s")
        #expect(merged.pairs?.count == 4)
    }

    @Test func rejectsMergeOfAScalar() {
        let result = load("a: &x 1\nb:\n  <<: *x\n")
        #expect(result.diagnostics.map(\.description) == ["t.yaml:3:7: error: a merge key (<<) takes a mapping or a sequence of mappings, not a number [yaml-syntax]"])
    }

    @Test func readsUnicode() throws {
        let root = try #require(load("zh: \"SIM800系列_MQTT_应用文档\"\nemoji: 📡\n").root)
        #expect(root["zh"]?.scalar == "SIM800系列_MQTT_应用文档")
        #expect(root["emoji"]?.scalar == "📡")
    }

    @Test func emptyDocumentHasNoRoot() {
        let result = load("")
        #expect(result.root == nil)
        #expect(result.diagnostics.isEmpty)
        let spec = SpecLoader.load(text: "", file: "e.yaml")
        #expect(spec.spec == nil)
        #expect(spec.diagnostics.map(\.rule) == ["missing-key"])
    }

    @Test func reportsMalformedYAMLWithLibyamlsPosition() {
        let result = load("a: [1, 2\nb: 3\n")
        #expect(result.root == nil)
        #expect(result.diagnostics.count == 1)
        #expect(result.diagnostics.first?.rule == "yaml-syntax")
        #expect(result.diagnostics.first?.location.line == 2)
    }

    @Test func reportsUndefinedAlias() {
        let result = load("a: *nothing\n")
        #expect(result.diagnostics.map(\.description) == ["t.yaml:1:4: error: alias *nothing names no anchor defined before it [yaml-syntax]"])
    }

    @Test func reportsDuplicateKeys() {
        let result = load("a: 1\nb: 2\na: 3\n")
        #expect(result.diagnostics.map(\.description) == ["t.yaml:3:1: error: key 'a' appears twice in this mapping (first at line 1) [duplicate-key]"])
    }

    @Test func readsHugeScalars() throws {
        let big = String(repeating: "x", count: 10 << 20)
        let root = try #require(load("big: \(big)\n").root)
        #expect(root["big"]?.scalar?.utf8.count == 10 << 20)
    }

    @Test func stopsAtTheSizeLimit() {
        var limits = YAMLLoader.Limits()
        limits.maxBytes = 100
        let result = load(String(repeating: "a: 1\n", count: 50), limits: limits)
        #expect(result.root == nil)
        #expect(result.diagnostics.map(\.rule) == ["yaml-limit"])
    }

    @Test func stopsDeepNesting() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        let result = load(deep)
        #expect(result.root == nil)
        #expect(result.diagnostics.map(\.description) == ["t.yaml:1:129: error: nesting deeper than 128 levels [yaml-limit]"])
    }

    @Test func stopsAliasBombs() {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 {
            let previous = "*a\(level - 1)"
            text += "a\(level): &a\(level) [\(Array(repeating: previous, count: 10).joined(separator: ", "))]\n"
        }
        let result = load(text)
        #expect(result.root == nil)
        #expect(result.diagnostics.first?.rule == "yaml-limit")
        #expect(result.diagnostics.first?.message.contains("alias bomb") == true)
    }

    @Test func rejectsNULBytesAndBinary() {
        let result = YAMLLoader().load([0x61, 0x3A, 0x20, 0x00, 0xFF], file: "b.yaml")
        #expect(result.root == nil)
        #expect(result.diagnostics.map(\.description) == ["b.yaml:1:4: error: file holds a NUL byte; a spec is UTF-8 text [yaml-syntax]"])
    }

    @Test func rejectsInvalidUTF8() {
        let result = YAMLLoader().load([0x61, 0x3A, 0x20, 0xC3, 0x28, 0x0A], file: "u.yaml")
        #expect(result.root == nil)
        #expect(result.diagnostics.first?.rule == "yaml-syntax")
    }

    @Test func survivesEveryTruncationOfASeedSpec() {
        let text = Array(TestPaths.read(TestPaths.spec("FibocomL610.yaml")).utf8)
        var cuts = 0
        for end in stride(from: 0, to: text.count, by: max(1, text.count / 400)) {
            let loaded = SpecLoader.load(bytes: Array(text[..<end]), file: "cut.yaml")
            if let spec = loaded.spec { _ = Linter.lint(spec) }
            cuts += 1
        }
        #expect(cuts > 300)
    }

    @Test func rejectsASecondDocument() {
        let result = load("a: 1\n---\nb: 2\n")
        #expect(result.diagnostics.map(\.description) == ["t.yaml:2:1: error: a spec file holds one YAML document; found a second [yaml-syntax]"])
    }
}
