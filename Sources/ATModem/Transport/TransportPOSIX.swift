// TransportPOSIX.swift: the C calls the transports make, under names no transport method shadows, and errno as a typed error.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Thin wrappers over the C library, on Linux and macOS alike.
enum TransportPOSIX {
    /// The current `errno`.
    static var errorNumber: Int32 { errno }

    /// The C library's text for an `errno` value ("No such file or directory").
    static func message(for code: Int32) -> String {
        // For known codes glibc and Darwin return a constant string; it is copied at once either way.
        String(cString: strerror(code))
    }

    /// The typed error for a failed call: which call, on what, and the `errno` it set.
    static func failure(_ call: String, _ target: String, _ code: Int32) -> ATTransportError {
        .system(call: call, target: target, errno: code, message: message(for: code))
    }

    /// The typed error for a failed call, from the current `errno`.
    static func failure(_ call: String, _ target: String) -> ATTransportError {
        failure(call, target, errno)
    }

    static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        #if canImport(Glibc)
            Glibc.read(fd, buffer.baseAddress, buffer.count)
        #else
            Darwin.read(fd, buffer.baseAddress, buffer.count)
        #endif
    }

    static func write(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) -> Int {
        #if canImport(Glibc)
            Glibc.write(fd, buffer.baseAddress, buffer.count)
        #else
            Darwin.write(fd, buffer.baseAddress, buffer.count)
        #endif
    }

    /// `send(2)` without SIGPIPE where the platform has a flag for it (Linux);
    /// Darwin sockets get `SO_NOSIGPIPE` when they are created instead.
    static func sendNoSignal(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) -> Int {
        #if canImport(Glibc)
            Glibc.send(fd, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL))
        #else
            Darwin.send(fd, buffer.baseAddress, buffer.count, 0)
        #endif
    }

    /// Closes `fd`. Not retried on EINTR: on Linux the descriptor is released even then.
    static func close(_ fd: Int32) {
        #if canImport(Glibc)
            _ = Glibc.close(fd)
        #else
            _ = Darwin.close(fd)
        #endif
    }

    /// Adds `flags` to the descriptor's status flags (O_NONBLOCK) and sets close-on-exec.
    static func prepare(_ fd: Int32, statusFlags flags: Int32, target: String) throws(ATTransportError) {
        let current = fcntl(fd, F_GETFL)
        guard current >= 0 else { throw failure("fcntl(F_GETFL)", target) }
        guard fcntl(fd, F_SETFL, current | flags) >= 0 else { throw failure("fcntl(F_SETFL)", target) }
        guard fcntl(fd, F_SETFD, FD_CLOEXEC) >= 0 else { throw failure("fcntl(F_SETFD)", target) }
    }
}
