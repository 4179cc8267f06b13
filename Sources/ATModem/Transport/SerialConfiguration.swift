// SerialConfiguration.swift: line settings of a serial port (baud rate, framing, flow control) and how they become termios flags.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The line settings ``SerialTransport`` applies; the default is 115200 baud, 8N1, no flow control.
public struct SerialConfiguration: Sendable, Hashable {
    /// Bits per second.
    public var baudRate: SerialBaudRate
    /// Data bits per character.
    public var dataBits: SerialDataBits
    /// Parity bit.
    public var parity: SerialParity
    /// Stop bits per character.
    public var stopBits: SerialStopBits
    /// How either side pauses the other.
    public var flowControl: SerialFlowControl
    /// Whether to take the device for this process alone (`TIOCEXCL`): another
    /// open of the same device then fails with EBUSY (except for root).
    public var exclusive: Bool

    /// - Parameters match the properties; the defaults are 115200 baud, 8N1, no flow control, exclusive.
    public init(
        baudRate: SerialBaudRate = .b115200, dataBits: SerialDataBits = .eight, parity: SerialParity = .none,
        stopBits: SerialStopBits = .one, flowControl: SerialFlowControl = .none, exclusive: Bool = true
    ) {
        self.baudRate = baudRate
        self.dataBits = dataBits
        self.parity = parity
        self.stopBits = stopBits
        self.flowControl = flowControl
        self.exclusive = exclusive
    }
}

/// A standard baud rate. On Linux each maps to its `B…` constant; on macOS the
/// rate itself is the termios speed value, and a driver that cannot run at it
/// makes opening fail with a typed error.
public enum SerialBaudRate: Int, Sendable, Hashable, CaseIterable {
    case b1200 = 1200
    case b2400 = 2400
    case b4800 = 4800
    case b9600 = 9600
    case b19200 = 19200
    case b38400 = 38400
    case b57600 = 57600
    case b115200 = 115_200
    case b230400 = 230_400
    case b460800 = 460_800
    case b500000 = 500_000
    case b576000 = 576_000
    case b921600 = 921_600
    case b1000000 = 1_000_000
    case b1152000 = 1_152_000
    case b1500000 = 1_500_000
    case b2000000 = 2_000_000
    case b2500000 = 2_500_000
    case b3000000 = 3_000_000
    case b3500000 = 3_500_000
    case b4000000 = 4_000_000

    /// The termios speed value for this rate.
    var speed: speed_t {
        #if canImport(Glibc)
            let constant: Int32 =
                switch self {
                case .b1200: B1200
                case .b2400: B2400
                case .b4800: B4800
                case .b9600: B9600
                case .b19200: B19200
                case .b38400: B38400
                case .b57600: B57600
                case .b115200: B115200
                case .b230400: B230400
                case .b460800: B460800
                case .b500000: B500000
                case .b576000: B576000
                case .b921600: B921600
                case .b1000000: B1000000
                case .b1152000: B1152000
                case .b1500000: B1500000
                case .b2000000: B2000000
                case .b2500000: B2500000
                case .b3000000: B3000000
                case .b3500000: B3500000
                case .b4000000: B4000000
                }
            return speed_t(constant)
        #else
            // Darwin's B… constants are the rates themselves.
            return speed_t(rawValue)
        #endif
    }

}

/// Data bits per character.
public enum SerialDataBits: Int, Sendable, Hashable, CaseIterable {
    case five = 5
    case six = 6
    case seven = 7
    case eight = 8

    var flag: tcflag_t {
        switch self {
        case .five: tcflag_t(CS5)
        case .six: tcflag_t(CS6)
        case .seven: tcflag_t(CS7)
        case .eight: tcflag_t(CS8)
        }
    }
}

/// The parity bit.
public enum SerialParity: Sendable, Hashable, CaseIterable {
    case none
    case even
    case odd
}

/// Stop bits per character.
public enum SerialStopBits: Sendable, Hashable, CaseIterable {
    case one
    case two
}

