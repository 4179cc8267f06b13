// FramerConfiguration.swift: the framer's memory bounds and the data rules of a modem.

/// Limits and rules for a ``Framer``.
public struct FramerConfiguration: Sendable, Hashable {
    /// The longest line, in bytes and without its terminator, that is emitted;
    /// longer lines are discarded and reported as ``FrameError/lineTooLong(discarded:)``.
    /// Values below 1 are treated as 1.
    public var maxLineLength: Int
    /// The largest declared data length that is accepted, for data blocks and for
    /// inline quoted content; larger declarations are reported as
    /// ``FrameError/declaredLengthTooLarge(declared:limit:)``. Values below 0 are treated as 0.
    public var maxDataLength: Int
    /// The ways this modem's output declares raw bytes by length.
    public var dataRules: [DataRule]

    /// A configuration with the given bounds (4096-byte lines and 64 KiB data blocks
    /// by default) and data rules (none by default).
    public init(maxLineLength: Int = 4096, maxDataLength: Int = 65536, dataRules: [DataRule] = []) {
        self.maxLineLength = maxLineLength
        self.maxDataLength = maxDataLength
        self.dataRules = dataRules
    }
}
