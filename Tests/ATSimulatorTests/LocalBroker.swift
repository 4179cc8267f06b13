// LocalBroker.swift: a real mosquitto broker on a free loopback port for the tests: the one CI started (AT_SIM_BROKER), or one of the test's own.

import ATSimulator
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A mosquitto broker of the test's own on a free loopback port, with a password file when asked.
final class LocalBroker: @unchecked Sendable {
    let port: Int
    let folder: URL
    private var process: Process?
    /// False for the broker CI started, which the tests neither stop nor remove.
    private let owned: Bool

    /// The broker CI started for the tests, when `AT_SIM_BROKER` names it (`127.0.0.1:<port>`),
    /// else a new anonymous one of the test's own.
    static func shared() throws -> LocalBroker {
        if let address = ProcessInfo.processInfo.environment["AT_SIM_BROKER"], let colon = address.lastIndex(of: ":"),
            let port = Int(address[address.index(after: colon)...])
        {
            return LocalBroker(existing: port)
        }
        return try LocalBroker()
    }

    private init(existing port: Int) {
        self.port = port
        folder = FileManager.default.temporaryDirectory
        owned = false
    }

    /// The mosquitto executable: on PATH, or where Debian puts it.
    static var executable: String {
        for candidate in ["/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto", "/opt/homebrew/sbin/mosquitto", "/usr/local/opt/mosquitto/sbin/mosquitto"] where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        return "mosquitto"
    }

    init(users: [String: String] = [:]) throws {
        owned = true
        port = try Self.freePort()
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("at-sim-broker-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var config = "listener \(port) 127.0.0.1\n"
        if users.isEmpty {
            config += "allow_anonymous true\n"
        } else {
            let passwords = folder.appendingPathComponent("passwords").path
            for (user, password) in users {
                let tool = Process()
                tool.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                tool.arguments = ["mosquitto_passwd", "-b"] + (FileManager.default.fileExists(atPath: passwords) ? [] : ["-c"]) + [passwords, user, password]
                try tool.run()
                tool.waitUntilExit()
                #expect(tool.terminationStatus == 0, "mosquitto_passwd failed")
            }
            config += "allow_anonymous false\npassword_file \(passwords)\n"
        }
        try config.write(to: folder.appendingPathComponent("mosquitto.conf"), atomically: true, encoding: .utf8)
        try start()
    }

    deinit {
        guard owned else { return }
        stop()
        try? FileManager.default.removeItem(at: folder)
    }

    /// Starts the broker and waits until it accepts connections.
    func start() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.executable)
        process.arguments = ["-c", folder.appendingPathComponent("mosquitto.conf").path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        for _ in 0..<200 where !Self.accepts(port) { usleep(20_000) }
    }

    /// Stops the broker (SIGKILL: the clients see their connection drop, as when a broker dies).
    func stop() {
        guard let process, process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        self.process = nil
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw POSIXError(.EADDRINUSE) }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func accepts(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}
