// ValueMaker.swift: random values a spec's parameter definitions allow, and command lines written from them.

import ATRuntime
import ATSpec
import ATTestSupport

/// Makes random values that a parameter's definition allows (range, named values, byte
/// length, character set, format), and hostile strings that it may not.
struct ValueMaker {
    var random: SplitMix64

    init(seed: UInt64) { random = SplitMix64(seed: seed) }

    mutating func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &random) < percent }

    mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &random)] }

    /// An integer the parameter allows: a named value, a value in its range, 0 or 1 for a flag.
    mutating func integer(_ parameter: Parameter?) -> Int {
        guard let parameter else { return Int.random(in: 0...9999, using: &random) }
        if parameter.type == .flag { return Int.random(in: 0...1, using: &random) }
        if let ranges = parameter.range?.value.ranges, !ranges.isEmpty {
            let range = pick(ranges)
            if chance(20) { return chance(50) ? range.lowerBound : range.upperBound }
            return Int.random(in: range, using: &random)
        }
        if !parameter.values.isEmpty { return pick(parameter.values).value }
        return chance(10) ? -Int.random(in: 1...9999, using: &random) : Int.random(in: 0...99_999, using: &random)
    }

    /// Text characters a modem takes inside or outside quotes (ASCII and, unless the
    /// charset is `ascii`, multi-byte UTF-8), never one the runtime refuses.
    mutating func character(quoted: Bool, ascii: Bool) -> String {
        if !ascii, chance(10) { return pick(["é", "中", "📡", "Ж", "ß"]) }
        while true {
            let byte = UInt8.random(in: 0x20...0x7E, using: &random)
            if byte == UInt8(ascii: "\"") { continue }
            if !quoted, byte == UInt8(ascii: ",") || byte == UInt8(ascii: ";") { continue }
            return String(Unicode.Scalar(byte))
        }
    }

    /// A string the parameter allows: its format (`tcp://host:port`), its byte length
    /// (up to 300 bytes, or its minimum when that is larger), its character set.
    mutating func string(_ parameter: Parameter?) -> String {
        let quoted = parameter?.quoted ?? true
        if parameter?.type == .hex {
            return String((0..<(2 * Int.random(in: 1...8, using: &random))).map { _ in pick(Array("0123456789ABCDEFabcdef")) })
        }
        var prefix = ""
        switch parameter?.format?.kind {
        case "url": prefix = (parameter?.format?.scheme ?? "") + host() + ":\(Int.random(in: 1...65535, using: &random))"
        case "host_port": prefix = host() + ":\(Int.random(in: 1...65535, using: &random))"
        case "ip_or_host": prefix = chance(50) ? host() : (0..<4).map { _ in String(Int.random(in: 0...255, using: &random)) }.joined(separator: ".")
        default: break
        }
        let ascii = parameter?.charset == "ascii"
        let lengths = parameter?.length?.value.ranges ?? [0...300]
        let range = pick(lengths)
        let low = max(range.lowerBound, prefix.utf8.count, quoted ? 0 : 1)
        let high = max(low, min(range.upperBound, chance(10) ? 300 : 40))
        let target = Int.random(in: low...high, using: &random)
        if !prefix.isEmpty { return prefix }
        var text = ""
        while text.utf8.count < target {
            let next = character(quoted: quoted, ascii: ascii || target - text.utf8.count < 4)
            if text.utf8.count + next.utf8.count <= target { text += next }
        }
        // The matcher skips spaces after a comma (`+X: 1, 2`), so a bare value cannot start with one.
        if !quoted, text.hasPrefix(" ") { text = "x" + text.dropFirst() }
        return text
    }

    mutating func host() -> String {
        (0..<Int.random(in: 1...3, using: &random)).map { _ in
            String((0..<Int.random(in: 1...10, using: &random)).map { _ in pick(Array("abcdefghijklmnopqrstuvwxyz0123456789-")) })
        }.joined(separator: ".")
    }

    /// A string that may hold anything: control bytes (CR, LF, NUL, Ctrl-Z, ESC), quotes,
    /// commas, semicolons, backslashes, non-ASCII and invalid-looking sequences.
    mutating func hostileString() -> String {
        var scalars = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0...24, using: &random) {
            switch Int.random(in: 0..<6, using: &random) {
            case 0: scalars.append(Unicode.Scalar(UInt8.random(in: 0x00...0x1F, using: &random)))
            case 1: scalars.append(pick(["\"", ",", ";", "\\", "\u{7F}", "\r", "\n", "\u{1A}", "\u{1B}", "\u{0}"]))
            case 2: scalars.append(pick(["é", "\u{2028}", "\u{85}", "\u{FEFF}", "📡", "\u{301}"]))
            default: scalars.append(Unicode.Scalar(UInt8.random(in: 0x20...0x7E, using: &random)))
            }
        }
        return String(scalars)
    }
}

