// ExampleDecodingTests.swift: every document example decodes with nothing unrecognized, however it is chunked.

import ATRuntime
import ATSpec
import SIM7672X
import Testing
import ATTestSupport

@Suite("Document examples")
struct ExampleDecodingTests {
    static let specs = SpecFolder.names

    @Test(arguments: specs)
    func generatedDescriptorIsTheSpecs(_ name: String) throws {
        let spec = try Seeds.spec(name)
        #expect(Seeds.modules[name] == DescriptorBuilder.build(spec))
    }

    @Test(arguments: specs)
    func everyExampleDecodesWithNothingUnrecognized(_ name: String) throws {
        let spec = try Seeds.spec(name)
        let module = try #require(Seeds.modules[name])
        #expect(!spec.examples.isEmpty)
        for example in spec.examples {
            let events = Seeds.decode(module, Seeds.bytes(example, module))
            let bad = events.filter {
                switch $0 {
                case .unrecognized, .error: return true
                default: return false
                }
            }
            #expect(bad.isEmpty, "example \(example.id): \(bad)")
            let commands = example.lines.filter { $0.uppercased().hasPrefix("AT") }.count
            #expect(events.filter { if case .command = $0 { return true } else { return false } }.count == commands, "example \(example.id)")
        }
    }

    @Test(arguments: specs)
    func chunkingDoesNotChangeEvents(_ name: String) throws {
        let spec = try Seeds.spec(name)
        let module = try #require(Seeds.modules[name])
        var random = SplitMix64(seed: 0x5EED)
        for example in spec.examples {
            let bytes = Seeds.bytes(example, module)
            let whole = Seeds.decode(module, bytes)
            #expect(Seeds.decode(module, bytes, chunks: [1]) == whole, "example \(example.id) byte by byte")
            for _ in 0..<5 {
                let sizes = (0..<8).map { _ in Int.random(in: 1...40, using: &random) }
                #expect(Seeds.decode(module, bytes, chunks: sizes) == whole, "example \(example.id) in chunks \(sizes)")
            }
        }
    }

    @Test func splittingAtEveryByteBoundaryOfTheReceiveFlow() throws {
        let spec = try Seeds.spec("SIM7672X")
        let example = try #require(spec.examples.first { $0.id == "an_3_1" })
        let bytes = Seeds.bytes(example, SIM7672X.descriptor)
        let whole = Seeds.decode(SIM7672X.descriptor, bytes)
        for cut in 1..<bytes.count {
            var decoder = ATDecoder(module: SIM7672X.descriptor)
            let events = decoder.feed(bytes[..<cut]) + decoder.feed(bytes[cut...])
            #expect(events == whole, "cut at \(cut)")
        }
    }
}
