// LineMatcher.swift: a syntax compiled once for matching: prefix bytes, literal bytes and parameter shapes resolved.

/// A ``Syntax`` prepared for matching many lines: its prefix and literals as bytes and
/// each parameter's ``FieldShape`` looked up once.
///
/// Matching follows ``SyntaxMatcher/match(_:_:shape:)`` exactly (it is implemented with
/// this type): the whole line must match, blanks before its end aside; optional groups
/// are tried present first, then absent. No module defines an escape inside quotes, so a
/// quoted value ends at its first closing quote and may hold commas but never `"`; a
/// quoted value whose byte length another field declares (`+SMPUBLISH`'s message) is
/// exactly that many bytes, quotes and line ends included. A bare value holds no `"`.
/// Quoted literals (tags such as `"KEEPALIVE"`), and every literal of a command line,
/// match in any ASCII letter case. A line that does not start with the prefix is
/// rejected after a few byte compares, and a failed match allocates nothing.
///
/// It is a class so that the decoder's tables hold and pass it by reference.
///
/// ```swift
/// let matcher = LineMatcher(SIM7672X.descriptor.finals[2].line)
/// matcher.match("+CME ERROR: 13")  // [CapturedField(name: "err", text: "13", quoted: false)]
/// ```
public final class LineMatcher: Sendable {
    /// The prefix, upper-cased for a command line (matched without regard to case).
    let prefix: [UInt8]
    /// True for a command line syntax: the prefix is matched without regard to ASCII case.
    let ignoresCase: Bool
    /// True when spaces after the prefix (one ending in `:`) are skipped.
    let skipsSpaces: Bool
    /// The tokens after the prefix, flattened: an optional group is an `.optional(end:)`
    /// token followed by the group's tokens, which end before index `end`.
    let tokens: [MatcherToken]
    /// Parameter names, referred to by index from the tokens.
    let names: [String]
    /// Literal bytes, referred to by range from the tokens.
    let literals: [UInt8]
    /// The most fields a match can capture.
    let fieldCapacity: Int
    /// Per entry of `names`: true for a secret parameter.
    let secretNames: [Bool]
    /// True when some parameter is secret.
    let hasSecrets: Bool

    /// Compiles `syntax`, asking `shape` how each parameter's value is written.
    ///
    /// `lengthFields` maps a quoted parameter to the parameter that declares its length
    /// in bytes (`message` → `message_len`); that length, captured earlier on the line,
    /// decides where the quoted value ends.
    ///
    /// With `lenient` (for command lines, as firmware parses them): every parameter may be
    /// quoted or bare (`AT+SMSSL=1,cacert.pem`, `"1883"`) and a tag may go without its
    /// quotes (`AT+SMCONF=url,...`).
    public init(_ syntax: Syntax, lengthFields: [String: String] = [:], secrets: Set<String> = [], lenient: Bool = false, shape: (String) -> FieldShape) {
        ignoresCase = syntax.command != nil
        let prefix = Array(syntax.prefix.utf8)
        self.prefix = ignoresCase ? prefix.map(Self.upper) : prefix
        skipsSpaces = !ignoresCase && prefix.last == UInt8(ascii: ":")
        var tokens: [MatcherToken] = []
        var names: [String] = []
        var literals: [UInt8] = []
        let foldsAll = ignoresCase
        func literal(_ bytes: [UInt8], foldsCase: Bool) -> MatcherToken {
            let stored = foldsCase ? bytes.map(Self.upper) : bytes
            defer { literals += stored }
            return .literal(start: literals.count, count: bytes.count, foldsCase: foldsCase)
        }
        func compile(_ syntaxTokens: [SyntaxToken]) {
            for token in syntaxTokens {
                switch token {
                case .comma: tokens.append(.comma)
                case .literal(let text): tokens.append(literal(Array(text.utf8), foldsCase: foldsAll))
                case .quotedLiteral(let text) where lenient:
                    tokens.append(.tag(start: literals.count, count: text.utf8.count))
                    literals += Array(text.utf8).map(Self.upper)
                case .quotedLiteral(let text): tokens.append(literal([UInt8(ascii: "\"")] + Array(text.utf8) + [UInt8(ascii: "\"")], foldsCase: true))
                case .valueList(let text): tokens.append(literal([UInt8(ascii: "(")] + Array(text.utf8) + [UInt8(ascii: ")")], foldsCase: foldsAll))
                case .parameterList(let name):
                    tokens.append(.parameterList(name: names.count))
                    names.append(name)
                case .parameter(let name):
                    if let lengthName = lengthFields[name], let length = names.firstIndex(of: lengthName) {
                        tokens.append(.sized(name: names.count, length: length, shape: shape(name)))
                    } else {
                        let shape = shape(name)
                        if lenient, shape != .bare {
                            tokens.append(.loose(name: names.count, integer: shape == .integer))
                        } else {
                            tokens.append(.parameter(name: names.count, shape: shape))
                        }
                    }
                    names.append(name)
                case .optional(let inner):
                    let open = tokens.count
                    tokens.append(.optional(end: open))
                    compile(inner)
                    tokens[open] = .optional(end: tokens.count)
                }
            }
        }
        compile(syntax.tokens)
        self.tokens = tokens
        self.names = names
        self.literals = literals
        fieldCapacity = names.count
        secretNames = names.map(secrets.contains)
        hasSecrets = secretNames.contains(true)
    }

