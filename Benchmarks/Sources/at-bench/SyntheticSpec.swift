// SyntheticSpec.swift: grows a seed spec N-fold by appending renamed copies of its commands, URCs, rules and examples.

/// Builds large specs from a seed spec's text, for the generator's scaling benchmark.
///
/// Copy `k` of the commands, URCs, rules and examples has every command and URC id
/// renamed at the start of a word (`CMQTTSTART` → `CMQTTSTARTX3`, so `AT+CMQTTSTART`
/// and `+CMQTTSTART:` follow), every `swift_name` and example id suffixed, so the grown
/// spec still lints clean and every example still decodes.
enum SyntheticSpec {
    /// The sections whose entries are copied.
    static let grown = ["commands", "urcs", "rules", "examples"]

    /// A spec at least `factor` times the size of `seed`, in bytes.
    static func grow(_ seed: String, factor: Int) -> String {
        let lines = seed.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // Top-level sections: a line `name:` at column 0.
        var sections: [(name: String, header: String, body: [String])] = []
        var preamble: [String] = []
        for line in lines {
            if let first = line.first, first.isLetter, let colon = line.firstIndex(of: ":") {
                sections.append((String(line[..<colon]), line, []))
            } else if sections.isEmpty {
                preamble.append(line)
            } else {
                sections[sections.count - 1].body.append(line)
            }
        }
        // Only block sections (`commands:` alone on its line) are grown.
        func growable(_ header: String) -> Bool { header.hasSuffix(":") }
        var ids: [String] = []
        for section in sections where section.name == "commands" || section.name == "urcs" {
            for line in section.body where line.hasPrefix("  ") && !line.hasPrefix("   ") && line.hasSuffix(":") {
                ids.append(String(line.dropFirst(2).dropLast()))
            }
        }
        let grownBytes = sections.filter { grown.contains($0.name) && growable($0.header) }.reduce(0) { $0 + $1.body.reduce(0) { $0 + $1.utf8.count + 1 } }
        let seedBytes = seed.utf8.count
        let copies = grownBytes == 0 ? 0 : max(0, (factor * seedBytes - seedBytes + grownBytes - 1) / grownBytes)
        let stems = ids.sorted { $0.count > $1.count }.map { Array($0.utf8) }
        var out = preamble.joined(separator: "\n")
        if !preamble.isEmpty { out += "\n" }
        for section in sections {
            out += section.header + "\n"
            out += section.body.joined(separator: "\n") + "\n"
            guard grown.contains(section.name), growable(section.header) else { continue }
            let body = section.body.joined(separator: "\n")
            for copy in 1...max(1, copies) where copies > 0 {
                out += rename(body, stems: stems, suffix: "X\(copy)") + "\n"
            }
        }
        return out
    }

    /// Renames ids at word starts, suffixes `swift_name` values and example ids.
    static func rename(_ text: String, stems: [[UInt8]], suffix: String) -> String {
        let bytes = Array(text.utf8)
        let tag = Array(suffix.utf8)
        let lowerTag = Array(suffix.lowercased().utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 8)
        func isWord(_ byte: UInt8) -> Bool {
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F
        }
        let keys = [Array("swift_name: ".utf8), Array("- id: ".utf8)]
        func startsWith(_ literal: [UInt8], at index: Int) -> Bool {
            bytes.count - index >= literal.count && bytes[index..<(index + literal.count)].elementsEqual(literal)
        }
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            let atWordStart = index == 0 || !isWord(bytes[index - 1])
            if atWordStart, byte >= 0x41, byte <= 0x5A,
                let stem = stems.first(where: { bytes.count - index >= $0.count && bytes[index..<(index + $0.count)].elementsEqual($0) })
            {
                out += stem + tag
                index += stem.count
                continue
            }
            // `swift_name: name` and `- id: name`: suffix the value.
            if byte == 0x73 || byte == 0x2D, atWordStart || byte == 0x2D, let key = keys.first(where: { startsWith($0, at: index) }) {
                var end = index + key.count
                while end < bytes.count, isWord(bytes[end]) { end += 1 }
                out += bytes[index..<end]
                out += key == keys[1] ? [0x5F] + lowerTag : tag
                index = end
                continue
            }
            out.append(byte)
            index += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
