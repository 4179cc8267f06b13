// Diagnostic.swift: a positioned message about a spec, in the form compilers print.

/// A line and column in a text file, both counted from 1.
public struct SourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The line, from 1.
    public var line: Int
    /// The column, from 1, counted in bytes.
    public var column: Int

    /// Creates a location.
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// `line:column`.
    public var description: String { "\(line):\(column)" }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }
}

/// How serious a diagnostic is.
public enum Severity: String, Sendable, Hashable, Comparable {
    /// The spec cannot be used as it is.
    case error
    /// The spec can be used, but something in it is probably wrong.
    case warning

    public static func < (lhs: Severity, rhs: Severity) -> Bool {
        lhs == .error && rhs == .warning
    }
}

/// One finding about a spec file: where, how serious, which rule, and what to fix.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    /// The file the finding is about, as it was named to the loader.
    public var file: String
    /// Where in the file.
    public var location: SourceLocation
    /// How serious it is.
    public var severity: Severity
    /// The stable id of the rule that found it (`unknown-key`, `example-unmatched`, ...).
    public var rule: String
    /// What is wrong and, where it can tell, how to fix it.
    public var message: String

    /// Creates a diagnostic.
    public init(file: String, location: SourceLocation, severity: Severity, rule: String, message: String) {
        self.file = file
        self.location = location
        self.severity = severity
        self.rule = rule
        self.message = message
    }

    /// `path:line:column: error: message [rule]`, the form compilers and editors understand.
    public var description: String {
        "\(file):\(location.line):\(location.column): \(severity.rawValue): \(message) [\(rule)]"
    }
}

/// Collects diagnostics for one file.
public struct DiagnosticSink: Sendable {
    /// The file the diagnostics are about.
    public let file: String
    /// What has been reported so far, in the order it was reported.
    public private(set) var diagnostics: [Diagnostic] = []

    /// Creates an empty sink for `file`.
    public init(file: String) {
        self.file = file
    }

    /// Reports an error.
    public mutating func error(_ rule: String, _ message: String, at location: SourceLocation) {
        diagnostics.append(Diagnostic(file: file, location: location, severity: .error, rule: rule, message: message))
    }

    /// Reports a warning.
    public mutating func warning(_ rule: String, _ message: String, at location: SourceLocation) {
        diagnostics.append(Diagnostic(file: file, location: location, severity: .warning, rule: rule, message: message))
    }

    /// True when an error has been reported.
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}
