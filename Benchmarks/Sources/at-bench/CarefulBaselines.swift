// CarefulBaselines.swift: the C parsers' algorithm in Swift (unsafe buffers, no allocation): what a careful Swift programmer writes by hand.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Hand-written Swift parsers of the four streams, line by line as the C ones are.
enum CarefulBaselines {
    typealias Buffer = UnsafeBufferPointer<UInt8>

    @inline(__always)
    static func sum(_ bytes: Buffer, _ start: Int, _ count: Int) -> UInt64 {
        guard count > 0 else { return 0 }
        return UInt64(count) &+ UInt64(bytes[start]) &* 3 &+ UInt64(bytes[start + count - 1]) &* 7
    }

    /// A non-negative integer at `index` (below `end`); -1 when there is none.
    @inline(__always)
    static func integer(_ bytes: Buffer, _ index: inout Int, _ end: Int) -> Int {
        guard index < end, bytes[index] &- 48 < 10 else { return -1 }
        var value = 0
        while index < end, bytes[index] &- 48 < 10 {
            value = value &* 10 &+ Int(bytes[index] &- 48)
            index += 1
        }
        return value
    }

    @inline(__always)
    static func starts(_ bytes: Buffer, _ index: Int, _ end: Int, _ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard end - index >= count else { return false }
        let expected = literal.utf8Start
        for offset in 0..<count where bytes[index + offset] != expected[offset] { return false }
        return true
    }

