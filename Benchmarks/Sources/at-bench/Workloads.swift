// Workloads.swift: the URC-heavy streams the runtime benchmarks decode, with their typed decoders and checksums.

import ATRuntime
import CBaseline
import FibocomL610
import SIM7672X
import SIM800

/// A stream of modem output made of one kind of URC, and how to type it.
struct Workload {
    /// What the stream holds, for the tables.
    let name: String
    /// The module whose descriptor decodes it.
    let module: ModuleDescriptor
    /// A decoder of the module, made once (its tables compiled): each run decodes with a fresh copy.
    var decoder: ATDecoder { Self.decoders[module.name] ?? ATDecoder(module: module) }
    static let decoders: [String: ATDecoder] = Dictionary(
        uniqueKeysWithValues: [SIM7672X.descriptor, SIM800.descriptor, FibocomL610.descriptor].map { ($0.name, ATDecoder(module: $0)) })
    /// The bytes, CR LF line ends.
    let bytes: [UInt8]
    /// How many URCs the stream holds.
    let messages: Int
    /// The checksum of every URC's values, computed while building the stream.
    let expected: UInt64
    /// Types one URC the decoder matched and returns its checksum; nil when it did not type.
    let typed: (URCMatch) -> UInt64?
    /// The naive hand-written Swift baseline (split into lines and fields as strings): URC count and checksum.
    let baseline: ([UInt8]) -> (count: Int, checksum: UInt64)
    /// The careful hand-written Swift parser (unsafe buffers, memchr, no allocation).
    let careful: ([UInt8]) -> (count: Int, checksum: UInt64)
    /// The hand-written C parser.
    let c: ([UInt8]) -> (count: Int, checksum: UInt64)
    /// Decodes with the generated parsers (``ATTypedDecoder``) in feeds of the given size: events, typed URCs, checksum.
    let generated: ([UInt8], Int) -> (events: Int, urcs: Int, checksum: UInt64)
}

extension Workload {
    /// A C parser as a Swift function.
    static func c(_ parse: @escaping (UnsafePointer<UInt8>?, Int) -> cb_result) -> ([UInt8]) -> (count: Int, checksum: UInt64) {
        { bytes in
            let result = bytes.withUnsafeBufferPointer { parse($0.baseAddress, $0.count) }
            return (Int(result.count), result.checksum)
        }
    }

    /// The generated parsers of `M` through ``ATTypedDecoder``, each typed URC folded by `sum`.
    static func generated<M: ATModule>(_ module: M.Type, _ sum: @escaping (M.URC) -> UInt64?) -> ([UInt8], Int) -> (events: Int, urcs: Int, checksum: UInt64) {
        // Made once, as an application makes one per connection: each run decodes with a fresh copy.
        let fresh = ATTypedDecoder<M>()
        return { bytes, chunk in
            var decoder = fresh
            var events = 0
            var urcs = 0
            var checksum: UInt64 = 0
            RuntimeBenchmark.chunks(bytes, chunk) { slice in
                decoder.feed(slice) { event in
                    events += 1
                    if case .urc(let urc) = event, let value = sum(urc) {
                        urcs += 1
                        checksum &+= value
                    }
                }
            }
            return (events, urcs, checksum)
        }
    }
}

/// Folds values into a checksum: integers as they are, text and bytes by length, first and last byte.
enum Checksum {
    static func of(_ values: Int...) -> UInt64 {
        var sum: UInt64 = 0
        for value in values { sum &+= UInt64(bitPattern: Int64(value)) }
        return sum
    }

    static func of(_ bytes: some BidirectionalCollection<UInt8>) -> UInt64 {
        guard let first = bytes.first, let last = bytes.last else { return 0 }
        return UInt64(bytes.count) &+ UInt64(first) &* 3 &+ UInt64(last) &* 7
    }

    static func of(_ text: String) -> UInt64 { of(text.utf8) }
}

/// A deterministic source of numbers, so every run decodes the same bytes.
struct SplitMix {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    /// Printable bytes without commas, quotes or line ends, like a sensor reading.
    mutating func text(_ count: Int) -> [UInt8] {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ;=._-:".utf8)
        return (0..<count).map { _ in alphabet[below(alphabet.count)] }
    }

    /// A 10-byte topic: `room/` and five digits.
    mutating func topic() -> [UInt8] {
        let digits = String(100_000 + below(900_000)).utf8.suffix(5)
        return Array("room/".utf8) + digits
    }
}

enum Workloads {
    /// All streams, `count` URCs each, payloads of `payload` bytes.
    static func all(count: Int, payload: Int = 60) -> [Workload] {
        [cmqttrx(count: count, payload: payload), smpublish(count: count, payload: payload), mqttmsg(count: count, payload: payload), connectionLost(count: count)]
    }

