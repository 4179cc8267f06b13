// PluginEndToEndTests.swift: the build plugin as a consumer meets it: a package in a temporary folder built with `swift build`.

import Foundation
import Testing

/// A consumer package written to a temporary folder: one executable target holding a
/// copy of this example's spec and a `main.swift`, with the build plugin applied.
struct ConsumerPackage {
    static let exampleRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let repositoryRoot: URL = exampleRoot.deletingLastPathComponent().deletingLastPathComponent()

    let root: URL
    var sources: URL { root.appending(path: "Sources/Demo") }
    var spec: URL { sources.appending(path: "Basic3GPP.atspec.yaml") }

    /// The consumer's manifest, its target depending on `products` of at-bindgen.
    static func manifest(products: [String]) -> String {
        """
        // swift-tools-version: 6.0
        import PackageDescription

        let package = Package(
            name: "Demo",
            dependencies: [.package(name: "at-bindgen", path: "\(Self.repositoryRoot.path(percentEncoded: false))")],
            targets: [
                .executableTarget(
                    name: "Demo",
                    dependencies: [\(products.map { ".product(name: \"\($0)\", package: \"at-bindgen\")" }.joined(separator: ", "))],
                    plugins: [.plugin(name: "ATBindgenPlugin", package: "at-bindgen")]
                )
            ],
            swiftLanguageModes: [.v6]
        )

        """
    }

    /// A user's spec for one vendor command, building on the bundled 3GPP base.
    static let gatewaySpec = """
        spec: 2
        builds_on: ThreeGPP
        module: {name: Gateway, vendor: Example, models: [G1]}
        documents:
          t: {title: The module's manual}
        commands:
          CPSI:
            title: Inquiring UE system information
            swift_name: system_information
            source: {doc: t, section: "1"}
            forms:
              - kind: read
                syntax: "AT+CPSI?"
                responses:
                  - syntax: "+CPSI: <system_mode>,<operation_mode>"
            parameters:
              system_mode: {type: string, quoted: false}
              operation_mode: {type: string, quoted: false}

        """