/// A command line written from a form's syntax, and the fields matching it must give back.
struct WrittenCommand {
    var bytes: [UInt8]
    var expected: [CapturedField]

    /// The line without its CR.
    var line: String { String(decoding: bytes.dropLast(), as: UTF8.self) }
}

extension ValueMaker {
    /// Writes `form`'s command line with random valid values, each optional group present or
    /// not at random, except that groups holding `forced` are always present and `forced`
    /// (when given) takes `forcedValue`.
    mutating func write(
        _ form: FormDescriptor, parameters: [Parameter], forced: String? = nil, forcedValue: String? = nil
    ) -> WrittenCommand {
        var writer = ATCommandWriter(form.syntax.prefix)
        var expected: [CapturedField] = []
        func contains(_ tokens: [SyntaxToken], _ name: String) -> Bool {
            tokens.contains { token in
                switch token {
                case .parameter(let other), .parameterList(let other): return other == name
                case .optional(let inner): return contains(inner, name)
                default: return false
                }
            }
        }
        func walk(_ tokens: [SyntaxToken]) {
            for token in tokens {
                switch token {
                case .comma: writer.comma()
                case .literal(let text): writer.literal(text)
                case .quotedLiteral(let text): writer.literal("\"" + text + "\"")
                case .valueList(let text): writer.literal("(" + text + ")")
                case .parameterList(let name):
                    let value = String(integer(nil))
                    writer.literal("(" + value + ")")
                    expected.append(CapturedField(name: name, text: value, quoted: false))
                case .optional(let inner):
                    if let forced, contains(inner, forced) {
                        walk(inner)
                    } else if chance(50) {
                        walk(inner)
                    }
                case .parameter(let name):
                    let parameter = parameters.first { $0.name == name }
                    let shape = form.shapes[name] ?? .any
                    if name == forced, let forcedValue {
                        if parameter?.quoted ?? true { writer.quoted(forcedValue) } else { writer.bare(forcedValue) }
                        expected.append(CapturedField(name: name, text: forcedValue, quoted: parameter?.quoted ?? true))
                        continue
                    }
                    switch shape {
                    case .integer:
                        let value = integer(parameter)
                        writer.integer(value)
                        expected.append(CapturedField(name: name, text: String(value), quoted: false))
                    case .quoted:
                        let value = string(parameter)
                        writer.quoted(value)
                        expected.append(CapturedField(name: name, text: value, quoted: true))
                    case .bare:
                        let value = string(parameter)
                        writer.bare(value)
                        expected.append(CapturedField(name: name, text: value, quoted: false))
                    case .any:
                        let value = string(parameter)
                        let quoted = parameter?.quoted ?? true
                        if quoted { writer.quoted(value) } else { writer.bare(value) }
                        expected.append(CapturedField(name: name, text: value, quoted: quoted))
                    }
                }
            }
        }
        walk(form.syntax.tokens)
        return WrittenCommand(bytes: writer.finish(), expected: expected)
    }
}
