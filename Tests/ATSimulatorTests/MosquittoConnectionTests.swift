// MosquittoConnectionTests.swift: the libmosquitto connection against real mosquitto brokers on loopback.

import ATSimulator
import Foundation
import Testing

@Suite("libmosquitto against a real broker", .serialized, .timeLimit(.minutes(2)))
struct MosquittoConnectionTests {
    @Test func bytesGoBothWaysAtQoS0And1AndARetainedMessageStays() async throws {
        let broker = try LocalBroker.shared()
        let subscriber = try MosquittoConnection(clientID: "sub-\(UUID().uuidString.prefix(8))")
        let publisher = try MosquittoConnection(clientID: "pub-\(UUID().uuidString.prefix(8))")
        defer { for connection in [subscriber, publisher] { connection.close() } }
        let root = "test/\(UUID().uuidString)"
        try await subscriber.connect(host: "127.0.0.1", port: broker.port)
        try await publisher.connect(host: "127.0.0.1", port: broker.port)
        #expect(subscriber.connected)
        #expect(try await subscriber.subscribe("\(root)/+/data", qos: 1) == 1)
        let binary = (0...255).map { UInt8($0) }
        try await publisher.publish("\(root)/1/data", payload: binary, qos: 1)
        try await publisher.publish("\(root)/ü/data", payload: Array("zero".utf8), qos: 0)
        var events = subscriber.events.makeAsyncIterator()
        #expect(await events.next() == .message(.init(topic: "\(root)/1/data", payload: binary, qos: 1, retain: false)))
        #expect(await events.next() == .message(.init(topic: "\(root)/ü/data", payload: Array("zero".utf8), qos: 0, retain: false)))
        // A retained message reaches a subscriber that comes later, marked retained.
        try await publisher.publish("\(root)/state", payload: Array("online".utf8), qos: 1, retain: true)
        let late = try MosquittoConnection(clientID: "late-\(UUID().uuidString.prefix(8))")
        defer { late.close() }
        try await late.connect(host: "127.0.0.1", port: broker.port)
        _ = try await late.subscribe("\(root)/state", qos: 0)
        var lateEvents = late.events.makeAsyncIterator()
        #expect(await lateEvents.next() == .message(.init(topic: "\(root)/state", payload: Array("online".utf8), qos: 0, retain: true)))
        try await publisher.publish("\(root)/state", payload: [], qos: 1, retain: true)
        try await subscriber.unsubscribe("\(root)/+/data")
        for connection in [subscriber, publisher, late] { await connection.disconnect() }
        #expect(!subscriber.connected)
    }

    @Test func aWrongPasswordIsRefusedWithTheBrokersCode() async throws {
        let broker = try LocalBroker(users: ["gateway": "right"])
        let client = try MosquittoConnection(clientID: "gw")
        defer { client.close() }
        do {
            try await client.connect(host: "127.0.0.1", port: broker.port, username: "gateway", password: "wrong")
            Issue.record("a wrong password connected")
        } catch {
            #expect(error.refused)
            #expect([4, 5].contains(error.code), "\(error)")
        }
        // The same connection logs in with the right password.
        try await client.connect(host: "127.0.0.1", port: broker.port, username: "gateway", password: "right")
        #expect(client.connected)
        await client.disconnect()
    }

    @Test func aBrokerThatGoesAwayIsReportedOnceAndTheConnectionComesBack() async throws {
        let broker = try LocalBroker()
        let client = try MosquittoConnection(clientID: "gw")
        defer { client.close() }
        try await client.connect(host: "127.0.0.1", port: broker.port, keepAlive: 5)
        var events = client.events.makeAsyncIterator()
        broker.stop()
        guard case .lost = await events.next() else {
            Issue.record("no loss reported")
            return
        }
        #expect(!client.connected)
        do {
            try await client.publish("t", payload: [1], qos: 1)
            Issue.record("published with no broker")
        } catch {
            #expect(!error.refused)
        }
        try broker.start()
        try await client.connect(host: "127.0.0.1", port: broker.port, keepAlive: 5)
        try await client.publish("t", payload: [1], qos: 1)
        await client.disconnect()
    }

    @Test func aWillIsPublishedWhenTheConnectionIsLostNotOnDisconnect() async throws {
        let broker = try LocalBroker.shared()
        let topic = "test/\(UUID().uuidString)/will"
        let watcher = try MosquittoConnection(clientID: "watch-\(UUID().uuidString.prefix(8))")
        defer { watcher.close() }
        try await watcher.connect(host: "127.0.0.1", port: broker.port)
        _ = try await watcher.subscribe(topic, qos: 1)
        let will = MosquittoWill(topic: topic, payload: Array("gone".utf8), qos: 1, retain: false)
        let polite = try MosquittoConnection(clientID: "polite-\(UUID().uuidString.prefix(8))")
        try await polite.connect(host: "127.0.0.1", port: broker.port, will: will)
        await polite.disconnect()
        polite.close()
        // A connection dropped without DISCONNECT (a module's reboot) is lost to the broker, which publishes the will.
        let rude = try MosquittoConnection(clientID: "rude-\(UUID().uuidString.prefix(8))")
        defer { rude.close() }
        try await rude.connect(host: "127.0.0.1", port: broker.port, will: MosquittoWill(topic: topic, payload: Array("lost".utf8), qos: 1, retain: false), protocolVersion: 5)
        try await rude.publish(topic, payload: Array("last".utf8), qos: 1)
        await rude.drop()
        #expect(!rude.connected)
        var events = watcher.events.makeAsyncIterator()
        #expect(await events.next() == .message(.init(topic: topic, payload: Array("last".utf8), qos: 1, retain: false)))
        #expect(await events.next() == .message(.init(topic: topic, payload: Array("lost".utf8), qos: 1, retain: false)))
        await watcher.disconnect()
    }

    @Test func anUnreachableBrokerFailsTheConnect() async throws {
        let client = try MosquittoConnection(clientID: "gw")
        defer { client.close() }
        let port = try LocalBroker.freePort()
        do {
            try await client.connect(host: "127.0.0.1", port: port)
            Issue.record("connected to nothing")
        } catch {
            #expect(!error.refused)
        }
    }

    @Test func manyConnectionsComeAndGoWithoutAThreadOrDescriptorLeft() async throws {
        let broker = try LocalBroker.shared()
        let before = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count
        for round in 0..<40 {
            let client = try MosquittoConnection(clientID: "loop-\(round)-\(UUID().uuidString.prefix(6))")
            try await client.connect(host: "127.0.0.1", port: broker.port)
            try await client.publish("test/loop", payload: [UInt8(round)], qos: round % 2)
            if round % 3 == 0 { await client.disconnect() }
            client.close()
        }
        let after = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count
        // Other suites run beside this one and open descriptors of their own: a leak here would be 80 or more.
        #expect(after - before < 40, "descriptors before \(before), after \(after)")
    }
}
