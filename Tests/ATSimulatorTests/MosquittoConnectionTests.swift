// MosquittoConnectionTests.swift: the libmosquitto connection against a real mosquitto broker on loopback.

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

    /// The mosquitto executable: on PATH, or where Debian puts it.
    static var executable: String {
        for candidate in ["/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto", "/opt/homebrew/sbin/mosquitto", "/usr/local/opt/mosquitto/sbin/mosquitto"] where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        return "mosquitto"
    }

    init(users: [String: String] = [:]) throws {
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

@Suite("libmosquitto against a real broker", .serialized, .timeLimit(.minutes(1)))
struct MosquittoConnectionTests {
    static func next(_ connection: MosquittoConnection) async -> MosquittoConnection.Event? {
        var iterator = connection.events.makeAsyncIterator()
        return await iterator.next()
    }

    @Test func bytesGoBothWaysAtQoS0And1AndARetainedMessageStays() async throws {
        let broker = try LocalBroker()
        let subscriber = try MosquittoConnection(clientID: "sub")
        let publisher = try MosquittoConnection(clientID: "pub")
        try await subscriber.connect(host: "127.0.0.1", port: broker.port)
        try await publisher.connect(host: "127.0.0.1", port: broker.port)
        #expect(try await subscriber.subscribe("gw/+/data", qos: 1) == 1)
        let binary = (0...255).map { UInt8($0) }
        try await publisher.publish("gw/1/data", payload: binary, qos: 1)
        try await publisher.publish("gw/ü/data", payload: Array("zero".utf8), qos: 0)
        var events = subscriber.events.makeAsyncIterator()
        #expect(await events.next() == .message(.init(topic: "gw/1/data", payload: binary, qos: 1, retain: false)))
        #expect(await events.next() == .message(.init(topic: "gw/ü/data", payload: Array("zero".utf8), qos: 0, retain: false)))
        // A retained message reaches a subscriber that comes later.
        try await publisher.publish("gw/state", payload: Array("online".utf8), qos: 1, retain: true)
        let late = try MosquittoConnection(clientID: "late")
        try await late.connect(host: "127.0.0.1", port: broker.port)
        _ = try await late.subscribe("gw/state", qos: 0)
        #expect(await Self.next(late) == .message(.init(topic: "gw/state", payload: Array("online".utf8), qos: 0, retain: true)))
        try await subscriber.unsubscribe("gw/+/data")
        for connection in [subscriber, publisher, late] { connection.disconnect() }
    }

    @Test func aWrongPasswordIsRefusedWithTheBrokersCode() async throws {
        let broker = try LocalBroker(users: ["gateway": "right"])
        let client = try MosquittoConnection(clientID: "gw")
        do {
            try await client.connect(host: "127.0.0.1", port: broker.port, username: "gateway", password: "wrong")
            Issue.record("a wrong password connected")
        } catch {
            #expect(error.refused)
            #expect([4, 5].contains(error.code), "\(error)")
        }
        let right = try MosquittoConnection(clientID: "gw2")
        try await right.connect(host: "127.0.0.1", port: broker.port, username: "gateway", password: "right")
        right.disconnect()
    }

    @Test func aBrokerThatGoesAwayIsReportedOnceAndTheConnectionComesBack() async throws {
        let broker = try LocalBroker()
        let client = try MosquittoConnection(clientID: "gw")
        try await client.connect(host: "127.0.0.1", port: broker.port, keepAlive: 5)
        var events = client.events.makeAsyncIterator()
        broker.stop()
        guard case .lost = await events.next() else {
            Issue.record("no loss reported")
            return
        }
        do {
            try await client.publish("t", payload: [1], qos: 1)
            Issue.record("published with no broker")
        } catch {
            #expect(!error.refused)
        }
        try broker.start()
        try await client.connect(host: "127.0.0.1", port: broker.port, keepAlive: 5)
        try await client.publish("t", payload: [1], qos: 1)
        client.disconnect()
    }

    @Test func anUnreachableBrokerFailsTheConnect() async throws {
        let client = try MosquittoConnection(clientID: "gw")
        let port = try LocalBroker.freePort()
        do {
            try await client.connect(host: "127.0.0.1", port: port)
            Issue.record("connected to nothing")
        } catch {
            #expect(!error.refused)
        }
    }
}
