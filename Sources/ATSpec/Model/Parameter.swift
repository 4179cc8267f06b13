// Parameter.swift: a parameter of a command, response, URC or final result.

/// A set of integers written as inclusive ranges (`0-1`, `0,60-180`).
public struct RangeSet: Sendable, Hashable, CustomStringConvertible {
    /// The ranges, in the order written.
    public var ranges: [ClosedRange<Int>]
    /// The text they were read from.
    public var text: String

    /// True when `value` lies in one of the ranges.
    public func contains(_ value: Int) -> Bool {
        ranges.contains { $0.contains(value) }
    }

    /// The smallest value allowed.
    public var lowerBound: Int? { ranges.map(\.lowerBound).min() }
    /// The largest value allowed.
    public var upperBound: Int? { ranges.map(\.upperBound).max() }

    /// The text as written.
    public var description: String { text }

    /// Parses `0-1`, `0,60-180`, `5` (also `0~5`), and bounds on one side only: `..255`
    /// (at most 255; `lowest` is the other bound) and `1..` (at least 1); nil with a reason when malformed.
    public static func parse(_ text: String, lowest: Int = Int.min) -> Result<RangeSet, RangeError> {
        let trimmed = text.trimmingSpaces
        guard !trimmed.isEmpty else { return .failure(RangeError(message: "empty range")) }
        var ranges: [ClosedRange<Int>] = []
        for part in trimmed.split(separator: ",", omittingEmptySubsequences: false) {
            let piece = String(part).trimmingSpaces
            if piece.hasPrefix("..") || piece.hasSuffix("..") {
                let bound = piece.hasPrefix("..") ? String(piece.dropFirst(2)) : String(piece.dropLast(2))
                guard let value = Int(bound.trimmingSpaces) else {
                    return .failure(RangeError(message: "'\(piece)' is not a bound like ..255 or 1.."))
                }
                if piece.hasPrefix("..") {
                    guard lowest <= value else { return .failure(RangeError(message: "range \(piece) is empty: no value is at most \(value)")) }
                    ranges.append(lowest...value)
                } else {
                    ranges.append(value...Int.max)
                }
                continue
            }
            let bounds = Self.splitBounds(piece)
            guard let low = Int(bounds.0), let high = Int(bounds.1) else {
                return .failure(RangeError(message: "'\(piece)' is not a number or a range like 1-10"))
            }
            guard low <= high else {
                return .failure(RangeError(message: "range \(piece) is inverted: \(low) is greater than \(high)"))
            }
            ranges.append(low...high)
        }
        return .success(RangeSet(ranges: ranges, text: trimmed))
    }

    private static func splitBounds(_ piece: String) -> (String, String) {
        let bytes = Array(piece.utf8)
        // A '-' after the first byte separates bounds; a leading '-' is a sign.
        for index in bytes.indices.dropFirst() where bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "~") {
            return (String(decoding: bytes[..<index], as: UTF8.self).trimmingSpaces,
                    String(decoding: bytes[(index + 1)...], as: UTF8.self).trimmingSpaces)
        }
        return (piece, piece)
    }
}

/// Why a range could not be read.
public struct RangeError: Error, Sendable, Hashable {
    /// What is wrong.
    public var message: String
}

/// One named value of an enumeration or flag.
public struct EnumValue: Sendable, Hashable {
    /// The integer the module sends or accepts.
    public var value: Int
    /// The name (snake_case in the spec), if given.
    public var name: String?
    /// What the value means.
    public var description: String?
    /// Our remark.
    public var note: String?
    /// The Swift identifier to use instead of the derived one.
    public var swiftName: Located<String>?
    /// Where the value is written.
    public var location: SourceLocation
}

/// The kind of value a parameter holds.
public enum ParameterType: String, Sendable, Hashable, CaseIterable {
    /// An integer, maybe ranged.
    case integer
    /// An integer with named values.
    case `enum`
    /// 0 or 1, a `Bool` in Swift.
    case flag
    /// Text, quoted unless `quoted: false`.
    case string
    /// Hexadecimal text.
    case hex
    /// Raw bytes, sent after a prompt or received after a length-declaring line.
    case data
    /// An integer code from an error table.
    case error
    /// A test response's list of supported values.
    case list
    /// A comma-separated list of groups of other parameters at the end of a line (`<topic1>,<qos1>[,<topic2>,<qos2>...]`).
    case repeated
}

/// The composite shape of a string parameter.
public struct StringFormat: Sendable, Hashable {
    /// `host_port`, `url` or `ip_or_host`.
    public var kind: String
    /// For `url`: the required scheme (`tcp://`).
    public var scheme: String?
    /// The port used when none is written.
    public var defaultPort: Int?
}

/// A parameter definition.
public struct Parameter: Sendable, Hashable {
    /// The name, as syntax strings write it inside `<...>`.
    public var name: String
    /// Where the definition is written.
    public var location: SourceLocation
    /// The kind of value.
    public var type: ParameterType
    /// Allowed integers.
    public var range: Located<RangeSet>?
    /// Named values.
    public var values: [EnumValue] = []
    /// The documented default, as written.
    public var defaultValue: Located<String>?
    /// A default the manual describes instead of giving a value ("the IMEI when not set").
    public var defaultProse: String?
    /// `s`, `ms` or `bytes`.
    public var unit: String?
    /// Allowed length in bytes, for strings and data.
    public var length: Located<RangeSet>?
    /// What `length` counts: `bytes` (the default) or `characters`.
    public var lengthUnit: String = "bytes"
    /// `utf8`, `ascii` or `bytes`.
    public var charset: String?
    /// For `repeated`: the parameters of one group, in order.
    public var items: [Located<String>] = []
    /// For `repeated`: how many groups.
    public var count: Located<RangeSet>?
    /// For `repeated` with several items: the name of one group.
    public var element: Located<String>?
    /// Whether the string is written within quotes.
    public var quoted: Bool
    /// The composite shape of a string.
    public var format: StringFormat?
    /// The parameter that holds this one's byte length.
    public var lengthFrom: Located<String>?
    /// The error table of an `error` parameter.
    public var table: Located<String>?
    /// True for passwords and keys.
    public var secret: Bool = false
    /// Prose and citations.
    public var annotations: Annotations
    /// An `error` parameter whose table is `verbose`: the line may hold the code's text instead
    /// of its number (set when the spec is read or composed).
    public var acceptsText = false

    /// True when the parameter's values are written as text within quotes.
    public var isQuotedText: Bool {
        (type == .string || type == .hex) && quoted
    }

    /// True when the parameter's values are integers.
    public var isInteger: Bool {
        [.integer, .enum, .flag].contains(type) || (type == .error && !acceptsText)
    }
}
