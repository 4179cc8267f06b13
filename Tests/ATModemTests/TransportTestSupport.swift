// TransportTestSupport.swift: real pseudo-terminals and loopback sockets for the transport tests, with their blocking I/O kept off the cooperative pool.

import Dispatch
import Testing

@testable import ATModem

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The safety net for every wait in these tests: long enough never to be hit by a
/// working transport on a loaded machine, short enough that a broken one fails
/// the test instead of hanging it.
let transportTestDeadline: Duration = .seconds(30)

/// A wait that ran into ``transportTestDeadline``.
struct TransportTestTimeout: Error, CustomStringConvertible {
    let what: String
    var description: String { "gave up waiting until \(what)" }
}

/// Waits until `condition` holds, yielding between checks (the conditions are
/// states the code under test reaches on its own, such as "a receive is waiting").
func waitUntil(_ what: String, _ condition: () -> Bool) async throws {
    let deadline = ContinuousClock.now + transportTestDeadline
    while !condition() {
        guard ContinuousClock.now < deadline else { throw TransportTestTimeout(what: what) }
        await Task.yield()
    }
}

/// Runs blocking `work` on a Dispatch thread, not on the cooperative pool.
func offPool<Value: Sendable>(_ work: @escaping @Sendable () -> Value) async -> Value {
    await withCheckedContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(returning: work()) }
    }
}

/// Receives from `transport` until `count` bytes have arrived (or the stream ends).
func receive(_ count: Int, from transport: some ATTransport) async throws -> [UInt8] {
    var received: [UInt8] = []
    while received.count < count, let chunk = try await transport.receive() {
        received += chunk
    }
    return received
}

/// Test bytes: every byte value, repeated to `count`, shifted so chunks differ.
func patternBytes(_ count: Int, seed: Int = 0) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ seed) }
}

/// Blocking descriptor I/O with the safety deadline, for the test's side of a pty or socket.
enum PeerIO {
    /// Reads until `count` bytes, end of file, an error or the deadline; returns what it read.
    static func read(_ fd: Int32, count: Int) async -> [UInt8] {
        await offPool {
            var received: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65_536)
            let deadline = ContinuousClock.now + transportTestDeadline
            while received.count < count, wait(fd, for: Int16(POLLIN), until: deadline) {
                let wanted = min(buffer.count, count - received.count)
                let got = buffer.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, wanted) }
                if got > 0 {
                    received += buffer[..<got]
                } else if got == 0 || errno != EINTR {
                    break
                }
            }
            return received
        }
    }

    /// Writes all of `bytes`; false on an error or at the deadline.
    @discardableResult
    static func write(_ fd: Int32, _ bytes: [UInt8]) async -> Bool {
        await offPool {
            var offset = 0
            let deadline = ContinuousClock.now + transportTestDeadline
            while offset < bytes.count, wait(fd, for: Int16(POLLOUT), until: deadline) {
                let done = bytes.withUnsafeBytes { systemWrite(fd, $0.baseAddress.map { $0 + offset }, bytes.count - offset) }
                if done > 0 {
                    offset += done
                } else if errno != EINTR && errno != EAGAIN {
                    return false
                }
            }
            return offset == bytes.count
        }
    }

    /// Accepts one connection on the listening socket `fd` (with the safety deadline).
    static func accept(_ fd: Int32) async throws -> Int32 {
        let accepted = await offPool { () -> Int32 in
            var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let seconds = Int32(transportTestDeadline.components.seconds)
            guard poll(&entry, 1, seconds * 1000) == 1 else { return -1 }
            #if canImport(Glibc)
                return Glibc.accept(fd, nil, nil)
            #else
                return Darwin.accept(fd, nil, nil)
            #endif
        }
        guard accepted >= 0 else { throw TransportTestTimeout(what: "a connection arrives") }
        return accepted
    }

    /// Whether `fd` became ready for `events` (or reports an error or hang-up) before `deadline`.
    private static func wait(_ fd: Int32, for events: Int16, until deadline: ContinuousClock.Instant) -> Bool {
        while true {
            let left = deadline - ContinuousClock.now
            guard left > .zero else { return false }
            var entry = pollfd(fd: fd, events: events, revents: 0)
            let milliseconds = Int32(min(left.components.seconds * 1000 + 1, 60_000))
            let ready = poll(&entry, 1, milliseconds)
            if ready > 0 { return true }
            if ready < 0 && errno != EINTR { return false }
        }
    }
}