    /// Compiles a response, result or URC line with its shapes (unlisted parameters are matched quoted or bare).
    public convenience init(_ line: LineDescriptor) {
        self.init(line.syntax, lengthFields: line.lengthFields, secrets: line.secrets) { line.shapes[$0] ?? .any }
    }

    /// Compiles a command form's line with its shapes; `lenient` as firmware parses it.
    public convenience init(_ form: FormDescriptor, lenient: Bool = false) {
        self.init(form.syntax, secrets: form.secrets, lenient: lenient) { form.shapes[$0] ?? .any }
    }

    /// The fields of `line` when it matches; nil when it does not.
    public func match(_ line: String) -> [CapturedField]? {
        var line = line
        return line.withUTF8 { match($0) }
    }

    /// The fields of the line in `bytes` (UTF-8, no terminator) when it matches; nil when it does not.
    public func match(_ bytes: UnsafeBufferPointer<UInt8>) -> [CapturedField]? {
        var scratch = MatchScratch()
        return match(bytes, scratch: &scratch)
    }

    /// True when the matcher's line has no prefix (a prefix-less information line such as `<sn>`).
    var isUnprefixed: Bool { prefix.isEmpty }

    /// Matches with a caller-owned scratch space, so a failed match allocates nothing.
    func match(_ bytes: UnsafeBufferPointer<UInt8>, scratch: inout MatchScratch) -> [CapturedField]? {
        guard run(bytes, scratch: &scratch) else { return nil }
        return scratch.spans[0..<scratch.count].map { span in
            CapturedField(
                name: names[span.name], text: Self.text(UnsafeBufferPointer(rebasing: bytes[span.start..<span.end])), quoted: span.quoted,
                secret: secretNames[span.name], bytes: span.sized ? Array(bytes[span.start..<span.end]) : nil)
        }
    }

    /// The text of a line that just matched (its spans still in `scratch`), with the value
    /// of every secret parameter replaced by `<redacted>`.
    func shownText(_ bytes: UnsafeBufferPointer<UInt8>, scratch: MatchScratch) -> String {
        Self.redacted(bytes, scratch: scratch, secretNames: hasSecrets ? secretNames : nil)
    }

    /// The bytes of a line that just matched, with the value of every secret parameter replaced by `<redacted>`.
    func shownBytes(_ bytes: UnsafeBufferPointer<UInt8>, scratch: MatchScratch) -> [UInt8] {
        Self.redactedBytes(bytes, scratch: scratch, secretNames: hasSecrets ? secretNames : nil)
    }

    /// `bytes` as text, the spans of secret names in `scratch` redacted.
    static func redacted(_ bytes: UnsafeBufferPointer<UInt8>, scratch: MatchScratch, secretNames: [Bool]?) -> String {
        guard let secretNames, scratch.spans[0..<scratch.count].contains(where: { secretNames[$0.name] }) else {
            return String(decoding: bytes, as: UTF8.self)
        }
        return String(decoding: redactedBytes(bytes, scratch: scratch, secretNames: secretNames), as: UTF8.self)
    }

    /// `bytes`, the spans of secret names in `scratch` replaced by `<redacted>`.
    static func redactedBytes(_ bytes: UnsafeBufferPointer<UInt8>, scratch: MatchScratch, secretNames: [Bool]?) -> [UInt8] {
        guard let secretNames else { return Array(bytes) }
        var secret = scratch.spans[0..<scratch.count].filter { secretNames[$0.name] }
        guard !secret.isEmpty else { return Array(bytes) }
        secret.sort { $0.start < $1.start }
        var shown: [UInt8] = []
        var cursor = 0
        for span in secret where span.start >= cursor {
            shown += bytes[cursor..<span.start]
            shown += Array("<redacted>".utf8)
            cursor = span.end
        }
        shown += bytes[cursor..<bytes.count]
        return shown
    }

