// swift-tools-version: 6.0
// Package.swift: the benchmarks, a separate package so the library's users and CI never build them.
// Run everything with: swift run -c release --package-path Benchmarks at-bench
import PackageDescription

let package = Package(
    name: "at-bindgen-benchmarks",
    dependencies: [
        .package(name: "at-bindgen", path: ".."),
        // Counts mallocs: its malloc/free replacements are linked into the benchmark executable.
        .package(url: "https://github.com/ordo-one/malloc-interposer", exact: "1.6.1"),
    ],
    targets: [
        // Hand-written C parsers of the same streams: the reference the generated parsers are measured against.
        .target(name: "CBaseline", cSettings: [.unsafeFlags(["-O2"])]),
        .executableTarget(
            name: "at-bench",
            dependencies: [
                .product(name: "ATRuntime", package: "at-bindgen"),
                .product(name: "ATSpec", package: "at-bindgen"),
                .product(name: "ATGenerator", package: "at-bindgen"),
                .product(name: "ATModem", package: "at-bindgen"),
                .product(name: "SIM800", package: "at-bindgen"),
                .product(name: "SIM7672X", package: "at-bindgen"),
                .product(name: "FibocomL610", package: "at-bindgen"),
                .product(name: "MallocInterposerSwift", package: "malloc-interposer"),
                "CBaseline",
            ]
        )
    ],
    swiftLanguageModes: [.v6]
)
