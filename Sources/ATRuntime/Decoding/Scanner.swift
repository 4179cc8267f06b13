// Scanner.swift: the cursor the generated URC parsers read fields with, straight from the received bytes.

/// A cursor over received bytes at a line start, for the URC parsers `at-bindgen` generates.
///
/// A generated parser reads a URC's prefix and fields in the order its syntax writes them:
/// integers parsed from the digits, quoted text and data copied once from the input, data
/// of a declared length read in place. It reads only what the interpreting decoder
/// (``ATDecoder``) would read the same way: each method fails (returns nil or false) on any
/// byte it does not expect, and the parser then gives up on the line so that the interpreting
/// decoder decides. When a read needs bytes beyond the end of the input, ``exhausted`` is
/// set: the line may still turn out to be the URC once more bytes arrive.
///
/// ```swift
/// Array("+CMQTTCONNLOST: 0,1\r\n".utf8).withUnsafeBufferPointer { bytes in
///     var s = ATScanner(bytes)
///     guard s.take("+CMQTTCONNLOST:"), let client = s.integer(), s.comma(), let cause = s.integer(), s.end() else { return }
///     print(client, cause, s.position)  // 0 1 21
/// }
/// ```
public struct ATScanner {
    /// The input.
    @usableFromInline let bytes: UnsafeBufferPointer<UInt8>
    /// The next byte to read.
    @usableFromInline var cursor: Int
    /// The next byte to read.
    public var position: Int { cursor }
    /// Where the current line started.
    @usableFromInline var lineStart: Int
    /// Bytes of the current line read as data of a declared length (they do not count against the line's length).
    @usableFromInline var sizedInLine = 0
    /// Bytes of data read so far, over all the lines of the URC.
    @usableFromInline var dataCount = 0
    /// The bounds of the decoder the scanner reads for.
    @usableFromInline let maxLineLength: Int
    @usableFromInline let maxDataLength: Int
    /// A read needed a byte beyond the input's end.
    @usableFromInline var ranOut = false
    /// True when a read needed a byte beyond the input's end: more input may make the line match.
    public var exhausted: Bool { ranOut }

    /// A scanner reading `bytes` from `position`, for a decoder with the given bounds.
    @inlinable
    public init(_ bytes: UnsafeBufferPointer<UInt8>, at position: Int = 0, maxLineLength: Int = 4096, maxDataLength: Int = 65536) {
        self.bytes = bytes
        cursor = position
        lineStart = position
        self.maxLineLength = maxLineLength
        self.maxDataLength = maxDataLength
    }

    /// The byte at `index`; nil (and ``exhausted`` set) past the input's end.
    @inlinable @inline(__always)
    mutating func byte(_ index: Int) -> UInt8? {
        guard index < bytes.count else {
            ranOut = true
            return nil
        }
        return bytes[index]
    }

    /// The next byte, not taken; nil (and ``exhausted`` set) at the input's end.
    @inlinable
    public mutating func peekByte() -> UInt8? { byte(cursor) }

    /// True when the input continues with `prefix` (nothing is taken). When the input ends
    /// inside it, false with ``exhausted`` set.
    @inlinable
    public mutating func peek(_ prefix: StaticString) -> Bool {
        let mark = cursor
        defer { cursor = mark }
        return take(prefix)
    }

    /// Reads `prefix` when the input continues with it; a prefix ending in `:` takes the spaces after it.
    @inlinable
    public mutating func take(_ prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        let expected = prefix.utf8Start
        if bytes.count - cursor >= count, let base = bytes.baseAddress {
            guard Self.equal(base + cursor, expected, count) else { return false }
        } else {
            for offset in 0..<count {
                guard let byte = byte(cursor + offset) else { return false }
                if byte != expected[offset] { return false }
            }
        }
        cursor += count
        if count > 0, expected[count - 1] == UInt8(ascii: ":") { skipSpaces() }
        return true
    }

    @inlinable @inline(__always)
    static func equal(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        var index = 0
        let left = UnsafeRawPointer(a)
        let right = UnsafeRawPointer(b)
        while count - index >= 8 {
            if left.loadUnaligned(fromByteOffset: index, as: UInt64.self) != right.loadUnaligned(fromByteOffset: index, as: UInt64.self) { return false }
            index += 8
        }
        while index < count {
            if a[index] != b[index] { return false }
            index += 1
        }
        return true
    }

    @inlinable @inline(__always)
    mutating func skipSpaces() {
        while cursor < bytes.count, bytes[cursor] == UInt8(ascii: " ") { cursor += 1 }
    }

    /// A decimal integer, `-` allowed, of at most 18 digits.
    @inlinable
    public mutating func integer() -> Int? {
        var index = cursor
        let negative = index < bytes.count && bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        let digits = index
        var value = 0
        while index < bytes.count {
            let digit = bytes[index] &- UInt8(ascii: "0")
            if digit >= 10 { break }
            value = value &* 10 &+ Int(digit)
            index += 1
        }
        guard index < bytes.count else {
            ranOut = true  // the number may go on
            return nil
        }
        guard index > digits, index - digits <= 18 else { return nil }
        cursor = index
        return negative ? -value : value
    }

