// FramerFuzzCheck.swift: the framer's fuzz property: any bytes and host calls, cut any way, frame the same within bounds.
//
// One file for two users: the libFuzzer harness (Fuzz/Sources/FuzzFramer links to it)
// and the corpus replay test, so an input the fuzzer saved is replayed with the same checks.

import ATRuntime

/// Decodes a fuzz input into a framer configuration, modem bytes and host calls, and checks
/// the framer's promises on it.
///
/// Input format: byte 0 picks the limits; after it, bytes are modem output except that
/// `0xFF` starts a host call: `0xFF 0` expect a prompt, `0xFF 1 n b…` expect an echo of the
/// next `n % 16` bytes, `0xFF 2 n` expect data of `n - 16` bytes (negative and oversized
/// counts included), `0xFF 3` drop expectations, `0xFF 4` a literal `0xFF`; any other
/// byte after `0xFF` is modem output, the `0xFF` included.
enum FramerFuzz {
    /// One step of the replay.
    enum Action: Equatable {
        case bytes([UInt8])
        case expectPrompt
        case expectEcho([UInt8])
        case expectData(Int)
        case dropExpectations
    }

    /// Line limits and data limits the selector byte picks from: small ones, so fuzzing reaches them.
    static let lineLimits = [1, 2, 8, 24, 64, 4096]
    static let dataLimits = [0, 1, 5, 40, 300, 65536]

    /// Rules with overlapping prefixes (`+D` is a prefix of `+DX:`), both kinds, and a length
    /// field after a quoted field.
    static let dataRules: [DataRule] = [
        .followingLine(prefix: Array("+D:".utf8), lengthField: 0),
        .followingLine(prefix: Array("+DX:".utf8), lengthField: 1),
        .followingLine(prefix: Array("+CMQTTRXPAYLOAD:".utf8), lengthField: 1),
        .inlineQuoted(prefix: Array("+Q:".utf8), lengthField: 1),
        .inlineQuoted(prefix: Array("+SMPUBLISH:".utf8), lengthField: 2),
    ]

    /// The configuration and the steps encoded in `input`.
    static func decode(_ input: [UInt8]) -> (FramerConfiguration, [Action]) {
        let selector = Int(input.first ?? 0)
        let configuration = FramerConfiguration(
            maxLineLength: lineLimits[selector % lineLimits.count],
            maxDataLength: dataLimits[(selector / lineLimits.count) % dataLimits.count],
            dataRules: dataRules)
        var actions: [Action] = []
        var pending: [UInt8] = []
        func flush() {
            if !pending.isEmpty { actions.append(.bytes(pending)) }
            pending.removeAll()
        }
        var index = 1
        while index < input.count {
            let byte = input[index]
            index += 1
            guard byte == 0xFF, index < input.count else {
                pending.append(byte)
                continue
            }
            let op = input[index]
            index += 1
            switch op {
            case 0:
                flush()
                actions.append(.expectPrompt)
            case 1:
                flush()
                let count = index < input.count ? Int(input[index]) % 16 : 0
                index += 1
                let end = min(input.count, index + count)
                actions.append(.expectEcho(index < end ? Array(input[index..<end]) : []))
                index = max(index, end)
            case 2:
                flush()
                let count = index < input.count ? Int(input[index]) - 16 : 0
                index += 1
                actions.append(.expectData(count))
            case 3:
                flush()
                actions.append(.dropExpectations)
            case 4:
                pending.append(0xFF)
            default:
                pending += [0xFF, op]
            }
        }
        flush()
        return (configuration, actions)
    }

    /// How a replay cuts the modem bytes.
    enum Cut: CustomStringConvertible {
        case whole
        case byteByByte
        /// Pseudo-random chunk sizes in 1...17 from `seed`, fed alternately as arrays and as
        /// non-contiguous sequences.
        case random(seed: UInt64)

        var description: String {
            switch self {
            case .whole: return "whole"
            case .byteByByte: return "byte by byte"
            case .random(let seed): return "random chunks, seed \(seed)"
            }
        }
    }

    /// What a replay produced, or the bound it broke.
    struct Replay {
        var events: [FrameEvent] = []
        var failure: String?
    }

    static func replay(_ configuration: FramerConfiguration, _ actions: [Action], _ cut: Cut) -> Replay {
        var framer = Framer(configuration: configuration)
        let bound = framer.configuration.maxLineLength + framer.configuration.maxDataLength
        var result = Replay()
        var state: UInt64 = 0
        if case .random(let seed) = cut { state = seed }
        func feed(_ chunk: ArraySlice<UInt8>, contiguous: Bool) {
            if contiguous {
                framer.feed(chunk, into: &result.events)
            } else {
                framer.feed(chunk.lazy.map { $0 }, into: &result.events)
            }
            if framer.bufferedByteCount > bound, result.failure == nil {
                result.failure = "\(cut): bufferedByteCount \(framer.bufferedByteCount) exceeds \(bound)"
            }
        }
        for action in actions {
            switch action {
            case .expectPrompt: framer.expectPrompt()
            case .expectEcho(let bytes): framer.expectEcho(bytes)
            case .expectData(let count): framer.expectData(count: count)
            case .dropExpectations: framer.dropExpectations()
            case .bytes(let bytes):
                var start = 0
                while start < bytes.count {
                    var size = bytes.count
                    var contiguous = true
                    switch cut {
                    case .whole: break
                    case .byteByByte: size = 1
                    case .random:
                        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                        size = Int((state >> 33) % 17) + 1
                        contiguous = (state >> 20) & 1 == 0
                    }
                    let end = min(bytes.count, start + size)
                    feed(bytes[start..<end], contiguous: contiguous)
                    start = end
                }
            }
        }
        return result
    }

    /// Checks the framer on `input`: the same events however the bytes are cut, the buffer
    /// within its bound after every feed, and every event within the limits. Nil when all hold.
    static func check(_ input: [UInt8]) -> String? {
        let (configuration, actions) = decode(input)
        var seed: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in input { seed = (seed ^ UInt64(byte)) &* 0x100_0000_01B3 }
        let reference = replay(configuration, actions, .whole)
        if let failure = reference.failure { return failure }
        let limits = Framer(configuration: configuration).configuration
        for event in reference.events {
            switch event {
            case .line(let bytes) where bytes.isEmpty || bytes.count > limits.maxLineLength + limits.maxDataLength:
                return "a line of \(bytes.count) bytes with limits \(limits.maxLineLength) + \(limits.maxDataLength)"
            case .data(let bytes) where bytes.count > limits.maxDataLength:
                return "a data block of \(bytes.count) bytes above the limit \(limits.maxDataLength)"
            case .echo(let bytes) where bytes.isEmpty:
                return "an empty echo"
            default:
                break
            }
        }
        for cut: Cut in [.byteByByte, .random(seed: seed)] {
            let other = replay(configuration, actions, cut)
            if let failure = other.failure { return failure }
            if other.events != reference.events {
                let at = zip(other.events, reference.events).prefix { $0 == $1 }.count
                let got = at < other.events.count ? other.events[at].debugDescription : "nothing"
                let expected = at < reference.events.count ? reference.events[at].debugDescription : "nothing"
                return "\(cut) differs from whole at event \(at): \(got) instead of \(expected)"
            }
        }
        return nil
    }
}
