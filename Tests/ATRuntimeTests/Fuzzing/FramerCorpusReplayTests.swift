// FramerCorpusReplayTests.swift: every input the framer fuzzer saved (and its seeds) still holds the framer's fuzz property.

import ATRuntime
import Testing
import ATTestSupport

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite("Framer fuzz corpus")
struct FramerCorpusReplayTests {
    static let root = PackageRoot.path

    @Test func everySavedInputAndSeedHoldsTheProperty() {
        let inputs = CorpusFiles.load(Self.root + "/Tests/FuzzCorpus/framer") + CorpusFiles.load(Self.root + "/Fuzz/Seeds/framer")
        #expect(inputs.count >= 20)
        for (name, bytes) in inputs {
            #expect(FramerFuzz.check(bytes) == nil, "\(name)")
        }
    }

    @Test func theInputFormatCarriesLimitsAndHostCalls() {
        let input: [UInt8] = [16] + bytes("OK\r\n") + [0xFF, 0, 0xFF, 1, 3] + bytes("abc") + [0xFF, 2, 20, 0xFF, 3, 0xFF, 4, 0xFF, 9]
        let (configuration, actions) = FramerFuzz.decode(input)
        #expect(configuration.maxLineLength == 64)
        #expect(configuration.maxDataLength == 5)
        #expect(actions == [.bytes(bytes("OK\r\n")), .expectPrompt, .expectEcho(bytes("abc")), .expectData(4), .dropExpectations, .bytes([0xFF, 0xFF, 9])])
        #expect(FramerFuzz.check(input) == nil)
    }

    @Test func theReplaysCutTheSameBytesDifferently() {
        let (configuration, actions) = FramerFuzz.decode([35] + bytes("+CSQ: 20,99\r\n\r\nOK\r\n"))
        let whole = FramerFuzz.replay(configuration, actions, .whole)
        #expect(whole.events == [line("+CSQ: 20,99"), line("OK")])
        #expect(FramerFuzz.replay(configuration, actions, .byteByByte).events == whole.events)
        #expect(FramerFuzz.replay(configuration, actions, .random(seed: 7)).events == whole.events)
    }
}

/// The files of a corpus folder, by name, in name order; none when the folder does not exist.
enum CorpusFiles {
    static func load(_ folder: String) -> [(name: String, bytes: [UInt8])] {
        guard let directory = opendir(folder) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if !name.hasPrefix(".") { names.append(name) }
        }
        return names.sorted().compactMap { name in
            let fd = open(folder + "/" + name, O_RDONLY)
            guard fd >= 0 else { return nil }
            defer { close(fd) }
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if count <= 0 { break }
                bytes += chunk[0..<count]
            }
            return (name, bytes)
        }
    }
}