    /// An integer that is `0` or `1`.
    @inlinable
    public mutating func flag() -> Bool? {
        let mark = cursor
        switch integer() {
        case 0: return false
        case 1: return true
        default:
            cursor = mark
            return nil
        }
    }

    /// A comma, and the spaces after it.
    @inlinable
    public mutating func comma() -> Bool {
        guard let byte = byte(cursor), byte == UInt8(ascii: ",") else { return false }
        cursor += 1
        skipSpaces()
        return true
    }

    /// The content of a quoted value (it ends at the first `"`; it holds no line end).
    @inlinable
    public mutating func quoted() -> Range<Int>? {
        guard let open = byte(cursor), open == UInt8(ascii: "\"") else { return nil }
        let start = cursor + 1
        let close = Self.firstQuoteOrLineEnd(bytes, from: start)
        guard close < bytes.count else {
            ranOut = true
            return nil
        }
        guard bytes[close] == UInt8(ascii: "\"") else { return nil }
        cursor = close + 1
        return start..<close
    }

    /// A quoted value as text (bytes that are not UTF-8 become U+FFFD, as in the decoder's fields).
    @inlinable
    public mutating func quotedString() -> String? {
        guard let range = quoted() else { return nil }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    /// A quoted value's bytes, as the decoder types a data field it did not frame by length:
    /// the UTF-8 of its text.
    @inlinable
    public mutating func quotedBytes() -> [UInt8]? {
        guard let range = quoted() else { return nil }
        let content = UnsafeBufferPointer(rebasing: bytes[range])
        if content.allSatisfy({ $0 < 0x80 }) { return Array(content) }
        return Array(String(decoding: content, as: UTF8.self).utf8)
    }

    /// A quoted value of exactly `count` bytes, whatever they are (quotes and line ends included).
    @inlinable
    public mutating func sized(_ count: Int) -> Range<Int>? {
        guard count >= 0, count <= maxDataLength, let open = byte(cursor), open == UInt8(ascii: "\"") else { return nil }
        let close = cursor + 1 + count
        guard let quote = byte(close), quote == UInt8(ascii: "\"") else { return nil }
        let range = (cursor + 1)..<close
        cursor = close + 1
        sizedInLine += count
        return range
    }

    /// A quoted value of exactly `count` bytes, as they came.
    @inlinable
    public mutating func sizedBytes(_ count: Int) -> [UInt8]? {
        sized(count).map { Array(UnsafeBufferPointer(rebasing: bytes[$0])) }
    }

    /// A quoted value of exactly `count` bytes, as text.
    @inlinable
    public mutating func sizedString(_ count: Int) -> String? {
        sized(count).map { String(decoding: UnsafeBufferPointer(rebasing: bytes[$0]), as: UTF8.self) }
    }

    /// The line's end: blanks, then a CR, LF or CR LF (taken). False for any other byte, and
    /// for a line longer than the decoder takes.
    @inlinable
    public mutating func end() -> Bool {
        var index = cursor
        while index < bytes.count, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t") { index += 1 }
        guard let byte = byte(index), byte == 0x0D || byte == 0x0A else { return false }
        // A line as long as the decoder's limit (the content of a declared length aside) is its to judge.
        guard index - lineStart - sizedInLine + 2 <= maxLineLength else { return false }
        index += 1
        if byte == 0x0D, index < bytes.count, bytes[index] == 0x0A { index += 1 }
        cursor = index
        lineStart = index
        sizedInLine = 0
        return true
    }

    /// Skips blank lines (line end bytes) between the lines of a multi-part URC.
    @inlinable
    public mutating func skipLineEnds() {
        while cursor < bytes.count, bytes[cursor] == 0x0D || bytes[cursor] == 0x0A { cursor += 1 }
        lineStart = cursor
    }

    /// A raw block of `count` bytes right after a line, appended to `data`.
    @inlinable
    public mutating func data(_ count: Int, into data: inout [UInt8]) -> Bool {
        guard count >= 0, count <= maxDataLength, dataCount + count <= maxDataLength else { return false }
        guard bytes.count - cursor >= count else {
            ranOut = true
            return false
        }
        let block = UnsafeBufferPointer(rebasing: bytes[cursor..<(cursor + count)])
        if data.isEmpty {
            data = Array(block)
        } else {
            data.append(contentsOf: block)
        }
        cursor += count
        dataCount += count
        lineStart = cursor
        return true
    }

    /// The index of the first `"`, CR or LF at or after `start`, or the input's count; eight bytes at a time.
    @inlinable
    static func firstQuoteOrLineEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        let end = bytes.count
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            while end - index >= 8 {
                let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                let found = zeroBytes(word ^ 0x2222_2222_2222_2222) | zeroBytes(word ^ 0x0A0A_0A0A_0A0A_0A0A) | zeroBytes(word ^ 0x0D0D_0D0D_0D0D_0D0D)
                if found != 0 { return index + found.trailingZeroBitCount / 8 }
                index += 8
            }
        }
        while index < end, bytes[index] != UInt8(ascii: "\""), bytes[index] != 0x0A, bytes[index] != 0x0D { index += 1 }
        return index
    }

    /// The high bit of each zero byte of `word` (bytes above the lowest one may be flagged falsely, never below).
    @inlinable @inline(__always)
    static func zeroBytes(_ word: UInt64) -> UInt64 {
        (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080
    }
}
