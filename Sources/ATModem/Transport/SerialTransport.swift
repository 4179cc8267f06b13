// SerialTransport.swift: a serial device (a USB modem's AT port, a UART) opened raw through termios.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A serial device: `/dev/ttyUSB2`, `/dev/ttyACM0`, `/dev/cu.usbmodem…`.
///
/// Opening sets raw mode and the ``SerialConfiguration`` (checked by reading the
/// settings back); closing restores the settings the device had before. Reads
/// and writes never block Swift's cooperative threads (see ``FileDescriptorChannel``).
/// One receive returns what the device has, at most 16 KiB.
///
/// Releasing the transport without ``close()`` also restores the settings and closes the device.
public final class SerialTransport: ATTransport {
    /// The device path it was opened with.
    public let path: String
    /// The line settings in force.
    public let configuration: SerialConfiguration
    let channel: FileDescriptorChannel

    /// Opens and configures the device at `path`.
    ///
    /// The device is opened with `O_RDWR | O_NOCTTY | O_NONBLOCK` (it does not become
    /// the process's controlling terminal, and opening does not wait for carrier).
    ///
    /// - Throws: ``ATTransportError/system(call:target:errno:message:)`` naming the
    ///   call and `path` (a missing device: `open on /dev/ttyUSB9 failed: No such file
    ///   or directory (errno 2)`; not a terminal: `tcgetattr … Inappropriate ioctl for
    ///   device`; held exclusively by another process: `open … Device or resource busy`);
    ///   ``ATTransportError/unsupported(_:)`` when the device does not keep a setting
    ///   (a baud rate its driver cannot run at).
    public init(path: String, configuration: SerialConfiguration = SerialConfiguration()) throws(ATTransportError) {
        let fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw TransportPOSIX.failure("open", path) }
        let original = try Self.configure(fd, path: path, configuration: configuration)
        self.path = path
        self.configuration = configuration
        let exclusive = configuration.exclusive
        channel = FileDescriptorChannel(fd: fd, target: path, output: .write) { fd in
            Self.restore(original, on: fd, exclusive: exclusive)
        }
    }

    /// Waits for bytes from the device; nil once closed or when the device hung up.
    public func receive() async throws(ATTransportError) -> [UInt8]? {
        try await channel.receive()
    }

    /// Writes all of `bytes`, waiting while the device's output buffer is full
    /// (for instance while the modem holds CTS low).
    public func send(_ bytes: [UInt8]) async throws(ATTransportError) {
        try await channel.send(bytes)
    }

    /// Restores the device's previous settings and closes it. Bytes still in the
    /// kernel's output buffer are left to the driver.
    public func close() async {
        await channel.close()
    }

    // MARK: termios

    /// Applies `configuration` to the freshly opened `fd` and returns the settings it
    /// had before; on failure puts those back and closes `fd`.
    private static func configure(
        _ fd: Int32, path: String, configuration: SerialConfiguration
    ) throws(ATTransportError) -> termios {
        var original: termios?
        do throws(ATTransportError) {
            // First, so that a path that is no terminal is reported as such.
            let before = try settings(of: fd, path: path)
            if configuration.exclusive, ioctl(fd, UInt(TIOCEXCL)) != 0 {
                throw TransportPOSIX.failure("ioctl(TIOCEXCL)", path)
            }
            original = before
            var wanted = before
            configuration.apply(to: &wanted)
            try apply(wanted, to: fd, path: path)
            // tcsetattr succeeds when any one setting was taken; read back to know them all were.
            let missing = configuration.differences(from: try settings(of: fd, path: path))
            guard missing.isEmpty else {
                throw .unsupported("\(path) did not accept \(missing.joined(separator: ", "))")
            }
            return before
        } catch {
            restore(original, on: fd, exclusive: configuration.exclusive)
            TransportPOSIX.close(fd)
            throw error
        }
    }

    private static func settings(of fd: Int32, path: String) throws(ATTransportError) -> termios {
        var settings = termios()
        guard tcgetattr(fd, &settings) == 0 else { throw TransportPOSIX.failure("tcgetattr", path) }
        return settings
    }

    private static func apply(_ settings: termios, to fd: Int32, path: String) throws(ATTransportError) {
        var settings = settings
        while tcsetattr(fd, TCSANOW, &settings) != 0 {
            let code = TransportPOSIX.errorNumber
            guard code == EINTR else { throw TransportPOSIX.failure("tcsetattr", path, code) }
        }
    }

    /// Puts back the settings from before opening and gives up exclusive use (which
    /// would otherwise outlive this descriptor on a pseudo-terminal whose other side stays open).
    private static func restore(_ settings: termios?, on fd: Int32, exclusive: Bool) {
        if var settings { _ = tcsetattr(fd, TCSANOW, &settings) }
        if exclusive { _ = ioctl(fd, UInt(TIOCNXCL)) }
    }
}
