// TransportSerialTests.swift: SerialTransport on a real pseudo-terminal: termios settings, both directions, backpressure, close, errors.

import Testing

@testable import ATModem

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite("Transport: serial on a pseudo-terminal", .timeLimit(.minutes(1)))
struct TransportSerialTests {
    /// A configuration and the termios speed value it must produce.
    struct Case: Sendable, CustomTestStringConvertible {
        let configuration: SerialConfiguration
        var speed: speed_t { termiosSpeed(configuration.baudRate.rawValue) }
        var testDescription: String {
            let c = configuration
            return "\(c.baudRate.rawValue) \(c.dataBits.rawValue)\(c.parity)\(c.stopBits) \(c.flowControl)"
        }
    }

    /// The termios speed value for `rate`, spelled independently of the library's mapping.
    static func termiosSpeed(_ rate: Int) -> speed_t {
        #if canImport(Glibc)
            let constants: [Int: Int32] = [
                1200: B1200, 2400: B2400, 4800: B4800, 9600: B9600, 19_200: B19200, 38_400: B38400,
                57_600: B57600, 115_200: B115200, 230_400: B230400, 460_800: B460800, 500_000: B500000,
                576_000: B576000, 921_600: B921600, 1_000_000: B1000000, 1_152_000: B1152000,
                1_500_000: B1500000, 2_000_000: B2000000, 2_500_000: B2500000, 3_000_000: B3000000,
                3_500_000: B3500000, 4_000_000: B4000000,
            ]
            return speed_t(truncatingIfNeeded: constants[rate] ?? 0)
        #else
            return speed_t(rate)  // Darwin's speed values are the rates themselves
        #endif
    }

    // Pseudo-terminals keep the baud rate, stop bits and flow control they are given, but
    // Linux forces CS8 and no parity on them; other framings are checked on termios values below.
    static let cases: [Case] = [
        Case(configuration: SerialConfiguration()),
        Case(configuration: SerialConfiguration(baudRate: .b9600, stopBits: .two, flowControl: .rtsCts)),
        Case(configuration: SerialConfiguration(baudRate: .b921600, flowControl: .xonXoff)),
        Case(configuration: SerialConfiguration(baudRate: .b1200, exclusive: false)),
        Case(configuration: SerialConfiguration(baudRate: .b4000000, stopBits: .two)),
    ]

    @Test(arguments: cases)
    func appliesRawModeAndTheLineSettings(_ test: Case) async throws {
        let pty = try PseudoTerminal()
        defer { pty.close() }
        let transport = try SerialTransport(path: pty.path, configuration: test.configuration)
        let settings = try pty.settings()
        await transport.close()

        // Raw: no line editing, echo, signals, output processing or input translation.
        for flag in [ICANON, ECHO, ECHOE, ECHOK, ECHONL, ECHOCTL, ECHOKE, ISIG, IEXTEN] {
            #expect(settings.c_lflag & tcflag_t(flag) == 0, "c_lflag bit \(flag)")
        }
        #expect(settings.c_oflag & tcflag_t(OPOST) == 0)
        for flag in [IGNBRK, BRKINT, PARMRK, ISTRIP, INLCR, IGNCR, ICRNL] {
            #expect(settings.c_iflag & tcflag_t(flag) == 0, "c_iflag bit \(flag)")
        }
        let mode = withUnsafeBytes(of: settings.c_cc) { ($0[Int(VMIN)], $0[Int(VTIME)]) }
        #expect(mode == (1, 0))
        #expect(settings.c_cflag & tcflag_t(CLOCAL | CREAD) == tcflag_t(CLOCAL | CREAD))

        // The line settings.
        let speeds = withUnsafePointer(to: settings) { (cfgetispeed($0), cfgetospeed($0)) }
        #expect(speeds == (test.speed, test.speed))
        #expect(settings.c_cflag & tcflag_t(CSIZE) == tcflag_t(CS8))
        let configuration = test.configuration
        #expect((settings.c_cflag & tcflag_t(PARENB) != 0) == (configuration.parity != .none))
        if configuration.parity != .none {
            #expect((settings.c_cflag & tcflag_t(PARODD) != 0) == (configuration.parity == .odd))
            #expect(settings.c_iflag & tcflag_t(INPCK) != 0)
        }
        #expect((settings.c_cflag & tcflag_t(CSTOPB) != 0) == (configuration.stopBits == .two))
        #expect((settings.c_cflag & tcflag_t(CRTSCTS) != 0) == (configuration.flowControl == .rtsCts))
        #expect((settings.c_iflag & tcflag_t(IXON) != 0) == (configuration.flowControl == .xonXoff))
        #expect((settings.c_iflag & tcflag_t(IXOFF) != 0) == (configuration.flowControl == .xonXoff))
    }

