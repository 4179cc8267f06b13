// ChunkedReplay.swift: replays a script through a Framer under many chunkings and checks they all agree.

import ATRuntime
import Testing
import ATTestSupport

/// How a replay cuts the input into chunks (host calls always cut as well).
enum ChunkPlan: CustomStringConvertible {
    /// Each stretch between host calls in one chunk.
    case whole
    /// One cut at `offset`.
    case split(at: Int)
    /// One byte per chunk.
    case byteByByte
    /// Random chunk sizes in 1...maxSize, random feed styles and empty feeds, from `seed`.
    case random(seed: UInt64, maxSize: Int)

    var description: String {
        switch self {
        case .whole: return "whole"
        case .split(let offset): return "split at \(offset)"
        case .byteByByte: return "byte by byte"
        case .random(let seed, let maxSize): return "random chunks ≤ \(maxSize), seed \(seed)"
        }
    }
}

/// What one replay produced.
struct ReplayResult {
    var events: [FrameEvent] = []
    /// The largest `bufferedByteCount` seen after any feed.
    var peakBuffered = 0
    /// How many times `feed` was called.
    var feeds = 0
    /// `bufferedByteCount` at the end.
    var finalBuffered = 0
}

extension FlatScript {
    /// Feeds the script to a new framer, cut as `plan` says.
    func replay(_ plan: ChunkPlan, configuration: FramerConfiguration) -> ReplayResult {
        var framer = Framer(configuration: configuration)
        var result = ReplayResult()
        var generator = SplitMix64(seed: 0)
        if case .random(let seed, _) = plan { generator = SplitMix64(seed: seed) }
        var position = 0
        var nextCall = 0
        let total = input.count
        while true {
            while nextCall < calls.count, calls[nextCall].offset == position {
                switch calls[nextCall].step {
                case .expectPrompt: framer.expectPrompt()
                case .expectEcho(let text): framer.expectEcho(bytes(text))
                case .expectData(let count): framer.expectData(count: count)
                case .text, .raw: break
                }
                nextCall += 1
            }
            guard position < total else { break }
            let callStop = nextCall < calls.count ? calls[nextCall].offset : total
            var stop: Int
            var style = 0
            switch plan {
            case .whole: stop = total
            case .split(let offset): stop = position < offset ? offset : total
            case .byteByByte: stop = position + 1
            case .random(_, let maxSize):
                stop = position + Int.random(in: 1...max(1, maxSize), using: &generator)
                style = Int.random(in: 0..<4, using: &generator)
            }
            stop = min(stop, callStop)
            let chunk = input[position..<stop]
            switch style {
            case 1: result.events += framer.feed(chunk)
            case 2: framer.feed(AnySequence(chunk), into: &result.events)  // not contiguous
            case 3:
                framer.feed([UInt8](), into: &result.events)  // an empty read changes nothing
                framer.feed(Array(chunk), into: &result.events)
            default: framer.feed(chunk, into: &result.events)
            }
            result.feeds += 1
            result.peakBuffered = max(result.peakBuffered, framer.bufferedByteCount)
            position = stop
        }
        result.finalBuffered = framer.bufferedByteCount
        return result
    }

    /// The plans every framing test runs: whole, a cut at every byte boundary, byte by
    /// byte, and random chunk sizes (small and large) from several seeds.
    var plans: [ChunkPlan] {
        var plans: [ChunkPlan] = [.whole, .byteByByte]
        if input.count > 1 { plans += (1..<input.count).map { ChunkPlan.split(at: $0) } }
        for seed in 1...6 as ClosedRange<UInt64> {
            plans.append(.random(seed: seed, maxSize: 5))
            plans.append(.random(seed: seed &* 7_919, maxSize: max(2, input.count / 3)))
        }
        return plans
    }
}

/// Checks that `steps` frame to exactly `expected` under every plan in ``FlatScript/plans``,
/// and that the buffer never held more than `bufferBound` bytes, if given.
func expectFraming(
    _ steps: [Step],
    configuration: FramerConfiguration = FramerConfiguration(),
    yields expected: [FrameEvent],
    bufferBound: Int? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let script = FlatScript(steps)
    for plan in script.plans {
        let result = script.replay(plan, configuration: configuration)
        if result.events != expected {
            #expect(result.events == expected, "chunking: \(plan)", sourceLocation: sourceLocation)
            return
        }
        if let bufferBound, result.peakBuffered > bufferBound {
            #expect(result.peakBuffered <= bufferBound, "chunking: \(plan)", sourceLocation: sourceLocation)
            return
        }
    }
}

/// Checks that `steps` frame to the same events under every plan, whatever they are, and
/// returns the events of the whole-chunk replay.
@discardableResult
func expectChunkInvariance(
    _ steps: [Step],
    configuration: FramerConfiguration = FramerConfiguration(),
    sourceLocation: SourceLocation = #_sourceLocation
) -> [FrameEvent] {
    let script = FlatScript(steps)
    let reference = script.replay(.whole, configuration: configuration)
    for plan in script.plans {
        let result = script.replay(plan, configuration: configuration)
        if result.events != reference.events || result.finalBuffered != reference.finalBuffered {
            #expect(result.events == reference.events, "chunking: \(plan)", sourceLocation: sourceLocation)
            #expect(result.finalBuffered == reference.finalBuffered, "chunking: \(plan)", sourceLocation: sourceLocation)
            break
        }
    }
    return reference.events
}