    /// True when the line matches; its fields are not built.
    func matches(_ bytes: UnsafeBufferPointer<UInt8>, scratch: inout MatchScratch) -> Bool {
        run(bytes, scratch: &scratch)
    }

    /// A captured value's text. Numbers below 1000 without leading zeros, the most common
    /// values by far, come from a table instead of being decoded each time.
    static func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        if bytes.count <= 3, let first = bytes.first, first != UInt8(ascii: "0") || bytes.count == 1 {
            var value = 0
            for byte in bytes {
                let digit = byte &- UInt8(ascii: "0")
                guard digit < 10 else { return String(decoding: bytes, as: UTF8.self) }
                value = value * 10 + Int(digit)
            }
            return SmallNumbers.texts[value]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// True when `bytes` starts with the prefix (the check a match makes first).
    func prefixMatches(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count >= prefix.count else { return false }
        return prefix.withUnsafeBufferPointer { prefix in
            if ignoresCase {
                for index in 0..<prefix.count where Self.upper(bytes[index]) != prefix[index] { return false }
                return true
            }
            guard let expected = prefix.baseAddress, let actual = bytes.baseAddress else { return prefix.isEmpty }
            return Bytes.equal(expected, actual, count: prefix.count)
        }
    }

    /// Whether a line starting with `byte` can match (for dispatch tables).
    func canStart(with byte: UInt8) -> Bool {
        guard let first = prefix.first else { return true }
        return ignoresCase ? Self.upper(byte) == first : byte == first
    }

    /// Runs the match, leaving the captured spans in `scratch` on success.
    private func run(_ bytes: UnsafeBufferPointer<UInt8>, scratch: inout MatchScratch) -> Bool {
        guard prefixMatches(bytes) else { return false }
        var start = prefix.count
        if skipsSpaces {
            while start < bytes.count, bytes[start] == UInt8(ascii: " ") { start += 1 }
        }
        // Blanks before the line end are not part of the line (firmware pads some lines).
        var end = bytes.count
        while end > start, bytes[end - 1] == UInt8(ascii: " ") || bytes[end - 1] == UInt8(ascii: "\t") { end -= 1 }
        var state = MatchState(bytes: UnsafeBufferPointer(rebasing: bytes[0..<end]), tokens: tokens, literals: literals)
        swap(&state.scratch, &scratch)
        state.scratch.count = 0
        let matched = state.sequence(0, to: tokens.count, at: start, inner: false) { state, end in end == state.bytes.count }
        swap(&state.scratch, &scratch)
        return matched
    }

    static func upper(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") ? byte - 32 : byte
    }
}

/// A syntax token with its bytes and shape resolved; plain data, so matching copies no references.
enum MatcherToken: Sendable, Hashable {
    case comma
    /// Bytes that must appear as they are (a bare literal, a quoted literal with its quotes,
    /// a value list with its parentheses), at `start` in ``LineMatcher/literals``; with
    /// `foldsCase`, stored upper-cased and compared without regard to ASCII case.
    case literal(start: Int, count: Int, foldsCase: Bool)
    /// `(<name>)`; `name` indexes ``LineMatcher/names``.
    case parameterList(name: Int)
    case parameter(name: Int, shape: FieldShape)
    /// A parameter whose quoted value is exactly as many bytes as the value captured
    /// earlier for `length` (both index ``LineMatcher/names``) declares.
    case sized(name: Int, length: Int, shape: FieldShape)
    /// An optional group: the tokens after this one, up to index `end`.
    case optional(end: Int)
    /// A tag matched with or without its quotes, in any ASCII case (stored upper-cased).
    case tag(start: Int, count: Int)
    /// A value of a lenient command line: quoted, or bare up to the next comma; an
    /// `integer` is digits either way (`1883`, `"1883"`).
    case loose(name: Int, integer: Bool)
}

/// Where a captured value lies in the line.
struct FieldSpan: Sendable {
    /// Index into ``LineMatcher/names``.
    var name: Int
    var start: Int
    var end: Int
    var quoted: Bool
    /// Framed by a declared byte length: its bytes are kept as they came.
    var sized = false
}

/// The spans a match captured, in storage reused from line to line.
struct MatchScratch: Sendable {
    /// The spans; only the first `count` belong to the current match.
    var spans: [FieldSpan] = []
    var count = 0