func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
        Glibc.read(fd, buffer, count)
    #else
        Darwin.read(fd, buffer, count)
    #endif
}

func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
        Glibc.write(fd, buffer, count)
    #else
        Darwin.write(fd, buffer, count)
    #endif
}

func systemClose(_ fd: Int32) {
    #if canImport(Glibc)
        _ = Glibc.close(fd)
    #else
        _ = Darwin.close(fd)
    #endif
}

/// A pseudo-terminal from `openpty`: the test plays the modem on the master side,
/// the transport opens the slave by its path like any serial device.
///
/// A value, closed explicitly by the test (`defer { pty.close() }`), so its
/// descriptors stay open exactly as long as the test runs, never closed early
/// (and their numbers reused by a test running in parallel) while a read still uses them.
struct PseudoTerminal {
    let master: Int32
    /// The test's own descriptor of the slave, for `tcgetattr`.
    let slave: Int32
    let path: String

    init() throws {
        var master: Int32 = -1
        var slave: Int32 = -1
        try #require(openpty(&master, &slave, nil, nil, nil) == 0, "openpty: \(String(cString: strerror(errno)))")
        self.master = master
        self.slave = slave
        // ttyname_r, not ttyname: tests run in parallel and ttyname shares one buffer.
        var name = [CChar](repeating: 0, count: 1024)
        try #require(ttyname_r(slave, &name, name.count) == 0)
        path = String(decoding: name.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    func close() {
        systemClose(master)
        systemClose(slave)
    }

    /// The slave's current settings, as the device driver holds them.
    func settings() throws -> termios {
        var settings = termios()
        try #require(tcgetattr(slave, &settings) == 0)
        return settings
    }

}

/// A TCP listener on a loopback address and a port the system picked; closed by
/// the test with `defer { listener.close() }` (see ``PseudoTerminal`` for why).
struct LoopbackListener {
    let fd: Int32
    let port: Int

    /// Binds `address` ("127.0.0.1" or "::1") on port 0; listens unless `listening` is false
    /// (a bound, non-listening port refuses connections while nobody else can take it).
    init(address: String = "127.0.0.1", listening: Bool = true, backlog: Int32 = 8) throws {
        let family = address.contains(":") ? AF_INET6 : AF_INET
        #if canImport(Glibc)
            let fd = socket(family, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let fd = socket(family, SOCK_STREAM, 0)
        #endif
        try #require(fd >= 0)
        self.fd = fd
        var storage = sockaddr_storage()
        var length: socklen_t
        if family == AF_INET6 {
            var address6 = sockaddr_in6()
            address6.sin6_family = sa_family_t(AF_INET6)
            try #require(inet_pton(AF_INET6, address, &address6.sin6_addr) == 1)
            withUnsafeBytes(of: address6) { source in withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: source) } }
            length = socklen_t(MemoryLayout<sockaddr_in6>.size)
        } else {
            var address4 = sockaddr_in()
            address4.sin_family = sa_family_t(AF_INET)
            try #require(inet_pton(AF_INET, address, &address4.sin_addr) == 1)
            withUnsafeBytes(of: address4) { source in withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: source) } }
            length = socklen_t(MemoryLayout<sockaddr_in>.size)
        }
        let bound = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        try #require(bound == 0, "bind: \(String(cString: strerror(errno)))")
        if listening { try #require(listen(fd, backlog) == 0) }
        let named = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        try #require(named == 0)
        let networkPort =
            family == AF_INET6
            ? withUnsafeBytes(of: storage) { $0.load(as: sockaddr_in6.self).sin6_port }
            : withUnsafeBytes(of: storage) { $0.load(as: sockaddr_in.self).sin_port }
        port = Int(UInt16(bigEndian: networkPort))
    }

    func close() { systemClose(fd) }

}
