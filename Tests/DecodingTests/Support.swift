// Support.swift: seed specs, their examples as bytes, and decoding helpers for the decoding tests.

import ATModules
import ATRuntime
import ATSpec
import Testing
import ATTestSupport

enum Seeds {
    static let root = PackageRoot.path

    /// The descriptor of every spec in `Specs/`: the generated module's where it is linked
    /// into these tests, else built from the spec as `at-bindgen decode` builds it.
    static let modules: [String: ModuleDescriptor] = {
        let generated = Dictionary(ATModules.all.map { ($0.name, $0.module.descriptor) }, uniquingKeysWith: { first, _ in first })
        var all: [String: ModuleDescriptor] = [:]
        for name in SpecFolder.names {
            all[name] = generated[name] ?? SpecLoader.loadComposed(path: PackageRoot.path + "/Specs/\(name).yaml").spec.map(DescriptorBuilder.build)
        }
        return all
    }()

    static func spec(_ name: String) throws -> Spec {
        try #require(SpecLoader.loadComposed(path: root + "/Specs/\(name).yaml").spec)
    }

    /// An example transcript as the bytes a serial line would carry (CRLF line ends, escapes
    /// decoded, the terminator of terminated prompt data), for `module`.
    static func bytes(_ example: Example, _ module: ModuleDescriptor) -> [UInt8] {
        example.wireLines(module).flatMap(\.bytes)
    }

    /// Decodes `bytes` fed in the given chunk sizes (cycled).
    static func decode(_ module: ModuleDescriptor, _ bytes: [UInt8], chunks: [Int] = [Int.max]) -> [DecodedEvent] {
        var decoder = ATDecoder(module: module)
        var events: [DecodedEvent] = []
        var start = 0
        var turn = 0
        while start < bytes.count {
            let size = max(1, chunks[turn % chunks.count])
            let end = min(bytes.count, start + min(size, bytes.count))
            events += decoder.feed(bytes[start..<end])
            start = end
            turn += 1
        }
        return events
    }

    static func decode(_ module: ModuleDescriptor, _ text: String) -> [DecodedEvent] {
        decode(module, Array(text.utf8))
    }
}

