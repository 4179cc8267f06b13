// LineEnds.swift: finding the next CR or LF, and comparing prefixes, eight bytes at a time.

/// The search for line ends that the framer and the decoder share.
@usableFromInline enum LineEnds {
    /// The index of the first CR or LF in `bytes[start..<end]`, or `end` if there is none.
    ///
    /// Bytes are looked at eight at a time: a word has a byte equal to CR or LF when the
    /// word XOR that byte repeated has a zero byte, and the lowest zero byte is found
    /// exactly by the borrow trick below (bytes above it may be flagged falsely, never below).
    @usableFromInline static func first(in bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int {
        var index = start
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            while end - index >= 8 {
                let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                let found = zeroBytes(word ^ 0x0A0A_0A0A_0A0A_0A0A) | zeroBytes(word ^ 0x0D0D_0D0D_0D0D_0D0D)
                if found != 0 { return index + found.trailingZeroBitCount / 8 }
                index += 8
            }
        }
        while index < end, bytes[index] != FrameByte.lf, bytes[index] != FrameByte.cr { index += 1 }
        return index
    }

    /// The high bit of each byte of `word` that is zero (and possibly of bytes above the lowest such one).
    @inline(__always)
    static func zeroBytes(_ word: UInt64) -> UInt64 {
        (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080
    }
}

/// Byte comparison eight bytes at a time, for prefixes.
enum Bytes {
    /// True when the `count` bytes at `a` and `b` are equal.
    static func equal(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, count: Int) -> Bool {
        var index = 0
        let left = UnsafeRawPointer(a)
        let right = UnsafeRawPointer(b)
        while count - index >= 8 {
            if left.loadUnaligned(fromByteOffset: index, as: UInt64.self) != right.loadUnaligned(fromByteOffset: index, as: UInt64.self) {
                return false
            }
            index += 8
        }
        while index < count {
            if a[index] != b[index] { return false }
            index += 1
        }
        return true
    }
}
