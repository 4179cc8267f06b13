// ChunkingPropertyTests.swift: every document example, replayed as the engine drives the decoder, decodes the same however it is cut.

import ATRuntime
import ATSpec
import Testing
import ATTestSupport

@Suite("Chunking properties")
struct ChunkingPropertyTests {
    static let specs = SpecFolder.names

    /// The example as the engine sees it: before each command line the host calls `begin`
    /// with the form it is sending (the line is then the modem's echo).
    static func engineSteps(_ example: Example, _ module: ModuleDescriptor) -> [DecoderFuzz.Action] {
        var actions: [DecoderFuzz.Action] = []
        for line in example.lines where !line.isEmpty {
            if line.uppercased().hasPrefix("AT"), let (form, _) = module.form(matching: line),
                let index = module.forms.firstIndex(of: form)
            {
                actions.append(.begin(index))
            }
            actions.append(.bytes(example.bytes(of: line) + [0x0D, 0x0A]))
        }
        return actions
    }

    /// Whole, in chunks of every size up to the longest line, and in twenty random chunkings:
    /// the same events, nothing unrecognized, every URC and final result typed by the bindings.
    @Test(arguments: specs)
    func everyExampleDecodesTheSameAtEveryCutWithTheHostDriving(_ name: String) throws {
        let spec = try Seeds.spec(name)
        let module = try #require(DecoderFuzz.Module(rawValue: name))
        let descriptor = module.descriptor
        var random = SplitMix64(seed: 0xC075)
        for example in spec.examples {
            let actions = Self.engineSteps(example, descriptor)
            let whole = DecoderFuzz.replay(descriptor, actions, chunk: nil)
            #expect(whole.failure == nil)
            #expect(DecoderFuzz.typeCheck(whole.events, module) == nil, "\(example.id)")
            let bad = whole.events.filter {
                if case .unrecognized = $0 { return true }
                if case .error = $0 { return true }
                return false
            }
            #expect(bad.isEmpty, "\(example.id): \(bad)")
            let longest = actions.map { action in
                if case .bytes(let bytes) = action { return bytes.count }
                return 0
            }.max() ?? 0
            // Chunks of n bytes for every n up to the longest line (each host call also cuts):
            // every line is cut at every position.
            var cuts: [(String, (Int) -> Int)] = []
            for size in 1...max(1, longest) {
                cuts.append(("chunks of \(size)", { _ in size }))
            }
            for round in 0..<20 {
                let sizes = (0..<8).map { _ in Int.random(in: 1...64, using: &random) }
                cuts.append(("random \(round) \(sizes)", { feed in sizes[feed % sizes.count] }))
            }
            for (description, chunk) in cuts {
                let other = DecoderFuzz.replay(descriptor, actions, chunk: chunk)
                if other.events != whole.events {
                    #expect(other.events == whole.events, "\(example.id), \(description)")
                    break
                }
            }
        }
    }
}
