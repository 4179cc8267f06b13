// EncodingPropertyTests.swift: every command form of every module round-trips random valid values, and no string smuggles a line end.

import ATRuntime
import ATSpec
import SIM800
import Foundation
import ATTestSupport
import Testing

@Suite("Encoding properties")
struct EncodingPropertyTests {
    static let specs = SpecFolder.names
    static let trials = 30
    /// Bytes that end a line or a command, or escape; a written line holds one CR, at its end.
    static let lineBreaking: Set<UInt8> = [0x00, 0x0A, 0x0D, 0x1A, 0x1B]

    /// Every form of every command in the generated descriptors is written with random values
    /// its spec allows (each optional group present or not), then read back three ways: the
    /// form's own match, the decoder with the form in flight (the modem's echo), and the
    /// module-wide lookup a transcript uses. All three give the values that were written.
    @Test(arguments: specs)
    func everyCommandFormRoundTripsRandomValidValues(_ name: String) throws {
        let spec = try Seeds.spec(name)
        let module = try #require(Seeds.modules[name])
        var maker = ValueMaker(seed: UInt64(name.utf8.count) &* 0x5EED)
        var checked = 0
        for form in module.forms {
            let parameters = spec.commands.first { $0.id == form.command }?.parameters ?? []
            for _ in 0..<Self.trials {
                let written = maker.write(form, parameters: parameters)
                let line = written.line
                // Secret values are captured, marked as such, and never shown in the event's text.
                let expected = written.expected.map { field in
                    var field = field
                    field.secret = parameters.first { $0.name == field.name }?.secret ?? false
                    return field
                }
                var shown = line
                for field in expected where field.secret {
                    let value = field.quoted ? "\"\(field.text)\"" : field.text
                    let replacement = field.quoted ? "\"<redacted>\"" : "<redacted>"
                    if let range = shown.range(of: value, options: .backwards) { shown.replaceSubrange(range, with: replacement) }
                }
                #expect(written.bytes.last == 0x0D)
                #expect(!written.bytes.dropLast().contains { Self.lineBreaking.contains($0) }, "\(line)")
                #expect(form.match(line) == expected, "\(form.command) \(form.name): \(line)")

                var decoder = ATDecoder(module: module)
                decoder.begin(form)
                let events = decoder.feed(written.bytes + [0x0A])
                #expect(events == [.command(command: form.command, form: form.name, line: shown, fields: expected)], "\(line)")

                let found = module.form(matching: line)
                #expect(found?.0.command == form.command, "\(line) is taken for \(found?.0.command ?? "nothing")")
                if found?.0.name == form.name { #expect(found?.1 == expected, "\(line)") }
                checked += 1
            }
        }
        #expect(checked == module.forms.count * Self.trials)
    }

    /// Every string parameter of every command form, given hostile strings (CR, LF, NUL, Ctrl-Z,
    /// ESC, quotes, commas, semicolons, non-ASCII): the spec's rules, as the generated
    /// initializers apply them through `ATValidator`, either reject the string naming the
    /// parameter and the offending byte, or accept it, and then the written line has its one CR
    /// at the end and reads back with the same value.
    @Test(arguments: specs)
    func everyStringParameterEncodesSafelyOrIsRejected(_ name: String) throws {
        let spec = try Seeds.spec(name)
        let module = try #require(Seeds.modules[name])
        var maker = ValueMaker(seed: UInt64(name.utf8.count) &* 0xBAD)
        var accepted = 0
        var rejected = 0
        for form in module.forms {
            guard let command = spec.commands.first(where: { $0.id == form.command }) else { continue }
            for parameterName in form.syntax.parameterNames {
                guard let parameter = command.parameter(parameterName), parameter.type == .string else { continue }
                let validator = ATValidator(command: form.syntax.prefix, source: name)
                for trial in 0..<60 {
                    var value = maker.hostileString()
                    if trial % 3 == 0 { value = maker.string(parameter) }  // some that pass, to check the accepted side
                    do {
                        try validator.string(
                            value, parameter.name, quoted: parameter.quoted, length: parameter.length?.value.ranges, "",
                            charset: parameter.charset)
                    } catch {
                        rejected += 1
                        #expect(error.parameter == parameter.name)
                        let bytes = Array(value.utf8)
                        switch error.reason {
                        case .forbiddenByte(let byte, let offset):
                            #expect(offset < bytes.count && bytes[offset] == byte)
                        case .notInCharset(_, let offset):
                            #expect(offset < bytes.count && (bytes[offset] < 0x20 || bytes[offset] > 0x7E))
                        case .lengthOutOfRange(let count, _):
                            #expect(count == bytes.count)
                        case .emptyUnquoted:
                            #expect(bytes.isEmpty && !parameter.quoted)
                        default:
                            Issue.record("unexpected reason \(error.reason) for \(value.debugDescription)")
                        }
                        continue
                    }
                    accepted += 1
                    let written = maker.write(form, parameters: command.parameters, forced: parameter.name, forcedValue: value)
                    #expect(written.bytes.last == 0x0D)
                    #expect(!written.bytes.dropLast().contains { Self.lineBreaking.contains($0) }, "\(value.debugDescription)")
                    let field = form.match(written.line)?.first { $0.name == parameter.name }
                    // A bare value after a comma is read from after the comma's spaces (`+X: 1, 2`), so its
                    // leading spaces are not kept.
                    let trimmed = String(value.drop { $0 == " " })
                    #expect(field?.text == value || (!parameter.quoted && field?.text == trimmed), "\(form.command) \(parameter.name) = \(value.debugDescription)")
                }
            }
        }
        #expect(accepted > 0)
        #expect(rejected > 0)
    }

    /// Found by the property above: an empty unquoted value wrote `AT+FSCREATE=`, which reads
    /// back as no value at all; it is now rejected.
    @Test func anEmptyUnquotedValueIsRejected() {
        #expect(throws: ATParameterError(command: "AT+FSCREATE", parameter: "filename", reason: .emptyUnquoted, source: "SIM800.yaml, zh 4.2")) {
            try SIM800.CreateFile.Write(filename: "")
        }
        #expect(throws: Never.self) { try SIM800.CreateFile.Write(filename: "C:\\USER\\A.CRT") }
        let error = ATParameterError(command: "AT+FSCREATE", parameter: "filename", reason: .emptyUnquoted, source: "SIM800.yaml, zh 4.2")
        #expect(error.description == "AT+FSCREATE: filename is empty; a value written without quotes needs at least one byte (SIM800.yaml, zh 4.2)")
    }
}
