// swift-tools-version: 6.0
import PackageDescription

/// The modules generated from Specs/ (`swift run at-bindgen generate Specs --output Generated --index ATModules`),
/// one folder of Generated/ each, and their index, Generated/ATModules, which lists them all: a spec added to
/// Specs/ needs its name here and nothing else (the tests take every module from the index).
let generatedModules = ["FibocomL610", "QuectelQMT", "SIM7000", "SIM7672X", "SIM800", "ThreeGPP"]
/// The module every vendor module builds on (`builds_on: ThreeGPP` in its spec): the 3GPP TS 27.007 and V.250 commands.
let baseModule = "ThreeGPP"
/// The generated modules whose specs map the MQTT client API (an `mqtt:` section): they conform to ATMQTT's `ATMQTTModule`.
let mqttModules = ["FibocomL610", "QuectelQMT", "SIM7000", "SIM7672X", "SIM800"]
let generatedDependencies: [Target.Dependency] = generatedModules.map { .target(name: $0) } + ["ATModules"]

let package = Package(
    name: "at-bindgen",
    products: [
        .library(name: "ATSpec", targets: ["ATSpec"]),
        .library(name: "ATRuntime", targets: ["ATRuntime"]),
        .library(name: "ATGenerator", targets: ["ATGenerator"]),
        .library(name: "ATModem", targets: ["ATModem"]),
        .library(name: "ATMQTT", targets: ["ATMQTT"]),
        .library(name: "ATMQTTSimulation", targets: ["ATMQTTSimulation"]),
        .executable(name: "at-bindgen", targets: ["at-bindgen"]),
        .executable(name: "at-sim", targets: ["at-sim"]),
        .executable(name: "at-bindgen-build", targets: ["at-bindgen-build"]),
        .plugin(name: "ATBindgenPlugin", targets: ["ATBindgenPlugin"]),
        .plugin(name: "GenerateATBindings", targets: ["GenerateATBindings"]),
        .plugin(name: "LintATSpecs", targets: ["LintATSpecs"]),
    ] + generatedModules.map { .library(name: $0, targets: [$0]) } + [.library(name: "ATModules", targets: ["ATModules"])],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]
        ),
        .systemLibrary(
            name: "CMosquitto",
            pkgConfig: "libmosquitto",
            providers: [.apt(["libmosquitto-dev"]), .brew(["mosquitto"])]
        ),
        .target(name: "ATRuntime"),
        // The command engine and its transports (serial, TCP, in-memory); not in the generator's path.
        .target(
            name: "ATModem",
            dependencies: ["ATRuntime", .product(name: "Logging", package: "swift-log")]
        ),
        // One MQTT client API over the modules whose specs map it onto their own MQTT stacks.
        .target(
            name: "ATMQTT",
            dependencies: ["ATModem", "ATRuntime", .product(name: "Logging", package: "swift-log")]
        ),
        // Scripted modems of the modules with an MQTT section and a broker in memory, for testing MQTT code without a device.
        .target(name: "ATMQTTSimulation", dependencies: ["ATModem", "ATRuntime"]),
        // at-sim's virtual modem from a spec. Not in the build plugin's path.
        .target(name: "ATSimulator", dependencies: ["ATSpec", "ATRuntime", "ATModem", "CMosquitto"]),
        // at-sim: a virtual modem from a spec loaded at run time, on a pseudo-terminal or a TCP port.
        .executableTarget(name: "at-sim", dependencies: ["ATSimulator", "ATSpec", "ATModem"]),
        .target(
            name: "ATSpec",
            dependencies: ["CYAML", "ATRuntime"]
        ),
        .target(
            name: "ATGenerator",
            dependencies: ["ATSpec", "ATRuntime"]
        ),
        .executableTarget(
            name: "at-bindgen",
            dependencies: [
                "ATSpec",
                "ATGenerator",
                "ATRuntime",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The build plugin's tool: `at-bindgen generate --output-file` without the argument parser, so
        // that a consumer of the plugin builds as little as it can for the host.
        .executableTarget(name: "at-bindgen-build", dependencies: ["ATGenerator"]),
        // Build-tool plugin: each *.atspec.yaml of a target becomes one Swift file at build time.
        .plugin(name: "ATBindgenPlugin", capability: .buildTool(), dependencies: ["at-bindgen-build"]),
        // Command plugin: lint Specs/ and regenerate Generated/.
        .plugin(
            name: "GenerateATBindings",
            capability: .command(
                intent: .custom(verb: "generate-at-bindings", description: "Lint the specs in Specs/ and regenerate Generated/ from them"),
                permissions: [.writeToPackageDirectory(reason: "Writes the regenerated bindings into Generated/")]
            ),
            dependencies: ["at-bindgen"]
        ),
        // Command plugin: lint Specs/ only (needs no write permission).
        .plugin(
            name: "LintATSpecs",
            capability: .command(intent: .custom(verb: "lint-at-specs", description: "Lint the specs in Specs/")),
            dependencies: ["at-bindgen"]
        ),
        // What the test targets share: one seeded random generator, the package root.
        .target(name: "ATTestSupport", path: "Tests/ATTestSupport"),
        .testTarget(name: "ATRuntimeTests", dependencies: ["ATRuntime", "ATTestSupport"]),
        .testTarget(
            name: "ATModemTests",
            dependencies: ["ATModem", "ATRuntime", "ATSpec", "ATTestSupport", .product(name: "Logging", package: "swift-log")] + generatedDependencies
        ),
        .testTarget(
            name: "ATSpecTests",
            dependencies: ["ATSpec", "ATTestSupport"],
            exclude: ["Fixtures"]
        ),
        .testTarget(name: "ATGeneratorTests", dependencies: ["ATGenerator", "ATSpec", "ATRuntime", "ATTestSupport"]),
        .testTarget(name: "DecodingTests", dependencies: ["ATSpec", "ATRuntime", "ATTestSupport"] + generatedDependencies),
        .testTarget(name: "GeneratedBindingsTests", dependencies: ["ATRuntime"] + generatedDependencies),
        .testTarget(
            name: "ATSimulatorTests", dependencies: ["ATSimulator", "ATSpec", "ATModem", "ATRuntime", "ATMQTT", "ATTestSupport"] + mqttModules.map { .target(name: $0) }),
        .testTarget(
            name: "ATMQTTTests",
            dependencies: ["ATMQTT", "ATMQTTSimulation", "ATModem", "ATRuntime", .product(name: "Logging", package: "swift-log")] + generatedDependencies
        ),
    ] + generatedModules.map { .target(
            name: $0, dependencies: ["ATRuntime"] + ($0 == baseModule ? [] : [.target(name: baseModule)]) + (mqttModules.contains($0) ? ["ATMQTT"] : []), path: "Generated/" + $0) }
        // The committed index of the bindings generated from Specs/.
        + [.target(name: "ATModules", dependencies: ["ATRuntime"] + generatedModules.map { .target(name: $0) }, path: "Generated/ATModules")],
    swiftLanguageModes: [.v6]
)
