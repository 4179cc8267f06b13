// swift-tools-version: 6.0
// Package.swift: an example consumer of at-bindgen: its own spec, compiled by the build plugin, driven through the command engine.

import PackageDescription

let package = Package(
    name: "BasicModem",
    dependencies: [
        // In your package: .package(url: "https://github.com/<owner>/at-bindgen", from: "<version>").
        .package(name: "at-bindgen", path: "../.."),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
    ],
    targets: [
        // Basic3GPP.atspec.yaml becomes Basic3GPP.swift at build time; at-bindgen-config.yaml sets its access level.
        .target(
            name: "Basic3GPP",
            dependencies: [
                .product(name: "ATRuntime", package: "at-bindgen"),
                .product(name: "ATModem", package: "at-bindgen"),
            ],
            plugins: [.plugin(name: "ATBindgenPlugin", package: "at-bindgen")]
        ),
        // A simulated module on the device end of a transport (in memory, or a pseudo-terminal).
        .target(name: "ScriptedModem", dependencies: [.product(name: "ATModem", package: "at-bindgen")]),
        // A gateway's bring-up on one SIM7672X: the bundled ThreeGPP and SIM7672X modules through one engine.
        .target(
            name: "Bringup",
            dependencies: [
                .product(name: "ATModem", package: "at-bindgen"),
                .product(name: "SIM7672X", package: "at-bindgen"),
                .product(name: "ThreeGPP", package: "at-bindgen"),
            ]
        ),
        .executableTarget(
            name: "gateway-bringup",
            dependencies: [
                "Bringup", "ScriptedModem",
                .product(name: "ATModem", package: "at-bindgen"),
                .product(name: "SIM7672X", package: "at-bindgen"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // A gateway's MQTT session, written once for every module whose spec maps the MQTT client API.
        .target(
            name: "Telemetry",
            dependencies: [.product(name: "ATModem", package: "at-bindgen"), .product(name: "ATMQTT", package: "at-bindgen")]
        ),
        // The same MQTT code on any of the five modules, picked on the command line.
        .executableTarget(
            name: "mqtt-gateway",
            dependencies: [
                "Telemetry",
                .product(name: "ATModem", package: "at-bindgen"),
                .product(name: "ATMQTT", package: "at-bindgen"),
                .product(name: "ATMQTTSimulation", package: "at-bindgen"),
                .product(name: "ATModules", package: "at-bindgen"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "basic-modem",
            dependencies: [
                "Basic3GPP", "ScriptedModem",
                .product(name: "ATModem", package: "at-bindgen"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "BasicModemTests",
            dependencies: [
                "Basic3GPP", "ScriptedModem", "Bringup", "Telemetry",
                .product(name: "ATRuntime", package: "at-bindgen"),
                .product(name: "ATMQTT", package: "at-bindgen"),
                .product(name: "ATMQTTSimulation", package: "at-bindgen"),
                .product(name: "ATModules", package: "at-bindgen"),
                .product(name: "ATModem", package: "at-bindgen"),
                .product(name: "SIM7672X", package: "at-bindgen"),
                .product(name: "ThreeGPP", package: "at-bindgen"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
