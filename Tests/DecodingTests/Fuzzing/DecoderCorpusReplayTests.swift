// DecoderCorpusReplayTests.swift: every input the decoder fuzzers saved (and their seeds) still holds the decoder's fuzz property.

import ATRuntime
import ATSpec
import Testing

@Suite("Decoder fuzz corpus")
struct DecoderCorpusReplayTests {
    /// The inputs of a corpus folder; none when it does not exist.
    static func inputs(_ folder: String) -> [(name: String, bytes: [UInt8])] {
        guard case .success(let files) = FileIO.listFiles(at: Seeds.root + "/" + folder, extensions: [""]) else { return [] }
        return files.compactMap { path in
            guard case .success(let bytes) = FileIO.readFile(path) else { return nil }
            return (path, bytes)
        }
    }

    @Test(arguments: DecoderFuzz.Module.allCases)
    func everySavedInputAndSeedHoldsTheProperty(_ module: DecoderFuzz.Module) {
        let name = module.rawValue
        // The saved inputs, the harness's seeds, and every example of the module's spec as the line carries it.
        var inputs = Self.inputs("Tests/FuzzCorpus/decoder-\(name)") + Self.inputs("Fuzz/Seeds/decoder-\(name)")
        if let spec = try? Seeds.spec(name) { inputs += spec.examples.map { ("\(name).yaml example \($0.id)", Seeds.bytes($0, DescriptorBuilder.build(spec))) } }
        #expect(inputs.count >= 2)
        for (path, bytes) in inputs {
            #expect(DecoderFuzz.check(bytes, module: module) == nil, "\(path)")
        }
    }

    @Test func theInputFormatCarriesHostCalls() {
        let input: [UInt8] = Array("AT+X\r".utf8) + [0xFF, 0, 7, 0xFF, 1, 2, 0x61, 0x62, 0xFF, 2, 0xFF, 3, 0xFF, 9]
        #expect(DecoderFuzz.decode(input, formCount: 5) == [.bytes(Array("AT+X\r".utf8)), .begin(2), .sent([0x61, 0x62]), .abandon, .bytes([0xFF, 0xFF, 9])])
        #expect(DecoderFuzz.decode([0xFF, 0, 7], formCount: 0) == [])
    }

    @Test func theTypeCheckRejectsAURCTheBindingsDoNotKnow() throws {
        let sim7672x = try #require(DecoderFuzz.Module(rawValue: "SIM7672X"))
        let sim800 = try #require(DecoderFuzz.Module(rawValue: "SIM800"))
        let unknown = DecodedEvent.urc(URCMatch(name: "NOSUCHURC", fields: []), lines: ["+NOSUCH: 1"])
        #expect(DecoderFuzz.typeCheck([unknown], sim7672x) == "URC NOSUCHURC matched but the bindings do not know it")
        let unknownFinal = DecodedEvent.final(name: "nosuchfinal", isSuccess: true, line: "YES", fields: [])
        #expect(DecoderFuzz.typeCheck([unknownFinal], sim800) == "final result nosuchfinal matched but the bindings do not know it")
        #expect(DecoderFuzz.Module(rawValue: "NoSuchModule") == nil)
    }
}