/// How the two ends pause each other.
public enum SerialFlowControl: Sendable, Hashable, CaseIterable {
    /// No flow control: the modem must keep up (typical for AT ports at 115200 baud).
    case none
    /// Hardware flow control on the RTS and CTS lines (`CRTSCTS`).
    case rtsCts
    /// Software flow control with XON/XOFF characters (`IXON | IXOFF`); only for text, as
    /// the characters 0x11 and 0x13 are then taken out of the data stream.
    case xonXoff
}

extension SerialConfiguration {
    /// Sets `settings` to raw mode with these line settings.
    ///
    /// Raw mode is what `cfmakeraw` does (no line editing, echo, signals or
    /// character translation, no output processing), plus `CLOCAL | CREAD`
    /// (ignore the modem-control lines, enable the receiver). VMIN = 1 and
    /// VTIME = 0: with the descriptor non-blocking, a read with nothing to read
    /// then fails with EAGAIN; VMIN = 0 would make it return 0, which reads as
    /// end of file.
    func apply(to settings: inout termios) {
        cfmakeraw(&settings)
        // cfmakeraw leaves the echo variants that only matter with ECHO or ICANON; clear them too.
        settings.c_lflag &= ~(tcflag_t(ECHOE) | tcflag_t(ECHOK) | tcflag_t(ECHOCTL) | tcflag_t(ECHOKE))
        settings.c_cflag &= ~(tcflag_t(CSIZE) | tcflag_t(PARENB) | tcflag_t(PARODD) | tcflag_t(CSTOPB) | tcflag_t(CRTSCTS))
        settings.c_cflag |= dataBits.flag | tcflag_t(CLOCAL) | tcflag_t(CREAD)
        switch parity {
        case .none:
            settings.c_iflag &= ~tcflag_t(INPCK)
        case .even:
            settings.c_cflag |= tcflag_t(PARENB)
            settings.c_iflag |= tcflag_t(INPCK)
        case .odd:
            settings.c_cflag |= tcflag_t(PARENB) | tcflag_t(PARODD)
            settings.c_iflag |= tcflag_t(INPCK)
        }
        if stopBits == .two { settings.c_cflag |= tcflag_t(CSTOPB) }
        settings.c_iflag &= ~(tcflag_t(IXON) | tcflag_t(IXOFF) | tcflag_t(IXANY))
        switch flowControl {
        case .none: break
        case .rtsCts: settings.c_cflag |= tcflag_t(CRTSCTS)
        case .xonXoff: settings.c_iflag |= tcflag_t(IXON) | tcflag_t(IXOFF)
        }
        withUnsafeMutableBytes(of: &settings.c_cc) { controlCharacters in
            controlCharacters[Int(VMIN)] = 1
            controlCharacters[Int(VTIME)] = 0
        }
        cfsetispeed(&settings, baudRate.speed)
        cfsetospeed(&settings, baudRate.speed)
    }

    /// What of these settings `settings` does not have, as short phrases ("baud rate 9600", "parity odd").
    func differences(from settings: termios) -> [String] {
        var differences: [String] = []
        let (output, input) = withUnsafePointer(to: settings) { (cfgetospeed($0), cfgetispeed($0)) }
        if output != baudRate.speed || input != baudRate.speed {
            differences.append("baud rate \(baudRate.rawValue)")
        }
        if settings.c_cflag & tcflag_t(CSIZE) != dataBits.flag { differences.append("\(dataBits.rawValue) data bits") }
        let parityFlags = settings.c_cflag & (tcflag_t(PARENB) | tcflag_t(PARODD))
        let wantedParity: tcflag_t =
            switch parity {
            case .none: 0
            case .even: tcflag_t(PARENB)
            case .odd: tcflag_t(PARENB) | tcflag_t(PARODD)
            }
        if parity == .none ? parityFlags & tcflag_t(PARENB) != 0 : parityFlags != wantedParity {
            differences.append("parity \(parity)")
        }
        if (settings.c_cflag & tcflag_t(CSTOPB) != 0) != (stopBits == .two) { differences.append("stop bits \(stopBits)") }
        let hardware = settings.c_cflag & tcflag_t(CRTSCTS) == tcflag_t(CRTSCTS)
        let software = settings.c_iflag & tcflag_t(IXON) != 0
        if hardware != (flowControl == .rtsCts) || software != (flowControl == .xonXoff) {
            differences.append("flow control \(flowControl)")
        }
        return differences
    }
}
