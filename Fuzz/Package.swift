// swift-tools-version: 6.0
// Package.swift (Fuzz/): libFuzzer harnesses for the framer, each module's decoder and the spec
// pipeline. Build and run them with Fuzz/run.sh; each harness's check lives beside the tests.
import PackageDescription

/// The root package's identity is the name of its folder, whatever the checkout is called.
let root = String(#filePath.split(separator: "/").dropLast(2).last ?? "at-bindgen").lowercased()

func product(_ name: String) -> Target.Dependency { .product(name: name, package: root) }

let package = Package(
    name: "at-bindgen-fuzz",
    dependencies: [.package(path: "..")],
    targets: [
        .executableTarget(name: "FuzzFramer", dependencies: [product("ATRuntime")]),
        .executableTarget(
            name: "FuzzDecoderSIM800",
            dependencies: [product("ATRuntime"), product("ATModules")]),
        .executableTarget(
            name: "FuzzDecoderSIM7672X",
            dependencies: [product("ATRuntime"), product("ATModules")]),
        .executableTarget(
            name: "FuzzDecoderFibocomL610",
            dependencies: [product("ATRuntime"), product("ATModules")]),
        .executableTarget(
            name: "FuzzDecoderSIM7000",
            dependencies: [product("ATRuntime"), product("ATModules")]),
        .executableTarget(
            name: "FuzzDecoderQuectelQMT",
            dependencies: [product("ATRuntime"), product("ATModules")]),
        .executableTarget(name: "FuzzSpec", dependencies: [product("ATRuntime"), product("ATSpec")]),
    ],
    swiftLanguageModes: [.v6]
)
