// DecoderFuzzCheck.swift: the decoder's fuzz property: any output and host calls decode the same however cut, and type.
//
// One file for two users: the libFuzzer harnesses (Fuzz/Sources/DecoderFuzzCheck links to
// it) and the corpus replay test, so an input the fuzzer saved is replayed with the same checks.

import ATModules
import ATRuntime

/// Decodes a fuzz input into modem bytes and host calls for one module's decoder, and
/// checks the decoder's promises on it.
///
/// Input format: bytes are modem output except that `0xFF` starts a host call:
/// `0xFF 0 n` begin form `n` (modulo the module's form count), `0xFF 1 n b…` the host sent
/// the next `n % 32` bytes after a prompt, `0xFF 2` abandon, `0xFF 3` a literal `0xFF`;
/// any other byte after `0xFF` is modem output, the `0xFF` included.
enum DecoderFuzz {
    /// A module with generated bindings: every one the index (`ATModules`) lists.
    struct Module: Sendable, CustomStringConvertible {
        /// The module's name (`SIM800`).
        let rawValue: String
        let type: any ATModule.Type

        init?(rawValue: String) {
            guard let type = ATModules.module(named: rawValue) else { return nil }
            self.rawValue = rawValue
            self.type = type
        }

        static var allCases: [Module] { ATModules.all.compactMap { Module(rawValue: $0.name) } }

        var descriptor: ModuleDescriptor { type.descriptor }
        var description: String { rawValue }
    }

    /// One step of the replay.
    enum Action: Equatable {
        case bytes([UInt8])
        case begin(Int)
        case sent([UInt8])
        case abandon
    }

    /// Small limits, so fuzzing reaches them.
    static let maxLineLength = 256
    static let maxDataLength = 512

