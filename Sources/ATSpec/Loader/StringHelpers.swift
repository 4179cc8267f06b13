// StringHelpers.swift: small string and byte utilities the loader and lints share.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        let bytes = Array(utf8)
        var start = 0
        var end = bytes.count
        while start < end, bytes[start] == UInt8(ascii: " ") || bytes[start] == UInt8(ascii: "\t") { start += 1 }
        while end > start, bytes[end - 1] == UInt8(ascii: " ") || bytes[end - 1] == UInt8(ascii: "\t") { end -= 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
}

/// Scans of whole files: fast in every build, since a spec may be megabytes long.
enum ByteScan {
    /// The offset of the first `byte` in `bytes`, found with the C library's `memchr`.
    static func firstOffset(of byte: UInt8, in bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress, let hit = memchr(base, Int32(byte), buffer.count) else { return nil }
            return UnsafeRawPointer(hit) - UnsafeRawPointer(base)
        }
    }

    /// The offset where each line starts (line 1 at index 0), with lines ending as YAML ends
    /// them: LF, CR LF, a lone CR, and the UTF-8 of NEL, LS and PS.
    static func lineStarts(_ bytes: [UInt8]) -> [Int] {
        bytes.withUnsafeBufferPointer { buffer in
            var starts = [0]
            var index = 0
            let count = buffer.count
            while index < count {
                switch buffer[index] {
                case 0x0A:
                    starts.append(index + 1)
                case 0x0D:
                    if index + 1 < count, buffer[index + 1] == 0x0A { index += 1 }
                    starts.append(index + 1)
                case 0xC2 where index + 1 < count && buffer[index + 1] == 0x85:
                    index += 1
                    starts.append(index + 1)
                case 0xE2 where index + 2 < count && buffer[index + 1] == 0x80 && (buffer[index + 2] == 0xA8 || buffer[index + 2] == 0xA9):
                    index += 2
                    starts.append(index + 1)
                default:
                    break
                }
                index += 1
            }
            return starts
        }
    }

    /// The number of characters (UTF-8 sequences) in `bytes`: every byte but continuation bytes.
    static func characters(in bytes: ArraySlice<UInt8>) -> Int {
        bytes.withUnsafeBufferPointer { buffer in
            var count = 0
            for byte in buffer where byte & 0xC0 != 0x80 { count += 1 }
            return count
        }
    }
}