    init() throws {
        root = FileManager.default.temporaryDirectory.appending(path: "at-bindgen-plugin-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: sources, withIntermediateDirectories: true)
        try write(Self.manifest(products: ["ATRuntime"]), to: root.appending(path: "Package.swift"))
        try FileManager.default.copyItem(at: Self.exampleRoot.appending(path: "Sources/Basic3GPP/Basic3GPP.atspec.yaml"), to: spec)
    }

    func write(_ text: String, to url: URL) throws {
        try Data(text.utf8).write(to: url)
    }

    func writeMain(_ code: String) throws {
        try write("// main.swift: uses the generated bindings.\n\nimport ATRuntime\n\n" + code + "\n", to: sources.appending(path: "main.swift"))
    }

    /// Replaces `old` (which must occur) in the spec; returns the 1-based line it was on.
    @discardableResult
    func editSpec(_ old: String, _ new: String) throws -> Int {
        try editSpec(named: spec.lastPathComponent, old, new)
    }

    /// Replaces `old` (which must occur) in the spec file `name`; returns the 1-based line it was on.
    @discardableResult
    func editSpec(named name: String, _ old: String, _ new: String) throws -> Int {
        let file = sources.appending(path: name)
        let text = try String(contentsOf: file, encoding: .utf8)
        let range = try #require(text.range(of: old), "the spec holds \(old)")
        try write(text.replacingCharacters(in: range, with: new), to: file)
        return text[..<range.lowerBound].split(separator: "\n", omittingEmptySubsequences: false).count
    }

    /// `swift build` in the package: exit status and everything it printed.
    func build() throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["swift", "build", "--package-path", root.path(percentEncoded: false)]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    /// The file the plugin generated for the spec.
    func generated(named name: String = "Basic3GPP.swift") throws -> String {
        let outputs = root.appending(path: ".build/plugins/outputs")
        let found = FileManager.default.enumerator(at: outputs, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.first { $0.lastPathComponent == name }
        return try String(contentsOf: try #require(found, "no \(name) under \(outputs.path)"), encoding: .utf8)
    }

    /// Removes the package and the lock files SwiftPM left beside it in the temporary folder.
    func remove() {
        try? FileManager.default.removeItem(at: root)
        let temporary = FileManager.default.temporaryDirectory
        let name = root.lastPathComponent
        for file in (try? FileManager.default.contentsOfDirectory(atPath: temporary.path(percentEncoded: false))) ?? [] where file.contains(name) {
            try? FileManager.default.removeItem(at: temporary.appending(path: file))
        }
    }
}

@Suite("Build plugin, end to end")
struct PluginEndToEndTests {
    /// One package through every step, so the generator is built once.
    @Test(.timeLimit(.minutes(15)))
    func specChangesReachTheAPIAndSpecErrorsFailTheBuildAtTheirPosition() throws {
        let package = try ConsumerPackage()
        defer { package.remove() }

        // 1. The spec becomes Swift at build time; main.swift uses it.
        try package.writeMain("print(String(decoding: Basic3GPP.SignalQuality.Execute().encode(), as: UTF8.self))")
        var build = try package.build()
        try #require(build.status == 0, "first build failed:\n\(build.output)")
        #expect(build.output.contains("Generating Basic3GPP.swift from Basic3GPP.atspec.yaml"))
        #expect(!build.output.contains("warning:"), "\(build.output)")
        var generated = try package.generated()
        #expect(generated.hasPrefix("// Generated by at-bindgen from Sources/Demo/Basic3GPP.atspec.yaml. DO NOT EDIT.\n"))
        #expect(generated.contains("public enum SignalQuality {"))

        // 2. Nothing changed: nothing is compiled again. The first rebuild after a cold build
        // relinks the plugin's tool (SwiftPM builds it in two build plans) and so reruns it once,
        // but the output is unchanged and not rewritten; from then on nothing runs at all.
        build = try package.build()
        #expect(build.status == 0)
        #expect(!build.output.contains("Compiling Demo"), "\(build.output)")
        build = try package.build()
        #expect(build.status == 0)
        #expect(!build.output.contains("Generating"), "\(build.output)")
        #expect(!build.output.contains("Compiling Demo"), "\(build.output)")

        // 3. A spec change changes the generated API: code written against the new name compiles.
        try package.editSpec("swift_name: signal_quality", "swift_name: signal_strength")
        try package.writeMain("print(String(decoding: Basic3GPP.SignalStrength.Execute().encode(), as: UTF8.self))")
        build = try package.build()
        try #require(build.status == 0, "build after the spec change failed:\n\(build.output)")
        generated = try package.generated()
        #expect(generated.contains("public enum SignalStrength {"))
        #expect(!generated.contains("enum SignalQuality"))

        // 4. The configuration file renames the namespace and makes the declarations internal.
        try package.write(
            "access_level: internal\nnamespaces:\n  Basic3GPP.atspec.yaml: Cellular\n",
            to: package.sources.appending(path: "at-bindgen-config.yaml"))
        try package.writeMain("print(String(decoding: Cellular.SignalStrength.Execute().encode(), as: UTF8.self))")
        build = try package.build()
        try #require(build.status == 0, "build with the configuration failed:\n\(build.output)")
        generated = try package.generated()
        #expect(generated.contains("\nenum Cellular: ATModule {"))
        #expect(!generated.contains("public "))

        // 5. A broken spec fails the build with the linter's positioned error, not with Swift errors.
        let line = try package.editSpec(#"range: "0-31,99""#, #"range: "31-0""#)
        build = try package.build()
        #expect(build.status != 0)
        #expect(build.output.contains("Basic3GPP.atspec.yaml:\(line):16: error: 'range' of parameter 'rssi' of command 'CSQ': range 31-0 is inverted"), "\(build.output)")
        #expect(!build.output.contains(".swift:"), "a Swift file was blamed:\n\(build.output)")

        // 6. A spec without the .atspec.yaml suffix is not read, and the plugin says so.
        try FileManager.default.moveItem(at: package.spec, to: package.sources.appending(path: "Basic3GPP.yaml"))
        build = try package.build()
        #expect(build.status != 0)
        #expect(build.output.contains("Target 'Demo' applies ATBindgenPlugin but has no spec file: add one named <Name>.atspec.yaml"), "\(build.output)")
        #expect(build.output.contains("do not end in .atspec.yaml and are not read: Sources/Demo/Basic3GPP.yaml"), "\(build.output)")

        // 7. A spec of the user's own builds on the bundled ThreeGPP base: one engine sends the
        // base's requests and its own, and its URC type covers the base's.
        try FileManager.default.removeItem(at: package.sources.appending(path: "Basic3GPP.yaml"))
        try FileManager.default.removeItem(at: package.sources.appending(path: "at-bindgen-config.yaml"))
        try package.write(ConsumerPackage.manifest(products: ["ATRuntime", "ATModem", "ThreeGPP"]), to: package.root.appending(path: "Package.swift"))
        let gateway = package.sources.appending(path: "Gateway.atspec.yaml")
        try package.write(ConsumerPackage.gatewaySpec, to: gateway)
        try package.writeMain("""
            import ATModem
            import ThreeGPP

            func bringUp(_ engine: ATEngine<Gateway>) async throws {
                _ = try await engine.send(ThreeGPP.SignalQuality.Execute())
                let system = try await engine.send(Gateway.SystemInformation.Read())
                print(system.line.systemMode)
                for await event in await engine.listen() {
                    if case .urc(.base(.networkRegistrationReport(let report))) = event { print(report.status) }
                }
            }
            print(String(decoding: Gateway.SystemInformation.Read().encode(), as: UTF8.self), Gateway.descriptor.forms.count > ThreeGPP.descriptor.forms.count)
            """)
        build = try package.build()
        try #require(build.status == 0, "build of a spec that builds on ThreeGPP failed:\n\(build.output)")
        #expect(!build.output.contains("warning:"), "\(build.output)")
        let gatewaySwift = try package.generated(named: "Gateway.swift")
        #expect(gatewaySwift.contains("\nimport ThreeGPP\n"))
        #expect(gatewaySwift.contains("buildingOn: ThreeGPP.descriptor,"))

        // 8. Redefining a base command without `overrides: true` fails the build at its position.
        let shadow = try package.editSpec(named: "Gateway.atspec.yaml", "commands:\n", "commands:\n  CSQ:\n    title: Signal\n    source: {doc: t, section: \"1\"}\n    forms:\n      - {kind: execute, syntax: \"AT+CSQ\"}\n")
        build = try package.build()
        #expect(build.status != 0)
        #expect(build.output.contains("Gateway.atspec.yaml:\(shadow + 1):3: error: command 'CSQ' is also defined by the base spec ThreeGPP"), "\(build.output)")
    }
}
