// TestSupport.swift: paths of fixtures and seed specs, found from this file's location.

import ATSpec
import ATTestSupport

enum TestPaths {
    /// The package root.
    static let root = PackageRoot.path

    static func fixture(_ relative: String) -> String { root + "/Tests/ATSpecTests/Fixtures/" + relative }
    static func spec(_ name: String) -> String { root + "/Specs/" + name }

    static func read(_ path: String) -> String {
        switch FileIO.readFile(path) {
        case .success(let bytes): return String(decoding: bytes, as: UTF8.self)
        case .failure(let error): return "unreadable: \(error.message)"
        }
    }
}