    @Test func everyStandardRateReachesTheDevice() async throws {
        let pty = try PseudoTerminal()
        defer { pty.close() }
        for rate in SerialBaudRate.allCases {
            let transport = try SerialTransport(path: pty.path, configuration: SerialConfiguration(baudRate: rate))
            let settings = try pty.settings()
            await transport.close()
            let speeds = withUnsafePointer(to: settings) { (cfgetispeed($0), cfgetospeed($0)) }
            #expect(speeds == (Self.termiosSpeed(rate.rawValue), Self.termiosSpeed(rate.rawValue)), "\(rate.rawValue)")
        }
    }

    @Test(arguments: [
        (SerialConfiguration(dataBits: .seven, parity: .even, stopBits: .two), tcflag_t(CS7)),
        (SerialConfiguration(dataBits: .five, parity: .odd), tcflag_t(CS5)),
        (SerialConfiguration(dataBits: .six), tcflag_t(CS6)),
    ])
    func framingFlags(_ configuration: SerialConfiguration, size: tcflag_t) {
        var settings = termios()
        settings.c_cflag = tcflag_t(CS8) | tcflag_t(PARENB) | tcflag_t(PARODD) | tcflag_t(CSTOPB) | tcflag_t(CRTSCTS)
        settings.c_iflag = tcflag_t(IXON) | tcflag_t(INPCK)
        configuration.apply(to: &settings)
        #expect(settings.c_cflag & tcflag_t(CSIZE) == size)
        #expect((settings.c_cflag & tcflag_t(PARENB) != 0) == (configuration.parity != .none))
        #expect((settings.c_cflag & tcflag_t(PARODD) != 0) == (configuration.parity == .odd))
        #expect((settings.c_iflag & tcflag_t(INPCK) != 0) == (configuration.parity != .none))
        #expect((settings.c_cflag & tcflag_t(CSTOPB) != 0) == (configuration.stopBits == .two))
        #expect(settings.c_cflag & tcflag_t(CRTSCTS) == 0)
        #expect(settings.c_iflag & tcflag_t(IXON) == 0)
        #expect(configuration.differences(from: settings).isEmpty)
    }

