// LintCleanCompilesTests.swift: a spec that lints without errors generates Swift that type-checks without warnings.

import ATGenerator
import ATSpec
import ATTestSupport
import Foundation
import Testing

/// Runs the Swift compiler's type checker over generated files, against the ATRuntime module this test run built.
enum TypeCheck {
    /// The folder of the build's Swift modules: beside the test bundle, else `.build/debug/Modules`.
    static var modules: String {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("Modules").path
        if FileManager.default.fileExists(atPath: beside + "/ATRuntime.swiftmodule") { return beside }
        return PackageRoot.path + "/.build/debug/Modules"
    }

    /// Type-checks the files together (Swift 6 mode) and returns the compiler's exit status and
    /// output. Each of `bases` (module name → file) is first compiled into a module of its own,
    /// which the files import (a vendor module's `import ThreeGPP`).
    static func run(_ files: [GeneratedFile], bases: [(name: String, file: GeneratedFile)] = []) throws -> (status: Int32, output: String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("at-bindgen-typecheck-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var baseOutput = ""
        for base in bases {
            let path = folder.appendingPathComponent(base.name + ".swift").path
            try base.file.contents.write(toFile: path, atomically: true, encoding: .utf8)
            let (status, output) = try swiftc([
                "-emit-module", "-parse-as-library", "-swift-version", "6", "-module-name", base.name,
                "-emit-module-path", folder.appendingPathComponent(base.name + ".swiftmodule").path, "-I", folder.path, "-I", modules, path,
            ])
            if status != 0 { return (status, output) }
            baseOutput += output
        }
        var paths: [String] = []
        for (index, file) in files.enumerated() {
            let path = folder.appendingPathComponent("\(index)-" + URL(fileURLWithPath: file.path).lastPathComponent).path
            try file.contents.write(toFile: path, atomically: true, encoding: .utf8)
            paths.append(path)
        }
        let (status, output) = try swiftc(["-typecheck", "-swift-version", "6", "-I", folder.path, "-I", modules] + paths)
        return (status, baseOutput + output)
    }

    static func swiftc(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["swiftc"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}

/// Random specs whose names come from a vocabulary of Swift keywords, names the generated
/// code uses itself and ordinary words.
struct RandomSpecs {
    static let hostile = [
        "self", "Self", "default", "protocol", "Protocol", "type", "Type", "init", "class", "struct", "enum", "case", "let", "var",
        "func", "return", "in", "is", "as", "any", "Any", "some", "true", "false", "nil", "where", "throws", "try", "import",
        "descriptor", "description", "encode", "prompt_data", "response", "write", "raw_value", "unrecognized", "is_success",
        "decode", "fields", "collected", "redacting", "validator", "w", "r", "text", "match", "URC", "FinalResult", "Descriptor",
        "Setting", "Write", "Read", "Test", "Execute", "Response", "Result",
    ]
    static let ordinary = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet", "kilo", "lima"]

    var random: SplitMix64

    mutating func pick(_ words: [String], count: Int) -> [String] {
        var pool = words
        var chosen: [String] = []
        var seen: Set<String> = []
        while chosen.count < count, !pool.isEmpty {
            let word = pool.remove(at: Int(random.next() % UInt64(pool.count)))
            // Distinct once in lower camel case, as the linter requires.
            if seen.insert(SwiftNaming.lowerCamel(word).lowercased()).inserted { chosen.append(word) }
        }
        return chosen
    }

    mutating func spec(_ index: Int) -> String {
        let vocabulary = Self.hostile + Self.ordinary
        var text = """
            spec: 1
            module: {name: Random\(index), vendor: Test, models: [T]}
            documents:
              t: {title: A test document}
            final_results:
              - {name: ok, syntax: "OK", kind: success, source: {doc: t, section: "1"}}
              - {name: \(pick(vocabulary, count: 1)[0]), syntax: "ERROR", kind: error, source: {doc: t, section: "1"}}
            commands:

            """
        for (number, commandName) in pick(vocabulary, count: 4).enumerated() {
            let id = "C\(index)X\(number)"
            let parameters = pick(vocabulary, count: 3 + Int(random.next() % 3))
            let enumIndex = Int(random.next() % UInt64(parameters.count))
            let values = pick(vocabulary, count: 3)
            let tagged = random.next() % 2 == 0
            text += """
                  \(id):
                    title: Command \(number)
                    swift_name: \(commandName)
                    source: {doc: t, section: "2"}
                    forms:

                """
            if tagged {
                // Tag forms, named after hostile words, one per parameter.
                for (offset, name) in pick(vocabulary, count: 2).enumerated() {
                    text += """
                              - kind: write
                                name: \(name)
                                syntax: 'AT+\(id)="T\(offset)",<\(parameters[offset])>'
                                source: {doc: t, section: "2"}

                        """
                }
            } else {
                let formNames = pick(vocabulary, count: 2)
                text += """
                          - kind: write
                            name: \(formNames[0])
                            syntax: "AT+\(id)=\(parameters.map { "<\($0)>" }.joined(separator: ","))"
                            source: {doc: t, section: "2"}
                            deferred: {syntax: "+\(id): \(parameters.prefix(2).map { "<\($0)>" }.joined(separator: ","))", order: either}
                          - kind: write
                            name: \(formNames[1])
                            syntax: "AT+\(id)=\(parameters.prefix(1).map { "<\($0)>" }.joined(separator: ","))"
                            source: {doc: t, section: "2"}
                            responses:
                              - syntax: "+\(id)R: \(parameters.map { "<\($0)>" }.joined(separator: ","))"

                    """
            }
            text += "    parameters:\n"
            for (offset, name) in parameters.enumerated() {
                if offset == enumIndex {
                    text += "      \(name):\n        type: enum\n        values:\n"
                    for (value, valueName) in values.enumerated() { text += "          \(value): {name: \(valueName)}\n" }
                } else if offset % 2 == 0 {
                    text += "      \(name): {type: integer, range: \"0-9\"}\n"
                } else {
                    text += "      \(name): {type: string, quoted: true, length: \"1-8\"}\n"
                }
            }
        }
        let urcParameters = pick(vocabulary, count: 2)
        text += """
            urcs:
              U\(index):
                title: A URC
                swift_name: \(pick(vocabulary, count: 1)[0])
                syntax: "+U\(index): <\(urcParameters[0])>,<\(urcParameters[1])>"
                source: {doc: t, section: "3"}
                parameters:
                  \(urcParameters[0]): {type: integer}
                  \(urcParameters[1]): {type: string, quoted: true}

            """
        return text
    }
}

@Suite("A lint-clean spec compiles")
struct LintCleanCompilesTests {
    static func generate(_ text: String, file: String) throws -> GeneratedFile? {
        let loaded = Linter.lint(text: text, file: file, searchPaths: [PackageRoot.path + "/Specs"])
        let errors = loaded.diagnostics.filter { $0.severity == .error }
        guard errors.isEmpty, let spec = loaded.spec else { return nil }
        return Generator.generate(spec)
    }

    @Test func theAdversarialCorpusAndEverySpecInSpecsTypeCheckWithoutWarnings() throws {
        var files: [GeneratedFile] = []
        var bases: [(name: String, file: GeneratedFile)] = []
        let folders = [PackageRoot.path + "/Tests/ATSpecTests/Fixtures/adversarial", PackageRoot.path + "/Specs"]
        for folder in folders {
            for name in try FileManager.default.contentsOfDirectory(atPath: folder).sorted() where name.hasSuffix(".yaml") {
                let text = try String(contentsOfFile: folder + "/" + name, encoding: .utf8)
                let file = try #require(try Self.generate(text, file: name), "\(name) does not lint clean")
                // The module others build on is a module of its own, as in the package.
                if name == "ThreeGPP.yaml" { bases.append(("ThreeGPP", file)) } else { files.append(file) }
            }
        }
        #expect(files.count >= 4)
        #expect(bases.count == 1)
        let (status, output) = try TypeCheck.run(files, bases: bases)
        #expect(status == 0, "\(output)")
        #expect(!output.contains("warning:"), "\(output)")
    }

    @Test func randomSpecsWithHostileNamesThatLintCleanTypeCheck() throws {
        var maker = RandomSpecs(random: SplitMix64(seed: 0xC0FFEE))
        var files: [GeneratedFile] = []
        var refused = 0
        for index in 0..<24 {
            let text = maker.spec(index)
            if let file = try Self.generate(text, file: "Random\(index).yaml") {
                files.append(file)
            } else {
                refused += 1
            }
        }
        // Most random specs are valid; the ones lint refuses (two names that collide) are not generated.
        #expect(files.count >= 16, "only \(files.count) of 24 random specs lint clean")
        let (status, output) = try TypeCheck.run(files)
        #expect(status == 0, "\(output.prefix(4000))")
        #expect(!output.contains("warning:"), "\(output.prefix(4000))")
        print("random specs: \(files.count) lint clean and type-check, \(refused) refused by lint")
    }
}

@Suite("A spec that builds on another compiles against its base's module")
struct ComposedCompilesTests {
    static let folder = PackageRoot.path + "/Tests/ATSpecTests/Fixtures/compose"

    /// Generates the base fixture and `vendor` (text of a spec building on it), composed, and type-checks them.
    static func check(_ vendor: String) throws -> (status: Int32, output: String, vendor: String) {
        let base = try #require(Linter.lint(path: folder + "/Base.yaml").spec)
        let loaded = Linter.lint(text: vendor, file: folder + "/Vendor.yaml", searchPaths: [])
        #expect(loaded.diagnostics.filter { $0.severity == .error }.map(\.description) == [])
        let spec = try #require(loaded.spec)
        let generated = Generator.generate(spec)
        let (status, output) = try TypeCheck.run([generated], bases: [("Base", Generator.generate(base))])
        return (status, output, generated.contents)
    }

    @Test func overridingAndExtendingVendorSpecsTypeCheckWithoutWarnings() throws {
        let plain = try String(contentsOfFile: Self.folder + "/Vendor.yaml", encoding: .utf8)
        let overriding = plain.replacingOccurrences(of: "commands:\n", with: """
            errors:
              cme:
                title: Vendor equipment errors
                extends: true
                source: {doc: an, section: "7"}
                codes:
                  100: {name: unknown, text: unknown error}
            commands:
              CPIN:
                title: Enter PIN, the vendor's way
                overrides: true
                source: {doc: an, section: "8"}
                forms:
                  - kind: read
                    syntax: "AT+CPIN?"
                    responses:
                      - syntax: "+CPIN: <code>,<retries>"
                parameters:
                  code: {type: string, quoted: false}
                  retries: {type: integer}

            """).replacingOccurrences(of: "      AT+CPIN?\n      +CME ERROR: SIM not inserted\n", with: "      AT+CPIN?\n      +CPIN: READY,3\n      OK\n      AT+CSQ\n      +CME ERROR: unknown error\n")
        for text in [plain, overriding] {
            let (status, output, vendor) = try Self.check(text)
            #expect(status == 0, "\(output)")
            #expect(!output.contains("warning:"), "\(output)")
            #expect(vendor.contains("buildingOn: Base.descriptor,"))
        }
        let (_, _, vendor) = try Self.check(overriding)
        // The vendor's CPIN and its extended table (with the base's result that uses it) are its own.
        #expect(vendor.contains("replacingFinals: [\"cme_error\"]"))
        #expect(vendor.contains("replacingCommands: [\"CPIN\"]"))
        #expect(vendor.contains("case cmeError(err: Vendor.CMEError)"))
        #expect(vendor.contains("case \"unknown error\": self = .unknown"))
        #expect(vendor.contains("case \"sim not inserted\": self = .simNotInserted"))
    }
}
