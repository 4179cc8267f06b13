// DeclaredLength.swift: finding and checking the length field of a line matched by a data rule.

/// What a length field says, judged against the configured bound.
enum DeclaredLength: Sendable, Hashable {
    /// A length within bounds.
    case accepted(Int)
    /// A well-formed length above the bound (`Int.max` if it does not fit in `Int`).
    case tooLarge(Int)
    /// A missing field or one that is not a non-negative decimal integer.
    case malformed

    /// Judges the field's bytes: spaces around the digits are allowed, nothing else.
    init<Field: RandomAccessCollection<UInt8>>(field: Field, limit: Int) where Field.Index == Int {
        var start = field.startIndex
        var end = field.endIndex
        while start < end, field[start] == FrameByte.space { start += 1 }
        while end > start, field[end - 1] == FrameByte.space { end -= 1 }
        guard start < end else {
            self = .malformed
            return
        }
        var value = 0
        for index in start..<end {
            let digit = field[index] &- FrameByte.zero
            guard digit < 10 else {
                self = .malformed
                return
            }
            // Saturate rather than trap: an absurd length is still a length.
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(Int(digit))
            value = overflow1 || overflow2 ? Int.max : sum
        }
        self = value > limit ? .tooLarge(value) : .accepted(value)
    }

    /// Finds field `index` of `line` after its first `prefixLength` bytes and judges it.
    init<Line: RandomAccessCollection<UInt8>>(line: Line, prefixLength: Int, index: Int, limit: Int) where Line.Index == Int {
        guard index >= 0 else {
            self = .malformed
            return
        }
        var fieldIndex = 0
        var inQuotes = false
        var position = line.startIndex + prefixLength
        var fieldStart = position
        while position < line.endIndex {
            let byte = line[position]
            if byte == FrameByte.quote {
                inQuotes.toggle()
            } else if byte == FrameByte.comma, !inQuotes {
                if fieldIndex == index {
                    self.init(field: line[fieldStart..<position], limit: limit)
                    return
                }
                fieldIndex += 1
                fieldStart = position + 1
            }
            position += 1
        }
        if fieldIndex == index {
            self.init(field: line[fieldStart..<line.endIndex], limit: limit)
        } else {
            self = .malformed
        }
    }

    /// The error to report for this length on `line`, or nil if it was accepted.
    func error(line: UnsafeBufferPointer<UInt8>, limit: Int) -> FrameError? {
        switch self {
        case .accepted: return nil
        case .tooLarge(let declared): return .declaredLengthTooLarge(declared: declared, limit: limit)
        case .malformed: return .malformedLength(line: Array(line))
        }
    }
}

/// The bytes the framer looks at. Computed, not stored: a `static let` would be a lazy
/// global, read through an accessor call on every byte.
enum FrameByte {
    static var lf: UInt8 { 0x0A }
    static var cr: UInt8 { 0x0D }
    static var space: UInt8 { 0x20 }
    static var quote: UInt8 { 0x22 }
    static var comma: UInt8 { 0x2C }
    static var zero: UInt8 { 0x30 }
    static var greaterThan: UInt8 { 0x3E }
}