    mutating func append(_ span: FieldSpan) {
        if count < spans.count {
            spans[count] = span
        } else {
            spans.append(span)
        }
        count += 1
    }
}

/// The texts of 0 to 999.
enum SmallNumbers {
    static let texts: [String] = (0..<1000).map { String($0) }
}

/// The backtracking search over one line.
struct MatchState {
    let bytes: UnsafeBufferPointer<UInt8>
    let tokens: [MatcherToken]
    let literals: [UInt8]
    var scratch = MatchScratch()
    var steps = 0

    init(bytes: UnsafeBufferPointer<UInt8>, tokens: [MatcherToken], literals: [UInt8]) {
        self.bytes = bytes
        self.tokens = tokens
        self.literals = literals
    }

    /// Matches `tokens[index..<stop]` from `position`, then calls `next` with where they ended; true once `next` accepts.
    ///
    /// `inner` marks the tokens of an optional group: reaching their end continues with the
    /// tokens after the group, and (as when the group's tokens were spliced in front of
    /// them) is not counted as a step.
    mutating func sequence(_ index: Int, to stop: Int, at position: Int, inner: Bool, _ next: (inout MatchState, Int) -> Bool) -> Bool {
        if inner, index == stop { return next(&self, position) }
        steps += 1
        guard steps < SyntaxMatcher.stepLimit else { return false }
        guard index < stop else { return next(&self, position) }
        switch tokens[index] {
        case .comma:
            guard position < bytes.count, bytes[position] == UInt8(ascii: ",") else { return false }
            var after = position + 1
            while after < bytes.count, bytes[after] == UInt8(ascii: " ") { after += 1 }
            return sequence(index + 1, to: stop, at: after, inner: inner, next)
        case .literal(let start, let count, let foldsCase):
            guard bytes.count - position >= count else { return false }
            if foldsCase {
                for offset in 0..<count where LineMatcher.upper(bytes[position + offset]) != literals[start + offset] { return false }
            } else {
                for offset in 0..<count where bytes[position + offset] != literals[start + offset] { return false }
            }
            return sequence(index + 1, to: stop, at: position + count, inner: inner, next)
        case .loose(let name, let integer):
            let quoted = position < bytes.count && bytes[position] == UInt8(ascii: "\"")
            let first = quoted ? position + 1 : position
            var end = first
            if integer {
                if end < bytes.count, bytes[end] == UInt8(ascii: "-") { end += 1 }
                let digits = end
                while end < bytes.count, bytes[end] >= UInt8(ascii: "0"), bytes[end] <= UInt8(ascii: "9") { end += 1 }
                guard end > digits else { return false }
            } else if quoted {
                while end < bytes.count, bytes[end] != UInt8(ascii: "\"") { end += 1 }
            } else {
                while end < bytes.count, bytes[end] != UInt8(ascii: ","), bytes[end] != UInt8(ascii: "\"") { end += 1 }
                guard end > first, end == bytes.count || bytes[end] == UInt8(ascii: ",") else { return false }
            }
            if quoted {
                guard end < bytes.count, bytes[end] == UInt8(ascii: "\"") else { return false }
                return capture(name, first, end, quoted: true, resume: end + 1, index, stop, inner, next)
            }
            return capture(name, first, end, quoted: false, resume: end, index, stop, inner, next)
        case .tag(let start, let count):
            let quoted = position < bytes.count && bytes[position] == UInt8(ascii: "\"")
            let first = quoted ? position + 1 : position
            guard bytes.count - first >= count + (quoted ? 1 : 0) else { return false }
            for offset in 0..<count where LineMatcher.upper(bytes[first + offset]) != literals[start + offset] { return false }
            if quoted, bytes[first + count] != UInt8(ascii: "\"") { return false }
            return sequence(index + 1, to: stop, at: first + count + (quoted ? 1 : 0), inner: inner, next)
        case .sized(let name, let length, let shape):
            if position < bytes.count, bytes[position] == UInt8(ascii: "\"") {
                // The length field sits in an optional group that was absent: an ordinary quoted value.
                guard let declared = capturedLength(length) else { return quotedField(name, position, index, stop, inner, next) }
                let close = position + 1 + declared
                guard close < bytes.count, bytes[close] == UInt8(ascii: "\"") else { return false }
                return capture(name, position + 1, close, quoted: true, sized: true, resume: close + 1, index, stop, inner, next)
            }
            switch shape {
            case .quoted, .integer: return false
            case .bare, .any: return bareField(name, position, index, stop, inner, next)
            }
        case .parameterList(let name):
            guard position < bytes.count, bytes[position] == UInt8(ascii: "(") else { return false }
            var close = position
            while close < bytes.count, bytes[close] != UInt8(ascii: ")") { close += 1 }
            guard close < bytes.count else { return false }
            return capture(name, position + 1, close, quoted: false, resume: close + 1, index, stop, inner, next)
        case .optional(let end):
            let mark = scratch.count
            let present = sequence(index + 1, to: end, at: position, inner: true) { state, after in
                state.sequence(end, to: stop, at: after, inner: inner, next)
            }
            if present { return true }
            scratch.count = mark
            return sequence(end, to: stop, at: position, inner: inner, next)
        case .parameter(let name, let shape):
            switch shape {
            case .quoted:
                return quotedField(name, position, index, stop, inner, next)
            case .integer:
                var end = position
                if end < bytes.count, bytes[end] == UInt8(ascii: "-") { end += 1 }
                let digitsStart = end
                while end < bytes.count, bytes[end] >= UInt8(ascii: "0"), bytes[end] <= UInt8(ascii: "9") { end += 1 }
                guard end > digitsStart else { return false }
                return capture(name, position, end, quoted: false, resume: end, index, stop, inner, next)
            case .bare:
                return bareField(name, position, index, stop, inner, next)
            case .any:
                if position < bytes.count, bytes[position] == UInt8(ascii: "\""), quotedField(name, position, index, stop, inner, next) { return true }
                return bareField(name, position, index, stop, inner, next)
            }
        }
    }

