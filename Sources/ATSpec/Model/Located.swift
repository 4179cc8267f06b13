// Located.swift: a value with the position it was read from.

/// A value read from a spec, with where it was written.
public struct Located<Value: Sendable & Hashable>: Sendable, Hashable {
    /// The value.
    public var value: Value
    /// Where it was written.
    public var location: SourceLocation
    /// How the scalar it came from was written.
    public var style: ScalarStyle

    /// Creates a located value.
    public init(_ value: Value, at location: SourceLocation, style: ScalarStyle = .plain) {
        self.value = value
        self.location = location
        self.style = style
    }
}
