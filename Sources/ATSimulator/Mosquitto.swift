// Mosquitto.swift: one MQTT connection to a real broker through libmosquitto, with async operations and an event stream.

import CMosquitto
import Foundation

/// Why a libmosquitto call failed.
public struct MosquittoError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was being done (`connect`, `publish`).
    public var operation: String
    /// libmosquitto's error number (`MOSQ_ERR_*`), or the broker's CONNACK code for a refused connection.
    public var code: Int32
    /// libmosquitto's text for it.
    public var message: String
    /// True when the broker refused the connection (`code` is the CONNACK code).
    public var refused: Bool

    public var description: String { "\(operation): \(message)" }

    static func call(_ operation: String, _ code: Int32) -> MosquittoError {
        MosquittoError(operation: operation, code: code, message: String(cString: mosquitto_strerror(code)), refused: false)
    }
}

/// One client connection to a broker through libmosquitto: connect, subscribe, publish with
/// acknowledgements awaited, and the broker's messages and the loss of the connection as events.
///
/// libmosquitto runs its network loop on a thread of its own (`mosquitto_loop_start`); its
/// callbacks resume the waiting calls and feed ``events``. The connection does not reconnect by
/// itself: a lost connection is reported once, as a modem reports it, and ``connect(host:port:keepAlive:)``
/// connects again.
public final class MosquittoConnection: @unchecked Sendable {
    /// A message from the broker.
    public struct Message: Sendable, Hashable {
        public var topic: String
        public var payload: [UInt8]
        public var qos: Int
        public var retain: Bool

        public init(topic: String, payload: [UInt8], qos: Int, retain: Bool) {
            self.topic = topic
            self.payload = payload
            self.qos = qos
            self.retain = retain
        }
    }

    /// What the broker did unasked.
    public enum Event: Sendable, Hashable {
        /// A message on a subscribed topic.
        case message(Message)
        /// The connection ended without ``disconnect()``: libmosquitto's reason code.
        case lost(code: Int32)
    }

    /// The broker's messages and the connection's loss, in order.
    public let events: AsyncStream<Event>
    private let sink: AsyncStream<Event>.Continuation
    private let handle: OpaquePointer
    private let lock = NSLock()
    private var connecting: CheckedContinuation<Int32, Never>?
    private var acknowledgements: [Int32: CheckedContinuation<Int, Never>] = [:]
    /// Acknowledgements that came before their wait was registered.
    private var early: [Int32: Int] = [:]
    private var closing = false
    /// True between the broker's CONNACK and the end of the connection.
    private var isConnected = false
    private var running = false

    private static let initialized: Bool = {
        mosquitto_lib_init()
        return true
    }()

    /// A new, unconnected client.
    ///
    /// - Throws: ``MosquittoError`` when libmosquitto cannot make one.
    public init(clientID: String, cleanSession: Bool = true) throws(MosquittoError) {
        _ = Self.initialized
        (events, sink) = AsyncStream.makeStream(of: Event.self)
        guard let made = mosquitto_new(clientID, cleanSession, nil) else { throw .call("new", MOSQ_ERR_NOMEM.rawValue) }
        handle = made
        mosquitto_user_data_set(handle, Unmanaged.passUnretained(self).toOpaque())
        mosquitto_connect_callback_set(handle) { _, context, code in
            MosquittoConnection.from(context)?.connected(code)
        }
        mosquitto_disconnect_callback_set(handle) { _, context, code in
            MosquittoConnection.from(context)?.disconnected(code)
        }
        mosquitto_publish_callback_set(handle) { _, context, mid in
            MosquittoConnection.from(context)?.acked(mid, 0)
        }
        mosquitto_subscribe_callback_set(handle) { _, context, mid, count, granted in
            MosquittoConnection.from(context)?.acked(mid, count > 0 ? Int(granted?[0] ?? 0) : 0)
        }
        mosquitto_unsubscribe_callback_set(handle) { _, context, mid in
            MosquittoConnection.from(context)?.acked(mid, 0)
        }
        mosquitto_message_callback_set(handle) { _, context, message in
            guard let message, let connection = MosquittoConnection.from(context) else { return }
            let payload = message.pointee.payload.map { Array(UnsafeRawBufferPointer(start: $0, count: Int(message.pointee.payloadlen))) } ?? []
            let topic = message.pointee.topic.map { String(cString: $0) } ?? ""
            connection.sink.yield(.message(Message(topic: topic, payload: payload, qos: Int(message.pointee.qos), retain: message.pointee.retain)))
        }
    }

    deinit {
        if running { mosquitto_loop_stop(handle, true) }
        mosquitto_destroy(handle)
        sink.finish()
    }

    private static func from(_ context: UnsafeMutableRawPointer?) -> MosquittoConnection? {
        context.map { Unmanaged<MosquittoConnection>.fromOpaque($0).takeUnretainedValue() }
    }

    // MARK: - Callbacks (libmosquitto's thread)

    private func connected(_ code: Int32) {
        let waiting = lock.withLock { () -> CheckedContinuation<Int32, Never>? in
            isConnected = code == 0
            defer { connecting = nil }
            return connecting
        }
        waiting?.resume(returning: code)
    }

