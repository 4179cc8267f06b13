// Module.swift: what a generated module offers the command engine: its routing data, its URCs and its final results.

/// A module's generated bindings: the namespace enum `at-bindgen` writes for one spec.
///
/// The engine needs three things from it: the routing data the decoder works
/// from, how to type a URC, and how to type a final result.
public protocol ATModule: Sendable {
    /// The module's URC enum.
    associatedtype URC: ATUnsolicited
    /// The module's final result codes.
    associatedtype FinalResult: ATFinalResult
    /// The module this one builds on (`ThreeGPP` for a vendor module whose spec says
    /// `builds_on: ThreeGPP`), or ``ATNoBase``. An engine of this module sends the requests of
    /// both, and its descriptor, URCs and final results cover both.
    associatedtype BaseModule: ATModule = ATNoBase

    /// The routing data of every final result, URC and command form, the base's included.
    static var descriptor: ModuleDescriptor { get }
}

/// The base of a module that builds on none: it has no commands, URCs or final results.
public enum ATNoBase: ATModule {
    public typealias BaseModule = ATNoBase

    /// No URC.
    public enum URC: ATUnsolicited {
        public static func decode(_ match: URCMatch) throws(ATDecodingError) -> URC? { nil }
    }

    /// No final result.
    public enum FinalResult: ATFinalResult {
        public static func decode(name: String, fields: [CapturedField]) throws(ATDecodingError) -> FinalResult? { nil }
        public var isSuccess: Bool {
            switch self {}
        }
        public var description: String {
            switch self {}
        }
    }

    /// Nothing to route.
    public static let descriptor = ModuleDescriptor(name: "ATNoBase", finals: [], urcs: [], forms: [])
}

/// A module's URC enum.
public protocol ATUnsolicited: Sendable, Hashable {
    /// Types a URC the decoder matched; nil when the name is not one of this module's.
    static func decode(_ match: URCMatch) throws(ATDecodingError) -> Self?

    /// Reads a URC straight from the bytes at a line start (the parser `at-bindgen` generates);
    /// nil when the line is not one the generated parsers read, so that the interpreting
    /// decoder decides (see ``ATTypedDecoder``). On success the scanner has moved past the URC.
    static func scan(_ scanner: inout ATScanner) -> Self?
}

extension ATUnsolicited {
    /// No generated parser: every line goes to the interpreting decoder.
    public static func scan(_ scanner: inout ATScanner) -> Self? { nil }
}

/// A module's final result codes (`OK`, `ERROR`, `+CME ERROR: <err>`).
public protocol ATFinalResult: Sendable, Hashable, CustomStringConvertible {
    /// Types a final result the decoder matched; nil when the name is not one of this module's.
    static func decode(name: String, fields: [CapturedField]) throws(ATDecodingError) -> Self?
    /// True for a result that ends a command successfully.
    var isSuccess: Bool { get }
    /// The code of an error table the result carries (`+CME ERROR: 10`, `ERROR: 703`), with the
    /// manual's meaning; nil for a result without one (`OK`, `ERROR`).
    var errorCode: ATErrorCode? { get }
}

extension ATFinalResult {
    /// No error table code.
    public var errorCode: ATErrorCode? { nil }
}

/// A code of one of the spec's error tables, as a result carried it.
public struct ATErrorCode: Sendable, Hashable, CustomStringConvertible {
    /// The error table's id in the spec (`cme`, `mqtt`).
    public var table: String
    /// The code; nil for a verbose text the table does not list.
    public var code: Int?
    /// The manual's meaning (or the text as the module sent it).
    public var text: String

    /// Creates a value.
    public init(table: String, code: Int?, text: String) {
        self.table = table
        self.code = code
        self.text = text
    }

    /// `<table> <code>: <meaning>`.
    public var description: String { "\(table) \(code.map(String.init) ?? "?"): \(text)" }
}
