// PseudoTerminal.swift: a pseudo-terminal pair, for a simulated modem that a host opens like a serial device.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A pseudo-terminal: the device end as a transport, where a simulated modem reads what the
/// host sends and answers, and the ``path`` of the terminal end, which a host opens with
/// ``SerialTransport`` exactly as it opens a modem's serial port.
///
/// ```swift
/// let terminal = try ATPseudoTerminal()
/// Task { try await simulatedModem.serve(terminal) }
/// let serial = try SerialTransport(path: terminal.path)
/// ```
///
/// The terminal end is held open (in raw mode) until ``close()``, so the device end does not see
/// the end of the line while no host has it open. After ``close()``, or when the host has closed
/// its end and the terminal's own hold is released, ``receive()`` returns nil.
public final class ATPseudoTerminal: ATTransport {
    /// The path of the terminal end (`/dev/pts/3`), for ``SerialTransport/init(path:configuration:)``.
    public let path: String
    private let channel: FileDescriptorChannel
    private let hold: TransportLock<Int32>

    /// Opens a new pseudo-terminal pair.
    ///
    /// - Throws: ``ATTransportError/system(call:target:errno:message:)`` when the system has none to give.
    public init() throws(ATTransportError) {
        var master: Int32 = -1
        var slave: Int32 = -1
        guard openpty(&master, &slave, nil, nil, nil) == 0 else { throw TransportPOSIX.failure("openpty", "a pseudo-terminal") }
        var name = [CChar](repeating: 0, count: 1024)
        guard ttyname_r(slave, &name, name.count) == 0 else {
            let failure = TransportPOSIX.failure("ttyname_r", "a pseudo-terminal")
            _ = Self.systemClose(master)
            _ = Self.systemClose(slave)
            throw failure
        }
        // Raw on the terminal end: no echo, no line editing, no CR/LF translation, as a UART.
        var settings = termios()
        if tcgetattr(slave, &settings) == 0 {
            cfmakeraw(&settings)
            _ = tcsetattr(slave, TCSANOW, &settings)
        }
        let flags = fcntl(master, F_GETFL)
        guard flags >= 0, fcntl(master, F_SETFL, flags | O_NONBLOCK) == 0 else {
            let failure = TransportPOSIX.failure("fcntl", "a pseudo-terminal")
            _ = Self.systemClose(master)
            _ = Self.systemClose(slave)
            throw failure
        }
        path = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        channel = FileDescriptorChannel(fd: master, target: "pseudo-terminal \(path)", output: .write)
        hold = TransportLock(slave)
    }

    deinit {
        releaseHold()
    }

    /// What the host wrote; nil once the terminal is closed or the host end is gone.
    public func receive() async throws(ATTransportError) -> [UInt8]? {
        do {
            return try await channel.receive()
        } catch .system(_, _, let code, _) where code == EIO {
            // Linux reports a terminal end that nobody holds open as EIO on the device end.
            return nil
        }
    }

    /// Writes to the host.
    public func send(_ bytes: [UInt8]) async throws(ATTransportError) {
        try await channel.send(bytes)
    }

    /// Closes both ends.
    public func close() async {
        releaseHold()
        await channel.close()
    }

    private func releaseHold() {
        hold.withLock { fd in
            if fd >= 0 { _ = Self.systemClose(fd) }
            fd = -1
        }
    }

    private static func systemClose(_ fd: Int32) -> Int32 {
        #if canImport(Glibc)
            Glibc.close(fd)
        #else
            Darwin.close(fd)
        #endif
    }
}