    private func disconnected(_ code: Int32) {
        let (pending, wasConnecting, expected) = lock.withLock { () -> ([CheckedContinuation<Int, Never>], CheckedContinuation<Int32, Never>?, Bool) in
            defer {
                acknowledgements = [:]
                early = [:]
                connecting = nil
                isConnected = false
            }
            return (Array(acknowledgements.values), connecting, closing)
        }
        for continuation in pending { continuation.resume(returning: -1) }
        wasConnecting?.resume(returning: -1)
        // No reconnection: the loss is reported once, as a module reports it.
        if !expected {
            mosquitto_disconnect(handle)
            sink.yield(.lost(code: code))
        }
    }

    private func acked(_ mid: Int32, _ value: Int) {
        let waiting = lock.withLock { () -> CheckedContinuation<Int, Never>? in
            guard let waiting = acknowledgements.removeValue(forKey: mid) else {
                early[mid] = value
                return nil
            }
            return waiting
        }
        waiting?.resume(returning: value)
    }

    // MARK: - Operations

    /// Connects; returns when the broker answered.
    ///
    /// - Throws: ``MosquittoError`` when the broker cannot be reached, or with `refused` and the
    ///   CONNACK code (5: not authorized; 4: bad user name or password on MQTT 3.1.1) when it refuses.
    public func connect(host: String, port: Int, keepAlive: Int = 60, username: String? = nil, password: String? = nil, will: (topic: String, payload: [UInt8], qos: Int, retain: Bool)? = nil) async throws(MosquittoError) {
        if let username {
            let code = mosquitto_username_pw_set(handle, username, password)
            guard code == MOSQ_ERR_SUCCESS.rawValue else { throw .call("username", code) }
        }
        if let will {
            let code = will.payload.withUnsafeBytes { mosquitto_will_set(handle, will.topic, Int32(will.payload.count), $0.baseAddress, Int32(will.qos), will.retain) }
            guard code == MOSQ_ERR_SUCCESS.rawValue else { throw .call("will", code) }
        }
        lock.withLock { closing = false }
        // The network thread ends with a connection; each connection gets its own.
        if running { mosquitto_loop_stop(handle, true) }
        let started = mosquitto_loop_start(handle)
        guard started == MOSQ_ERR_SUCCESS.rawValue else { throw .call("loop", started) }
        running = true
        let answer: Int32 = await withCheckedContinuation { continuation in
            lock.withLock { connecting = continuation }
            let code = mosquitto_connect_async(handle, host, Int32(port), Int32(keepAlive))
            if code != MOSQ_ERR_SUCCESS.rawValue {
                let waiting = lock.withLock { () -> CheckedContinuation<Int32, Never>? in
                    defer { connecting = nil }
                    return connecting
                }
                waiting?.resume(returning: -1000 - code)
            }
        }
        if answer <= -1000 { throw .call("connect", -(answer + 1000)) }
        if answer == -1 { throw MosquittoError(operation: "connect", code: MOSQ_ERR_CONN_LOST.rawValue, message: "the connection ended before the broker answered", refused: false) }
        if answer != 0 {
            lock.withLock { closing = true }
            mosquitto_disconnect(handle)
            throw MosquittoError(operation: "connect", code: answer, message: String(cString: mosquitto_connack_string(answer)), refused: true)
        }
    }

    /// Sends a request that the broker acknowledges with its message id, and waits for the
    /// acknowledgement. libmosquitto is never called with the lock held (its thread takes its own
    /// locks before calling back): an acknowledgement that comes before the wait is registered is kept.
    private func acknowledged(_ operation: String, _ send: (UnsafeMutablePointer<Int32>) -> Int32) async throws(MosquittoError) -> Int {
        // libmosquitto queues a QoS 1 message while it is not connected; a module answers at once.
        guard lock.withLock({ isConnected }) else { throw .call(operation, MOSQ_ERR_NO_CONN.rawValue) }
        var mid: Int32 = 0
        let code = send(&mid)
        guard code == MOSQ_ERR_SUCCESS.rawValue else { throw .call(operation, code) }
        let value: Int = await withCheckedContinuation { continuation in
            let already = lock.withLock { () -> Int? in
                if let value = self.early.removeValue(forKey: mid) { return value }
                acknowledgements[mid] = continuation
                return nil
            }
            if let already { continuation.resume(returning: already) }
        }
        if value == -1 { throw .call(operation, MOSQ_ERR_CONN_LOST.rawValue) }
        return value
    }

    /// Subscribes; returns the QoS the broker granted (128 for a refusal).
    public func subscribe(_ topic: String, qos: Int) async throws(MosquittoError) -> Int {
        try await acknowledged("subscribe") { mosquitto_subscribe(handle, $0, topic, Int32(qos)) }
    }

    /// Unsubscribes.
    public func unsubscribe(_ topic: String) async throws(MosquittoError) {
        _ = try await acknowledged("unsubscribe") { mosquitto_unsubscribe(handle, $0, topic) }
    }

    /// Publishes; returns when the message left (QoS 0) or the broker acknowledged it (QoS 1, 2).
    public func publish(_ topic: String, payload: [UInt8], qos: Int, retain: Bool = false) async throws(MosquittoError) {
        _ = try await acknowledged("publish") { mid in
            payload.withUnsafeBytes { mosquitto_publish(handle, mid, topic, Int32(payload.count), $0.baseAddress, Int32(qos), retain) }
        }
    }

    /// True while the broker has the connection.
    public var connected: Bool { lock.withLock { isConnected } }

    /// Disconnects (no loss is reported).
    public func disconnect() {
        lock.withLock {
            closing = true
            isConnected = false
        }
        mosquitto_disconnect(handle)
    }
}