    #if os(Linux)
        @Test func aSettingTheDeviceDropsIsATypedErrorAndLeavesItAsItWas() async throws {
            let pty = try PseudoTerminal()
            defer { pty.close() }
            let before = try pty.settings()
            let error = #expect(throws: ATTransportError.self) {
                try SerialTransport(path: pty.path, configuration: SerialConfiguration(dataBits: .seven, parity: .even))
            }
            #expect(error == .unsupported("\(pty.path) did not accept 7 data bits, parity even"))
            let after = try pty.settings()
            #expect(after.c_lflag == before.c_lflag)
            #expect(after.c_iflag == before.c_iflag)
            // The failed open let go of the device: it opens again.
            let transport = try SerialTransport(path: pty.path)
            await transport.close()
        }
    #endif

    @Test func closeRestoresTheSettingsTheDeviceHadBefore() async throws {
        let pty = try PseudoTerminal()
        defer { pty.close() }
        let before = try pty.settings()
        #expect(before.c_lflag & tcflag_t(ICANON) != 0, "a fresh pty starts in canonical mode")
        let transport = try SerialTransport(
            path: pty.path, configuration: SerialConfiguration(baudRate: .b9600, flowControl: .rtsCts))
        #expect(try pty.settings().c_lflag & tcflag_t(ICANON) == 0)
        await transport.close()

        let after = try pty.settings()
        #expect(after.c_iflag == before.c_iflag)
        #expect(after.c_oflag == before.c_oflag)
        #expect(after.c_cflag == before.c_cflag)
        #expect(after.c_lflag == before.c_lflag)
        #expect(withUnsafeBytes(of: after.c_cc, Array.init) == withUnsafeBytes(of: before.c_cc, Array.init))
    }

    @Test func releasingWithoutClosingRestoresTheSettingsAndClosesTheDevice() async throws {
        let pty = try PseudoTerminal()
        defer { pty.close() }
        let before = try pty.settings()
        do {
            let transport = try SerialTransport(path: pty.path)
            try await transport.send(Array("AT\r".utf8))
            #expect(await PeerIO.read(pty.master, count: 3) == Array("AT\r".utf8))
        }
        // Settings are restored just before the descriptor is closed, once Dispatch has let go of it.
        try await waitUntil("the released transport restores the settings") {
            (try? pty.settings())?.c_lflag == before.c_lflag
        }
    }

    @Test func exchangesBytesBothWays() async throws {
        let pty = try PseudoTerminal()
        defer { pty.close() }
        let transport = try SerialTransport(path: pty.path)

        // From the modem: every byte value passes untranslated (CR, LF, NUL, XON, DEL, 0xFF).
        let fromModem = Array("\r\nOK\r\n".utf8) + (0...255).map { UInt8($0) }
        #expect(await PeerIO.write(pty.master, fromModem))
        #expect(try await receive(fromModem.count, from: transport) == fromModem)

        // To the modem.
        let toModem = Array("AT+CSQ\r".utf8) + (0...255).reversed().map { UInt8($0) }
        try await transport.send(toModem)
        #expect(await PeerIO.read(pty.master, count: toModem.count) == toModem)

        await transport.close()
    }

    @Test func largeSendCompletesWhileThePeerDrains() async throws {
        let pty = try PseudoTerminal()
        defer { pty.close() }
        let transport = try SerialTransport(path: pty.path)
        let payload = patternBytes(64 * 1024)

        let sending = Task { try await transport.send(payload) }
        // The pty takes far less than 64 KiB: the send must be waiting for room.
        try await waitUntil("the send waits for the pty to drain") { transport.channel.waitingSendCount == 1 }

        let drained = await PeerIO.read(pty.master, count: payload.count)
        try await sending.value
        #expect(drained.count == payload.count)
        #expect(drained == payload)
        #expect(transport.channel.waitingSendCount == 0)
        await transport.close()
    }

    @Test func concurrentSendsDoNotInterleave() async throws {
        let pty = try PseudoTerminal()
        defer { pty.close() }
        let transport = try SerialTransport(path: pty.path)
        // Each message is larger than the pty's buffer, so they queue behind each other.
        let messages = (0..<4).map { [UInt8(0x41 + $0)] + [UInt8](repeating: UInt8(0x61 + $0), count: 30_000) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for message in messages { group.addTask { try await transport.send(message) } }
            let drained = await PeerIO.read(pty.master, count: messages.count * 30_001)
            try await group.waitForAll()
            // Whatever order the tasks ran in, each message is contiguous.
            #expect(drained.count == messages.count * 30_001)
            let pieces = stride(from: 0, to: drained.count, by: 30_001).map { Array(drained[$0..<min($0 + 30_001, drained.count)]) }
            #expect(Set(pieces) == Set(messages))
        }
        await transport.close()
    }

    @Test func closeWakesAPendingReceive() async throws {
        let pty = try PseudoTerminal()
        defer { pty.close() }
        let transport = try SerialTransport(path: pty.path)
        let receiving = Task { try await transport.receive() }
        try await waitUntil("the receive waits") { transport.channel.waitingReceiverCount == 1 }

        await transport.close()
        #expect(try await receiving.value == nil)
        #expect(try await transport.receive() == nil)
        await #expect(throws: ATTransportError.closed) { try await transport.send(Array("AT\r".utf8)) }
        await transport.close()  // a second close is harmless
    }

    @Test func cancelledReceiveThrowsAndTheTransportStaysUsable() async throws {
        let pty = try PseudoTerminal()
        defer { pty.close() }
        let transport = try SerialTransport(path: pty.path)
        let receiving = Task { try await transport.receive() }
        try await waitUntil("the receive waits") { transport.channel.waitingReceiverCount == 1 }

        receiving.cancel()
        await #expect(throws: ATTransportError.cancelled) { try await receiving.value }
        #expect(transport.channel.waitingReceiverCount == 0)

        #expect(await PeerIO.write(pty.master, Array("RING\r\n".utf8)))
        #expect(try await receive(6, from: transport) == Array("RING\r\n".utf8))
        await transport.close()
    }

    @Test func hangUpEndsTheStream() async throws {
        let pty = try PseudoTerminal()
        defer { systemClose(pty.slave) }
        let transport = try SerialTransport(path: pty.path)
        let receiving = Task { try await transport.receive() }
        try await waitUntil("the receive waits") { transport.channel.waitingReceiverCount == 1 }

        systemClose(pty.master)  // hangs up the line
        #expect(try await receiving.value == nil)
        #expect(try await transport.receive() == nil)
        await transport.close()
    }

    @Test func aMissingDeviceIsATypedErrorNamingThePath() throws {
        let path = "/dev/ttyATModemTestNoSuchDevice"
        let error = #expect(throws: ATTransportError.self) { try SerialTransport(path: path) }
        #expect(error == .system(call: "open", target: path, errno: ENOENT, message: "No such file or directory"))
        #expect(error?.description == "open on \(path) failed: No such file or directory (errno \(ENOENT))")
    }

    @Test func aFileThatIsNotATerminalIsATypedError() throws {
        let error = #expect(throws: ATTransportError.self) { try SerialTransport(path: "/dev/null") }
        guard case .system(let call, let target, let code, _) = error else {
            Issue.record("expected a system error, got \(String(describing: error))")
            return
        }
        #expect(call == "tcgetattr")
        #expect(target == "/dev/null")
        #expect(code == ENOTTY)
    }
}
