// TCPListener.swift: a listening TCP socket, for a simulated modem that hosts reach as they reach a ser2net bridge.

import Dispatch

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A TCP port on an IPv4 address that accepts connections one at a time, each a ``TCPTransport``:
/// the device end for a simulated modem, which a host reaches with ``TCPTransport/connect(host:port:)``.
public final class TCPListener: Sendable {
    /// The address it listens on.
    public let host: String
    /// The port it listens on (the one the system chose, for port 0).
    public let port: Int
    private let descriptor: TransportLock<Int32>

    /// Listens on `host` (an IPv4 address) and `port` (0: any free port).
    ///
    /// - Throws: ``ATTransportError/unsupported(_:)`` for a host that is not an IPv4 address or a
    ///   port outside 0-65535, ``ATTransportError/system(call:target:errno:message:)`` when the
    ///   socket cannot be bound (the port is taken).
    public init(host: String = "127.0.0.1", port: Int) throws(ATTransportError) {
        let target = "\(host):\(port)"
        guard (0...65_535).contains(port) else { throw .unsupported("cannot listen on \(target): the port must be in 0-65535") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else { throw .unsupported("cannot listen on \(target): not an IPv4 address") }
        #if canImport(Glibc)
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw TransportPOSIX.failure("socket", target) }
        var one: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && listen(fd, 4) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else {
            let failure = TransportPOSIX.failure("bind", target)
            Self.closeDescriptor(fd)
            throw failure
        }
        self.host = host
        self.port = Int(UInt16(bigEndian: address.sin_port))
        descriptor = TransportLock(fd)
    }

    deinit {
        close()
    }

    /// Waits for the next connection. The wait runs on a Dispatch thread (`accept` blocks), not on
    /// a cooperative one.
    ///
    /// - Throws: ``ATTransportError/closed`` after ``close()``, ``ATTransportError/system(call:target:errno:message:)``.
    public func accept() async throws(ATTransportError) -> TCPTransport {
        let fd = descriptor.withLock { $0 }
        guard fd >= 0 else { throw .closed }
        let target = "\(host):\(port)"
        let accepted: (Int32, Int32) = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                #if canImport(Glibc)
                    let client = Glibc.accept(fd, nil, nil)
                #else
                    let client = Darwin.accept(fd, nil, nil)
                #endif
                continuation.resume(returning: (client, errno))
            }
        }
        guard accepted.0 >= 0 else {
            if descriptor.withLock({ $0 }) < 0 { throw .closed }
            throw TransportPOSIX.failure("accept", target, accepted.1)
        }
        let client = accepted.0
        let flags = fcntl(client, F_GETFL)
        guard flags >= 0, fcntl(client, F_SETFL, flags | O_NONBLOCK) == 0 else {
            let failure = TransportPOSIX.failure("fcntl", target)
            Self.closeDescriptor(client)
            throw failure
        }
        try? TCPTransport.setOption(client, Int32(IPPROTO_TCP), TCP_NODELAY, name: "TCP_NODELAY", target: target)
        return TCPTransport(host: host, port: port, channel: FileDescriptorChannel(fd: client, target: "connection on \(target)", output: .socket))
    }

    /// Stops listening; a waiting ``accept()`` fails with ``ATTransportError/closed``.
    public func close() {
        let fd = descriptor.withLock { value -> Int32 in
            defer { value = -1 }
            return value
        }
        guard fd >= 0 else { return }
        _ = shutdown(fd, Int32(SHUT_RDWR))
        Self.closeDescriptor(fd)
    }

    private static func closeDescriptor(_ fd: Int32) {
        #if canImport(Glibc)
            _ = Glibc.close(fd)
        #else
            _ = Darwin.close(fd)
        #endif
    }
}
