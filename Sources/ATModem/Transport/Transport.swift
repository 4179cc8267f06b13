// Transport.swift: the byte pipe the command engine talks through.

/// A full-duplex byte stream to a modem: a serial device, a TCP bridge, or memory.
///
/// One task receives (the engine's reader) while others send; implementations
/// must allow that. Nothing is buffered without bound: a transport hands over what
/// the operating system delivered, in the chunks it delivered them.
///
/// Implementations: ``SerialTransport`` (a serial device through termios),
/// ``TCPTransport`` (ser2net-style bridges, emulators), ``InMemoryTransport`` (tests).
public protocol ATTransport: Sendable {
    /// Waits for the next bytes from the modem.
    ///
    /// Concurrent calls are served in call order, one chunk each.
    ///
    /// - Returns: at least one byte, or nil once the peer has closed the stream
    ///   (after what it sent before closing) or after ``close()``.
    /// - Throws: ``ATTransportError``; ``ATTransportError/cancelled`` when the
    ///   calling task is cancelled while waiting (the transport stays usable).
    func receive() async throws(ATTransportError) -> [UInt8]?

    /// Sends all of `bytes`, waiting while the device cannot take more.
    ///
    /// Concurrent calls never interleave their bytes; they go out in call order.
    ///
    /// - Throws: ``ATTransportError``; ``ATTransportError/closed`` after ``close()``
    ///   or once the peer is known to have closed (in memory; a broken TCP pipe);
    ///   ``ATTransportError/cancelled`` when the calling task is cancelled while
    ///   waiting (bytes the device already took stay sent, the rest is dropped).
    func send(_ bytes: [UInt8]) async throws(ATTransportError)

    /// Closes the stream; a pending or later ``receive()`` returns nil, a later ``send(_:)`` throws ``ATTransportError/closed``.
    func close() async
}

/// Why a transport operation failed.
public enum ATTransportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The transport was closed (by ``ATTransport/close()`` or by the peer).
    case closed
    /// The waiting task was cancelled.
    case cancelled
    /// A system call failed: which one, on what, and the `errno` it set.
    case system(call: String, target: String, errno: Int32, message: String)
    /// A setting the device or the host cannot take (an unsupported baud rate, an unresolvable host name).
    case unsupported(String)

    public var description: String {
        switch self {
        case .closed: "transport closed"
        case .cancelled: "cancelled"
        case .system(let call, let target, let errno, let message): "\(call) on \(target) failed: \(message) (errno \(errno))"
        case .unsupported(let message): message
        }
    }
}