    /// SIM7672X `+CMQTTRXSTART` … `+CMQTTRXEND`: four lines and two raw blocks per message.
    static func cmqttrx(count: Int, payload: Int) -> Workload {
        var random = SplitMix(state: 1)
        var bytes: [UInt8] = []
        var expected: UInt64 = 0
        for _ in 0..<count {
            let client = random.below(2)
            let topic = random.topic()
            let body = random.text(payload)
            bytes += Array("+CMQTTRXSTART: \(client),\(topic.count),\(body.count)\r\n+CMQTTRXTOPIC: \(client),\(topic.count)\r\n".utf8)
            bytes += topic + [13, 10]
            bytes += Array("+CMQTTRXPAYLOAD: \(client),\(body.count)\r\n".utf8)
            bytes += body + [13, 10]
            bytes += Array("+CMQTTRXEND: \(client)\r\n".utf8)
            expected &+= Checksum.of(client, topic.count, body.count) &+ Checksum.of(topic) &+ Checksum.of(body)
        }
        return Workload(
            name: "SIM7672X +CMQTTRXSTART…END", module: SIM7672X.descriptor, bytes: bytes, messages: count, expected: expected,
            typed: { match in
                guard case .receivedMessage(let message)? = try? SIM7672X.URC.decode(match) else { return nil }
                return Checksum.of(message.clientIndex, message.topicTotalLength, message.payloadTotalLength) &+ Checksum.of(message.topic)
                    &+ Checksum.of(message.payload)
            },
            baseline: Baselines.cmqttrx, careful: CarefulBaselines.cmqttrx, c: Workload.c(cb_cmqttrx),
            generated: Workload.generated(SIM7672X.self) { urc in
                guard case .receivedMessage(let message) = urc else { return nil }
                return Checksum.of(message.clientIndex, message.topicTotalLength, message.payloadTotalLength) &+ Checksum.of(message.topic) &+ Checksum.of(message.payload)
            })
    }

    /// SIM800 `+SMPUBLISH: <id>,"<topic>",<len>,"<message>"`: one line per message.
    static func smpublish(count: Int, payload: Int) -> Workload {
        var random = SplitMix(state: 2)
        var bytes: [UInt8] = []
        var expected: UInt64 = 0
        for _ in 0..<count {
            let id = 1 + random.below(65535)
            let topic = random.topic()
            let body = random.text(payload)
            bytes += Array("+SMPUBLISH: \(id),\"".utf8) + topic + Array("\",\(body.count),\"".utf8) + body + Array("\"\r\n".utf8)
            expected &+= Checksum.of(id, body.count) &+ Checksum.of(topic) &+ Checksum.of(body)
        }
        return Workload(
            name: "SIM800 +SMPUBLISH", module: SIM800.descriptor, bytes: bytes, messages: count, expected: expected,
            typed: { match in
                guard case .message(let message)? = try? SIM800.URC.decode(match) else { return nil }
                return Checksum.of(message.packetID, message.messageLength) &+ Checksum.of(message.topic) &+ Checksum.of(message.message)
            },
            baseline: Baselines.smpublish, careful: CarefulBaselines.smpublish, c: Workload.c(cb_smpublish),
            generated: Workload.generated(SIM800.self) { urc in
                guard case .message(let message) = urc else { return nil }
                return Checksum.of(message.packetID, message.messageLength) &+ Checksum.of(message.topic) &+ Checksum.of(message.message)
            })
    }

    /// FibocomL610 `+MQTTMSG: <client>,<qos>,"<topic>","<payload>"`: one line per message.
    static func mqttmsg(count: Int, payload: Int) -> Workload {
        var random = SplitMix(state: 3)
        var bytes: [UInt8] = []
        var expected: UInt64 = 0
        for _ in 0..<count {
            let client = random.below(3)
            let qos = random.below(3)
            let topic = random.topic()
            let body = random.text(payload)
            bytes += Array("+MQTTMSG: \(client),\(qos),\"".utf8) + topic + Array("\",\"".utf8) + body + Array("\"\r\n".utf8)
            expected &+= Checksum.of(client, qos) &+ Checksum.of(topic) &+ Checksum.of(body)
        }
        return Workload(
            name: "FibocomL610 +MQTTMSG", module: FibocomL610.descriptor, bytes: bytes, messages: count, expected: expected,
            typed: { match in
                guard case .message(let message)? = try? FibocomL610.URC.decode(match) else { return nil }
                return Checksum.of(message.clientID, message.qos.rawValue) &+ Checksum.of(message.topic) &+ Checksum.of(message.payload)
            },
            baseline: Baselines.mqttmsg, careful: CarefulBaselines.mqttmsg, c: Workload.c(cb_mqttmsg),
            generated: Workload.generated(FibocomL610.self) { urc in
                guard case .message(let message) = urc else { return nil }
                return Checksum.of(message.clientID, message.qos.rawValue) &+ Checksum.of(message.topic) &+ Checksum.of(message.payload)
            })
    }

    /// SIM7672X `+CMQTTCONNLOST: <client>,<cause>`: a URC whose fields are all numbers.
    static func connectionLost(count: Int) -> Workload {
        var random = SplitMix(state: 4)
        var bytes: [UInt8] = []
        var expected: UInt64 = 0
        for _ in 0..<count {
            let client = random.below(2)
            let cause = 1 + random.below(3)
            bytes += Array("+CMQTTCONNLOST: \(client),\(cause)\r\n".utf8)
            expected &+= Checksum.of(client, cause)
        }
        return Workload(
            name: "SIM7672X +CMQTTCONNLOST (numbers only)", module: SIM7672X.descriptor, bytes: bytes, messages: count, expected: expected,
            typed: { match in
                guard case .connectionLost(let lost)? = try? SIM7672X.URC.decode(match) else { return nil }
                return Checksum.of(lost.clientIndex, lost.cause.rawValue)
            },
            baseline: Baselines.connectionLost, careful: CarefulBaselines.connectionLost, c: Workload.c(cb_connlost),
            generated: Workload.generated(SIM7672X.self) { urc in
                guard case .connectionLost(let lost) = urc else { return nil }
                return Checksum.of(lost.clientIndex, lost.cause.rawValue)
            })
    }
}
