// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "at-bindgen",
    products: [
        .library(name: "ATSpec", targets: ["ATSpec"]),
        .library(name: "ATRuntime", targets: ["ATRuntime"]),
        .executable(name: "at-bindgen", targets: ["at-bindgen"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
    ],
    targets: [
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]
        ),
        .target(name: "ATRuntime"),
        .target(
            name: "ATSpec",
            dependencies: ["CYAML", "ATRuntime"]
        ),
        .executableTarget(
            name: "at-bindgen",
            dependencies: [
                "ATSpec",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "ATSpecTests",
            dependencies: ["ATSpec"],
            exclude: ["Fixtures"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