    /// The steps encoded in `input`, with form indices reduced to `formCount`.
    static func decode(_ input: [UInt8], formCount: Int) -> [Action] {
        var actions: [Action] = []
        var pending: [UInt8] = []
        func flush() {
            if !pending.isEmpty { actions.append(.bytes(pending)) }
            pending.removeAll()
        }
        var index = 0
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
                let form = index < input.count ? Int(input[index]) : 0
                index += 1
                if formCount > 0 { actions.append(.begin(form % formCount)) }
            case 1:
                flush()
                let count = index < input.count ? Int(input[index]) % 32 : 0
                index += 1
                let end = min(input.count, index + count)
                actions.append(.sent(index < end ? Array(input[index..<end]) : []))
                index = max(index, end)
            case 2:
                flush()
                actions.append(.abandon)
            case 3:
                pending.append(0xFF)
            default:
                pending += [0xFF, op]
            }
        }
        flush()
        return actions
    }

    /// What a replay produced, or the bound it broke.
    struct Replay {
        var events: [DecodedEvent] = []
        var failure: String?
    }

    /// Replays `actions`, feeding modem bytes whole (`chunk` nil) or in chunks of sizes from `chunk`.
    static func replay(_ module: ModuleDescriptor, _ actions: [Action], chunk: ((Int) -> Int)?) -> Replay {
        var decoder = ATDecoder(module: module, maxLineLength: maxLineLength, maxDataLength: maxDataLength)
        var result = Replay()
        var feeds = 0
        for action in actions {
            switch action {
            case .begin(let form): decoder.begin(module.forms[form])
            case .sent(let bytes): decoder.sent(bytes)
            case .abandon: decoder.abandon()
            case .bytes(let bytes):
                var start = 0
                while start < bytes.count {
                    let end = min(bytes.count, start + max(1, chunk?(feeds) ?? bytes.count))
                    result.events += decoder.feed(bytes[start..<end])
                    feeds += 1
                    start = end
                    if decoder.bufferedByteCount > maxLineLength + maxDataLength, result.failure == nil {
                        result.failure = "bufferedByteCount \(decoder.bufferedByteCount) exceeds \(maxLineLength + maxDataLength)"
                    }
                }
            }
        }
        return result
    }

    /// Checks `module`'s decoder on `input`: the same events whole, byte by byte and in
    /// pseudo-random chunks; the framer's buffer within bounds; and every URC and final
    /// result the decoder matched is one the generated bindings type (they may throw a
    /// typed error for a bad field, never return nil). Nil when all hold.
    static func check(_ input: [UInt8], module: Module) -> String? {
        let descriptor = module.descriptor
        let actions = decode(input, formCount: descriptor.forms.count)
        let reference = replay(descriptor, actions, chunk: nil)
        if let failure = reference.failure { return failure }
        if let failure = typeCheck(reference.events, module) { return failure }
        var seed: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in input { seed = (seed ^ UInt64(byte)) &* 0x100_0000_01B3 }
        let cuts: [(String, (Int) -> Int)] = [
            ("byte by byte", { _ in 1 }),
            ("random chunks", { feed in Int((seed &+ UInt64(feed) &* 0x9E37_79B9_7F4A_7C15) >> 59) + 1 }),
        ]
        for (name, chunk) in cuts {
            let other = replay(descriptor, actions, chunk: chunk)
            if let failure = other.failure { return "\(name): \(failure)" }
            if other.events != reference.events {
                let at = zip(other.events, reference.events).prefix { $0 == $1 }.count
                let got = at < other.events.count ? "\(other.events[at])" : "nothing"
                let expected = at < reference.events.count ? "\(reference.events[at])" : "nothing"
                return "\(name) differs from whole at event \(at): \(got) instead of \(expected)"
            }
        }
        var generated = 0
        return differential(module.type, actions, cuts: cuts, generated: &generated)
    }

    /// Replays `actions` through the typed decoder of `M`, with its generated URC parsers or
    /// without them (every line interpreted), fed whole or in chunks of sizes from `chunk`.
    static func replayTyped<M: ATModule>(
        _ module: M.Type, _ actions: [Action], generated: Bool, chunk: ((Int) -> Int)?
    ) -> (events: [ATTypedEvent<M.URC>], generatedCount: Int, failure: String?) {
        var decoder = ATTypedDecoder<M>(maxLineLength: maxLineLength, maxDataLength: maxDataLength, generatedParsers: generated)
        var events: [ATTypedEvent<M.URC>] = []
        var failure: String?
        var feeds = 0
        for action in actions {
            switch action {
            case .begin(let form): decoder.begin(M.descriptor.forms[form])
            case .sent(let bytes): decoder.sent(bytes)
            case .abandon: decoder.abandon()
            case .bytes(let bytes):
                var start = 0
                while start < bytes.count {
                    let end = min(bytes.count, start + max(1, chunk?(feeds) ?? bytes.count))
                    decoder.feed(bytes[start..<end]) { events.append($0) }
                    feeds += 1
                    start = end
                    if decoder.bufferedByteCount > 2 * (maxLineLength + maxDataLength), failure == nil {
                        failure = "typed decoder: bufferedByteCount \(decoder.bufferedByteCount) exceeds \(2 * (maxLineLength + maxDataLength))"
                    }
                }
            }
        }
        events += decoder.finish()
        return (events, decoder.generatedCount, failure)
    }

    /// The differential check of the generated URC parsers: the typed decoder gives the same
    /// events with them as without them (every line interpreted), whole, byte by byte and in
    /// `cuts`. Nil when it holds; `generated` counts the URCs the parsers read.
    static func differential<M: ATModule>(_ module: M.Type, _ actions: [Action], cuts: [(String, (Int) -> Int)], generated: inout Int) -> String? {
        let reference = replayTyped(module, actions, generated: false, chunk: nil)
        if let failure = reference.failure { return failure }
        for (name, chunk) in [("whole", nil)] + cuts.map({ ($0.0, Optional($0.1)) }) {
            let other = replayTyped(module, actions, generated: true, chunk: chunk)
            if let failure = other.failure { return "\(name): \(failure)" }
            generated += other.generatedCount
            if other.events != reference.events {
                let at = zip(other.events, reference.events).prefix { $0 == $1 }.count
                let got = at < other.events.count ? "\(other.events[at])" : "nothing"
                let expected = at < reference.events.count ? "\(reference.events[at])" : "nothing"
                return "generated parsers, \(name), differ from the interpreting decoder at event \(at): \(got) instead of \(expected)"
            }
        }
        return nil
    }

    static func typeCheck(_ events: [DecodedEvent], _ module: Module) -> String? {
        typeCheck(events, module.type)
    }

    /// Checks the module called `name` (a fuzz harness's entry); a name no module has is a failure.
    static func check(_ input: [UInt8], moduleNamed name: String) -> String? {
        guard let module = Module(rawValue: name) else { return "no generated module \(name)" }
        return check(input, module: module)
    }

    static func typeCheck<M: ATModule>(_ events: [DecodedEvent], _ module: M.Type) -> String? {
        for event in events {
            switch event {
            case .urc(let match, _):
                do {
                    if try M.URC.decode(match) == nil { return "URC \(match.name) matched but the bindings do not know it" }
                } catch {}
            case .final(let name, _, _, let fields):
                do {
                    if try M.FinalResult.decode(name: name, fields: fields) == nil {
                        return "final result \(name) matched but the bindings do not know it"
                    }
                } catch {}
            default:
                break
            }
        }
        return nil
    }
}