    /// The index of the first `byte` in `bytes[start..<end]`, or `end`.
    @inline(__always)
    static func find(_ byte: UInt8, _ bytes: Buffer, _ start: Int, _ end: Int) -> Int {
        guard start < end, let base = bytes.baseAddress else { return end }
        guard let found = memchr(base + start, Int32(byte), end - start) else { return end }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    /// The line's end at `index`: the CR of its CR LF, or its LF, or `end`.
    @inline(__always)
    static func lineEnd(_ bytes: Buffer, _ index: Int, _ end: Int) -> Int {
        let lf = find(0x0A, bytes, index, end)
        return lf < end && lf > index && bytes[lf - 1] == 0x0D ? lf - 1 : lf
    }

    @inline(__always)
    static func afterLineEnd(_ bytes: Buffer, _ index: Int, _ end: Int) -> Int {
        var index = index
        if index < end, bytes[index] == 0x0D { index += 1 }
        if index < end, bytes[index] == 0x0A { index += 1 }
        return index
    }

    static func cmqttrx(_ input: [UInt8]) -> (count: Int, checksum: UInt64) {
        input.withUnsafeBufferPointer { bytes in
            var count = 0
            var checksum: UInt64 = 0
            var index = 0
            let end = bytes.count
            var client = -1
            var totals = (0, 0)
            var data: UInt64 = 0
            while index < end {
                let eol = lineEnd(bytes, index, end)
                if starts(bytes, index, eol, "+CMQTTRXSTART: ") {
                    var cursor = index + 15
                    client = integer(bytes, &cursor, eol)
                    cursor += 1
                    totals.0 = integer(bytes, &cursor, eol)
                    cursor += 1
                    totals.1 = integer(bytes, &cursor, eol)
                    data = 0
                    index = afterLineEnd(bytes, eol, end)
                } else if starts(bytes, index, eol, "+CMQTTRXTOPIC: ") || starts(bytes, index, eol, "+CMQTTRXPAYLOAD: ") {
                    var cursor = find(UInt8(ascii: ","), bytes, index, eol) + 1
                    let length = integer(bytes, &cursor, eol)
                    index = afterLineEnd(bytes, eol, end)
                    guard length >= 0, length <= end - index else { break }
                    data &+= sum(bytes, index, length)
                    index = afterLineEnd(bytes, index + length, end)
                } else if starts(bytes, index, eol, "+CMQTTRXEND: ") {
                    if client >= 0 {
                        count += 1
                        checksum &+= UInt64(client) &+ UInt64(totals.0) &+ UInt64(totals.1) &+ data
                    }
                    client = -1
                    index = afterLineEnd(bytes, eol, end)
                } else {
                    index = afterLineEnd(bytes, eol, end)
                }
            }
            return (count, checksum)
        }
    }

    static func smpublish(_ input: [UInt8]) -> (count: Int, checksum: UInt64) {
        input.withUnsafeBufferPointer { bytes in
            var count = 0
            var checksum: UInt64 = 0
            var index = 0
            let end = bytes.count
            while index < end {
                if starts(bytes, index, end, "+SMPUBLISH: ") {
                    var cursor = index + 12
                    let id = integer(bytes, &cursor, end)
                    if id >= 0, end - cursor > 2, bytes[cursor] == UInt8(ascii: ","), bytes[cursor + 1] == UInt8(ascii: "\"") {
                        let topic = cursor + 2
                        let close = find(UInt8(ascii: "\""), bytes, topic, end)
                        if close + 1 < end, bytes[close + 1] == UInt8(ascii: ",") {
                            cursor = close + 2
                            let length = integer(bytes, &cursor, end)
                            if length >= 0, end - cursor > length + 2, bytes[cursor] == UInt8(ascii: ","), bytes[cursor + 1] == UInt8(ascii: "\""),
                                bytes[cursor + 2 + length] == UInt8(ascii: "\"")
                            {
                                count += 1
                                checksum &+= UInt64(id) &+ UInt64(length) &+ sum(bytes, topic, close - topic) &+ sum(bytes, cursor + 2, length)
                                index = afterLineEnd(bytes, cursor + 3 + length, end)
                                continue
                            }
                        }
                    }
                }
                index = afterLineEnd(bytes, lineEnd(bytes, index, end), end)
            }
            return (count, checksum)
        }
    }

    static func mqttmsg(_ input: [UInt8]) -> (count: Int, checksum: UInt64) {
        input.withUnsafeBufferPointer { bytes in
            var count = 0
            var checksum: UInt64 = 0
            var index = 0
            let end = bytes.count
            while index < end {
                let eol = lineEnd(bytes, index, end)
                if starts(bytes, index, eol, "+MQTTMSG: ") {
                    var cursor = index + 10
                    let client = integer(bytes, &cursor, eol)
                    cursor += 1
                    let qos = integer(bytes, &cursor, eol)
                    if client >= 0, qos >= 0, eol - cursor > 2, bytes[cursor] == UInt8(ascii: ","), bytes[cursor + 1] == UInt8(ascii: "\"") {
                        let topic = cursor + 2
                        let close = find(UInt8(ascii: "\""), bytes, topic, eol)
                        if eol - close > 3, bytes[close + 1] == UInt8(ascii: ","), bytes[close + 2] == UInt8(ascii: "\""), bytes[eol - 1] == UInt8(ascii: "\"") {
                            count += 1
                            checksum &+= UInt64(client) &+ UInt64(qos) &+ sum(bytes, topic, close - topic) &+ sum(bytes, close + 3, eol - 1 - (close + 3))
                        }
                    }
                }
                index = afterLineEnd(bytes, eol, end)
            }
            return (count, checksum)
        }
    }

    static func connectionLost(_ input: [UInt8]) -> (count: Int, checksum: UInt64) {
        input.withUnsafeBufferPointer { bytes in
            var count = 0
            var checksum: UInt64 = 0
            var index = 0
            let end = bytes.count
            while index < end {
                let eol = lineEnd(bytes, index, end)
                if starts(bytes, index, eol, "+CMQTTCONNLOST: ") {
                    var cursor = index + 16
                    let client = integer(bytes, &cursor, eol)
                    cursor += 1
                    let cause = integer(bytes, &cursor, eol)
                    if client >= 0, cause >= 0, cursor == eol {
                        count += 1
                        checksum &+= UInt64(client) &+ UInt64(cause)
                    }
                }
                index = afterLineEnd(bytes, eol, end)
            }
            return (count, checksum)
        }
    }
}
