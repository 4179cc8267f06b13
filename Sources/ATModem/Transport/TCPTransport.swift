// TCPTransport.swift: a TCP connection to a serial-over-network bridge (ser2net) or a modem emulator.

import Dispatch

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A TCP connection carrying a modem's byte stream, as offered by ser2net-style
/// bridges (raw mode, no telnet negotiation) and modem emulators.
///
/// Small writes go out at once (`TCP_NODELAY`): AT commands are short and the
/// modem answers each one. When the peer closes, ``receive()`` returns nil.
/// One receive returns what the socket has, at most 16 KiB.
public final class TCPTransport: ATTransport {
    /// The host name or address it was connected with.
    public let host: String
    /// The port it was connected to.
    public let port: Int
    let channel: FileDescriptorChannel

    init(host: String, port: Int, channel: FileDescriptorChannel) {
        self.host = host
        self.port = port
        self.channel = channel
    }

    /// Resolves `host` (a name, an IPv4 or an IPv6 address) and connects to the
    /// first of its addresses that accepts.
    ///
    /// Name resolution runs on a Dispatch thread (`getaddrinfo` blocks), the
    /// connection attempts on a non-blocking socket: neither holds a cooperative
    /// thread. Cancelling the calling task abandons a pending connection attempt;
    /// a name lookup in progress finishes first.
    ///
    /// - Throws: ``ATTransportError/system(call:target:errno:message:)`` naming
    ///   `host:port` (`connect on 127.0.0.1:2000 failed: Connection refused (errno 111)`;
    ///   with several addresses, the last attempt's error);
    ///   ``ATTransportError/unsupported(_:)`` for a name that does not resolve or a
    ///   port outside 1-65535; ``ATTransportError/cancelled``.
    public static func connect(host: String, port: Int) async throws(ATTransportError) -> TCPTransport {
        let target = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        guard (1...65_535).contains(port) else {
            throw .unsupported("cannot connect to \(target): the port must be in 1-65535")
        }
        let addresses = try await resolve(host: host, port: port, target: target)
        var lastError = ATTransportError.unsupported("cannot connect to \(target): the name has no address")
        for address in addresses {
            if Task.isCancelled { throw .cancelled }
            do throws(ATTransportError) {
                let channel = try await open(address, target: target)
                return TCPTransport(host: host, port: port, channel: channel)
            } catch {
                if error == .cancelled { throw error }
                lastError = error
            }
        }
        throw lastError
    }

    /// Waits for bytes from the peer; nil once the peer closed the connection or after ``close()``.
    public func receive() async throws(ATTransportError) -> [UInt8]? {
        try await channel.receive()
    }

    /// Sends all of `bytes`, waiting while the socket's buffer is full.
    /// Throws ``ATTransportError/closed`` once the peer has gone.
    public func send(_ bytes: [UInt8]) async throws(ATTransportError) {
        try await channel.send(bytes)
    }

    /// Closes the connection.
    public func close() async {
        await channel.close()
    }

    // MARK: Resolving and connecting

    /// One address `getaddrinfo` gave, copied out of its list.
    private struct Address: Sendable {
        var family: Int32
        var socketType: Int32
        var socketProtocol: Int32
        var storage: sockaddr_storage
        var length: socklen_t
    }

    private static func resolve(host: String, port: Int, target: String) async throws(ATTransportError) -> [Address] {
        let result = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: lookUp(host: host, port: port, target: target))
            }
        }
        return try result.get()
    }

    private static func lookUp(host: String, port: Int, target: String) -> Result<[Address], ATTransportError> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
            hints.ai_socktype = SOCK_STREAM
        #endif
        hints.ai_protocol = Int32(IPPROTO_TCP)
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0 else {
            if status == EAI_SYSTEM { return .failure(TransportPOSIX.failure("getaddrinfo", target)) }
            let reason = String(cString: gai_strerror(status))
            return .failure(.unsupported("cannot resolve \(target): \(reason)"))
        }
        defer { freeaddrinfo(list) }
        var addresses: [Address] = []
        var next = list
        while let entry = next?.pointee {
            next = entry.ai_next
            guard let source = entry.ai_addr, Int(entry.ai_addrlen) <= MemoryLayout<sockaddr_storage>.size else {
                continue
            }
            var storage = sockaddr_storage()
            withUnsafeMutableBytes(of: &storage) { bytes in
                bytes.copyMemory(from: UnsafeRawBufferPointer(start: source, count: Int(entry.ai_addrlen)))
            }
            addresses.append(
                Address(
                    family: entry.ai_family, socketType: entry.ai_socktype, socketProtocol: entry.ai_protocol,
                    storage: storage, length: entry.ai_addrlen))
        }
        return .success(addresses)
    }

    /// Connects a non-blocking socket to `address`; the socket's channel on success.
    private static func open(_ address: Address, target: String) async throws(ATTransportError) -> FileDescriptorChannel {
        let fd = socket(address.family, address.socketType, address.socketProtocol)
        guard fd >= 0 else { throw TransportPOSIX.failure("socket", target) }
        do throws(ATTransportError) {
            try TransportPOSIX.prepare(fd, statusFlags: O_NONBLOCK, target: target)
            #if canImport(Darwin)
                try setOption(fd, SOL_SOCKET, SO_NOSIGPIPE, name: "SO_NOSIGPIPE", target: target)
            #endif
        } catch {
            TransportPOSIX.close(fd)
            throw error
        }
        // From here the channel owns the descriptor and closes it.
        let channel = FileDescriptorChannel(fd: fd, target: target, output: .socket)
        do throws(ATTransportError) {
            var storage = address.storage
            let status = withUnsafePointer(to: &storage) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                    systemConnect(fd, socketAddress, address.length)
                }
            }
            if status != 0 {
                let code = TransportPOSIX.errorNumber
                // EINTR: the connection goes on in the background, like EINPROGRESS.
                guard code == EINPROGRESS || code == EINTR else { throw TransportPOSIX.failure("connect", target, code) }
                try await channel.waitUntilWritable()
                var pending: Int32 = 0
                var length = socklen_t(MemoryLayout<Int32>.size)
                guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &pending, &length) == 0 else {
                    throw TransportPOSIX.failure("getsockopt(SO_ERROR)", target)
                }
                guard pending == 0 else { throw TransportPOSIX.failure("connect", target, pending) }
            }
            try setOption(fd, Int32(IPPROTO_TCP), TCP_NODELAY, name: "TCP_NODELAY", target: target)
        } catch {
            await channel.close()
            throw error
        }
        return channel
    }

    static func setOption(
        _ fd: Int32, _ level: Int32, _ option: Int32, name: String, target: String
    ) throws(ATTransportError) {
        var one: Int32 = 1
        guard setsockopt(fd, level, option, &one, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
            throw TransportPOSIX.failure("setsockopt(\(name))", target)
        }
    }

    private static func systemConnect(_ fd: Int32, _ address: UnsafePointer<sockaddr>, _ length: socklen_t) -> Int32 {
        #if canImport(Glibc)
            Glibc.connect(fd, address, length)
        #else
            Darwin.connect(fd, address, length)
        #endif
    }
}