    /// A quoted value: it ends at the first closing quote (no module defines an escape, so
    /// a quoted value cannot hold `"`; a value may still hold commas).
    mutating func quotedField(_ name: Int, _ position: Int, _ index: Int, _ stop: Int, _ inner: Bool, _ next: (inout MatchState, Int) -> Bool) -> Bool {
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { return false }
        var close = position + 1
        while close < bytes.count, bytes[close] != UInt8(ascii: "\"") { close += 1 }
        guard close < bytes.count else { return false }
        return capture(name, position + 1, close, quoted: true, resume: close + 1, index, stop, inner, next)
    }

    /// A bare value: non-empty, without `"`, up to a comma (every comma is tried, nearest
    /// first) or the line end.
    mutating func bareField(_ name: Int, _ position: Int, _ index: Int, _ stop: Int, _ inner: Bool, _ next: (inout MatchState, Int) -> Bool) -> Bool {
        var end = position
        while true {
            while end < bytes.count, bytes[end] != UInt8(ascii: ","), bytes[end] != UInt8(ascii: "\"") { end += 1 }
            if end < bytes.count, bytes[end] == UInt8(ascii: "\"") { return false }
            if end > position, capture(name, position, end, quoted: false, resume: end, index, stop, inner, next) { return true }
            guard end < bytes.count else { return false }
            end += 1
        }
    }

    /// The value captured last for parameter `name`, read as a non-negative byte count.
    func capturedLength(_ name: Int) -> Int? {
        var index = scratch.count - 1
        while index >= 0 {
            let span = scratch.spans[index]
            if span.name == name {
                guard span.end > span.start, span.end - span.start <= 18 else { return nil }
                var value = 0
                for offset in span.start..<span.end {
                    let digit = bytes[offset] &- UInt8(ascii: "0")
                    guard digit < 10 else { return nil }
                    value = value * 10 + Int(digit)
                }
                return value
            }
            index -= 1
        }
        return nil
    }

    /// Records a value and matches the rest; the value is dropped again when the rest fails.
    mutating func capture(
        _ name: Int, _ start: Int, _ end: Int, quoted: Bool, sized: Bool = false, resume: Int, _ index: Int, _ stop: Int, _ inner: Bool,
        _ next: (inout MatchState, Int) -> Bool
    ) -> Bool {
        scratch.append(FieldSpan(name: name, start: start, end: end, quoted: quoted, sized: sized))
        if sequence(index + 1, to: stop, at: resume, inner: inner, next) { return true }
        scratch.count -= 1
        return false
    }
}
