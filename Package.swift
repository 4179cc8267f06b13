// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "at-bindgen",
    products: [
        .library(name: "ATSpec", targets: ["ATSpec"]),
        .library(name: "ATRuntime", targets: ["ATRuntime"]),
        .library(name: "ATGenerator", targets: ["ATGenerator"]),
        .library(name: "ATModem", targets: ["ATModem"]),
        .library(name: "SIM800", targets: ["SIM800"]),
        .library(name: "SIM7672X", targets: ["SIM7672X"]),
        .library(name: "FibocomL610", targets: ["FibocomL610"]),
        .executable(name: "at-bindgen", targets: ["at-bindgen"]),
        .plugin(name: "ATBindgenPlugin", targets: ["ATBindgenPlugin"]),
        .plugin(name: "GenerateATBindings", targets: ["GenerateATBindings"]),
        .plugin(name: "LintATSpecs", targets: ["LintATSpecs"]),
    ],
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
        .target(name: "ATRuntime"),
        // The command engine and its transports (serial, TCP, in-memory); not in the generator's path.
        .target(
            name: "ATModem",
            dependencies: ["ATRuntime", .product(name: "Logging", package: "swift-log")]
        ),
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
        // Build-tool plugin: each *.atspec.yaml of a target becomes one Swift file at build time.
        .plugin(name: "ATBindgenPlugin", capability: .buildTool(), dependencies: ["at-bindgen"]),
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
            dependencies: ["ATModem", "ATRuntime", "ATSpec", "ATTestSupport", "SIM800", "SIM7672X", "FibocomL610", .product(name: "Logging", package: "swift-log")]
        ),
        // The committed bindings of the seed specs (regenerate: swift run at-bindgen generate Specs --output Generated).
        .target(name: "SIM800", dependencies: ["ATRuntime"], path: "Generated/SIM800"),
        .target(name: "SIM7672X", dependencies: ["ATRuntime"], path: "Generated/SIM7672X"),
        .target(name: "FibocomL610", dependencies: ["ATRuntime"], path: "Generated/FibocomL610"),
        .testTarget(
            name: "ATSpecTests",
            dependencies: ["ATSpec", "ATTestSupport"],
            exclude: ["Fixtures"]
        ),
        .testTarget(name: "ATGeneratorTests", dependencies: ["ATGenerator", "ATSpec", "ATRuntime", "ATTestSupport"]),
        .testTarget(name: "DecodingTests", dependencies: ["ATSpec", "ATRuntime", "ATTestSupport", "SIM800", "SIM7672X", "FibocomL610"]),
        .testTarget(name: "GeneratedBindingsTests", dependencies: ["SIM800", "SIM7672X", "FibocomL610", "ATRuntime"]),
    ],
    swiftLanguageModes: [.v6]
)
