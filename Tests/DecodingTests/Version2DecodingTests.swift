// Version2DecodingTests.swift: spec-language-2 lines as the decoder meets them, with the
// adversarial spec Tests/ATSpecTests/Fixtures/adversarial/Version2.yaml.

import ATRuntime
import ATSpec
import ATTestSupport
import Testing

@Suite("Decoding spec-language-2 lines")
struct Version2DecodingTests {
    static let module: ModuleDescriptor? = SpecLoader.load(path: PackageRoot.path + "/Tests/ATSpecTests/Fixtures/adversarial/Version2.yaml").spec.map(DescriptorBuilder.build)

    @Test func twoShapesUnderOnePrefixWithAndWithoutALengthDecodeWithoutAnError() throws {
        let module = try #require(Self.module)
        // The long shape's payload is framed by its length and holds bytes no text can: NUL, 0xFF, CR and a quote.
        let payload: [UInt8] = [0xFF, 0x00, 0x0D, 0x22]
        let stream = Array("+VRECV: 0,\"a\",\"hello\"\r\n+VRECV: 0,\"a\",4,\"".utf8) + payload + Array("\"\r\n".utf8)
        let events = Seeds.decode(module, stream) + Seeds.decode(module, stream, chunks: [1])
        var urcs: [URCMatch] = []
        for event in events {
            switch event {
            case .urc(let match, _): urcs.append(match)
            default: Issue.record("unexpected \(event)")
            }
        }
        #expect(urcs.map(\.name) == ["VRECV_SHORT", "VRECV_LONG", "VRECV_SHORT", "VRECV_LONG"])
        let long = try #require(urcs.dropFirst().first)
        #expect(ATFieldReader(long.fields, expected: "").optionalBytes("payload") == payload)
        #expect(try ATFieldReader(urcs[0].fields, expected: "").bytes("payload") == Array("hello".utf8))
    }

    @Test func aRepeatedListAndAResultOfSeveralShapesAreTyped() throws {
        let module = try #require(Self.module)
        let events = Seeds.decode(module, Array("AT+VSUB=0,1,\"a\",1,\"b\",2\r\nOK\r\n+VSUB: 0,1,1,3\r\n".utf8))
        guard events.count == 3, case .command(_, _, _, let fields) = events[0], case .deferred(_, _, let shape, _, let result) = events[2] else {
            Issue.record("\(events)")
            return
        }
        #expect(fields.map(\.name) == ["client", "msg_id", "topic", "qos", "topic", "qos"])
        #expect(shape == 1, "the retrying shape")
        #expect(result.map(\.text) == ["0", "1", "3"])
    }
}
