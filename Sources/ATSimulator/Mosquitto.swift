// Mosquitto.swift: one MQTT connection to a real broker through libmosquitto, driven by a network thread of its own.

import CMosquitto
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Closes a file descriptor (the name `close` is the connection's own).
private func closeDescriptor(_ descriptor: Int32) {
    #if canImport(Glibc)
        _ = Glibc.close(descriptor)
    #elseif canImport(Darwin)
        _ = Darwin.close(descriptor)
    #endif
}

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

    static func lost(_ operation: String) -> MosquittoError {
        MosquittoError(operation: operation, code: MOSQ_ERR_CONN_LOST.rawValue, message: "the connection ended before the broker answered", refused: false)
    }
}

/// A will: the message the broker publishes when the connection is lost.
public typealias MosquittoWill = MosquittoConnection.Message

/// One client connection to a broker through libmosquitto: connect, subscribe, publish with
/// acknowledgements awaited, and the broker's messages and the loss of the connection as events.
///
/// Every libmosquitto call is made on the connection's own network thread, which waits on the
/// socket with `poll` and calls `mosquitto_loop_read`, `_write` and `_misc` (libmosquitto's own
/// loop uses `select`, which aborts on descriptors above `FD_SETSIZE`). Operations are handed to
/// that thread and their callbacks resume the waiting calls. The connection does not reconnect
/// by itself: a lost connection is reported once, as a modem reports it, and
/// ``connect(host:port:keepAlive:username:password:will:protocolVersion:)`` connects again.
/// ``close()`` ends the thread; it must be called once the connection is no longer needed.
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

    // Guarded by `lock`.
    private let lock = NSLock()
    private var jobs: [() -> Void] = []
    private var stopping = false
    private var connecting: CheckedContinuation<Int32, Never>?
    private var disconnecting: [CheckedContinuation<Void, Never>] = []
    private var acknowledgements: [Int32: CheckedContinuation<Int, Never>] = [:]
    /// Acknowledgements that came before their wait was registered.
    private var early: [Int32: Int] = [:]
    /// True from `connect` until the connection ends, and after `disconnect()` asked to end it.
    private var closing = false
    /// True between the broker's CONNACK and the end of the connection.
    private var isConnected = false

    /// The pipe that wakes the network thread for a new job: read end, write end.
    private let wake: (read: Int32, write: Int32)
    private let finished = DispatchSemaphore(value: 0)

    private static let initialized: Bool = {
        mosquitto_lib_init()
        return true
    }()

    /// A new, unconnected client; its network thread starts at once.
    ///
    /// - Throws: ``MosquittoError`` when libmosquitto cannot make one.
    public init(clientID: String, cleanSession: Bool = true) throws(MosquittoError) {
        _ = Self.initialized
        (events, sink) = AsyncStream.makeStream(of: Event.self)
        guard let made = mosquitto_new(clientID.isEmpty ? nil : clientID, clientID.isEmpty ? true : cleanSession, nil) else {
            throw .call("new", MOSQ_ERR_NOMEM.rawValue)
        }
        handle = made
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else {
            mosquitto_destroy(made)
            throw .call("pipe", MOSQ_ERR_ERRNO.rawValue)
        }
        wake = (ends[0], ends[1])
        _ = fcntl(wake.read, F_SETFL, fcntl(wake.read, F_GETFL) | O_NONBLOCK)
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
        let thread = Thread { [self] in run() }
        thread.name = "mosquitto \(clientID)"
        thread.start()
    }

    deinit {
        mosquitto_destroy(handle)
        closeDescriptor(wake.read)
        closeDescriptor(wake.write)
        sink.finish()
    }

    private static func from(_ context: UnsafeMutableRawPointer?) -> MosquittoConnection? {
        context.map { Unmanaged<MosquittoConnection>.fromOpaque($0).takeUnretainedValue() }
    }

    /// Ends the connection without a will (as ``disconnect()``), stops the network thread and
    /// ends ``events``. Waits for the thread.
    public func close() {
        let already = lock.withLock { () -> Bool in
            defer { stopping = true }
            return stopping
        }
        guard !already else { return }
        poke()
        finished.wait()
    }

    // MARK: - The network thread

    /// Hands `job` to the network thread.
    private func perform(_ job: @escaping () -> Void) {
        let accepted = lock.withLock { () -> Bool in
            guard !stopping else { return false }
            jobs.append(job)
            return true
        }
        if accepted { poke() } else { job() }
    }

    private func poke() {
        var byte: UInt8 = 1
        _ = write(wake.write, &byte, 1)
    }

    private func run() {
        while true {
            let (pending, stop) = lock.withLock { () -> ([() -> Void], Bool) in
                defer { jobs = [] }
                return (jobs, stopping)
            }
            for job in pending { job() }
            if stop { break }
            let socket = mosquitto_socket(handle)
            var descriptors = [pollfd(fd: wake.read, events: Int16(POLLIN), revents: 0)]
            if socket >= 0 {
                let events = Int16(POLLIN) | (mosquitto_want_write(handle) ? Int16(POLLOUT) : 0)
                descriptors.append(pollfd(fd: socket, events: events, revents: 0))
            }
            _ = poll(&descriptors, nfds_t(descriptors.count), 200)
            var drain = [UInt8](repeating: 0, count: 64)
            while read(wake.read, &drain, drain.count) > 0 {}
            guard socket >= 0, mosquitto_socket(handle) == socket else { continue }
            let ready = descriptors[1].revents
            var code = MOSQ_ERR_SUCCESS.rawValue
            if ready & Int16(POLLIN | POLLHUP | POLLERR) != 0 { code = mosquitto_loop_read(handle, 1) }
            if code == MOSQ_ERR_SUCCESS.rawValue, mosquitto_socket(handle) >= 0, mosquitto_want_write(handle) { code = mosquitto_loop_write(handle, 1) }
            if code == MOSQ_ERR_SUCCESS.rawValue, mosquitto_socket(handle) >= 0 { code = mosquitto_loop_misc(handle) }
            if code != MOSQ_ERR_SUCCESS.rawValue {
                // libmosquitto has closed the socket; the disconnect callback may not have run.
                if mosquitto_socket(handle) >= 0 { mosquitto_disconnect(handle) }
                ended(code)
            }
        }
        // Stopping: leave the broker cleanly, end everything that waits.
        if mosquitto_socket(handle) >= 0 {
            mosquitto_disconnect(handle)
            _ = mosquitto_loop_write(handle, 1)
        }
        lock.withLock { closing = true }
        ended(MOSQ_ERR_SUCCESS.rawValue)
        sink.finish()
        finished.signal()
    }

    // MARK: - Callbacks (the network thread)

    private func connected(_ code: Int32) {
        let waiting = lock.withLock { () -> CheckedContinuation<Int32, Never>? in
            isConnected = code == 0
            defer { connecting = nil }
            return connecting
        }
        waiting?.resume(returning: code)
    }

    private func disconnected(_ code: Int32) {
        ended(code)
    }

    /// The connection ended: everything that waits on it is answered, and a loss nobody asked for is reported once.
    private func ended(_ code: Int32) {
        let (pending, wasConnecting, leaving, wasConnected, expected) = lock.withLock {
            () -> ([CheckedContinuation<Int, Never>], CheckedContinuation<Int32, Never>?, [CheckedContinuation<Void, Never>], Bool, Bool) in
            defer {
                acknowledgements = [:]
                early = [:]
                connecting = nil
                disconnecting = []
                isConnected = false
            }
            return (Array(acknowledgements.values), connecting, disconnecting, isConnected, closing)
        }
        for continuation in pending { continuation.resume(returning: -1) }
        wasConnecting?.resume(returning: -1)
        for continuation in leaving { continuation.resume() }
        if wasConnected, !expected { sink.yield(.lost(code: code)) }
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
    /// - Parameter protocolVersion: 3 (MQTT 3.1), 4 (3.1.1) or 5; nil for libmosquitto's default (3.1.1).
    /// - Throws: ``MosquittoError`` when the broker cannot be reached, or with `refused` and the
    ///   CONNACK code (5: not authorized; 4: bad user name or password) when it refuses.
    public func connect(host: String, port: Int, keepAlive: Int = 60, username: String? = nil, password: String? = nil, will: MosquittoWill? = nil, protocolVersion: Int? = nil) async throws(MosquittoError) {
        let answer: Int32 = await withCheckedContinuation { continuation in
            perform { [self] in
                let stopped = lock.withLock { () -> Bool in
                    guard !stopping else { return true }
                    connecting = continuation
                    closing = false
                    return false
                }
                guard !stopped else { return continuation.resume(returning: -1000 - MOSQ_ERR_NO_CONN.rawValue) }
                func fail(_ code: Int32) {
                    // errno is the network thread's: an operating-system error travels as -2000 - errno.
                    let number = errno
                    let waiting = lock.withLock { () -> CheckedContinuation<Int32, Never>? in
                        defer { connecting = nil }
                        return connecting
                    }
                    waiting?.resume(returning: code == MOSQ_ERR_ERRNO.rawValue ? -2000 - number : -1000 - code)
                }
                if mosquitto_socket(handle) >= 0 { mosquitto_disconnect(handle) }
                if let protocolVersion {
                    let code = mosquitto_int_option(handle, MOSQ_OPT_PROTOCOL_VERSION, Int32(protocolVersion == 3 ? MQTT_PROTOCOL_V31 : protocolVersion == 5 ? MQTT_PROTOCOL_V5 : MQTT_PROTOCOL_V311))
                    guard code == MOSQ_ERR_SUCCESS.rawValue else { return fail(code) }
                }
                let credentials = mosquitto_username_pw_set(handle, username, username == nil ? nil : password)
                guard credentials == MOSQ_ERR_SUCCESS.rawValue else { return fail(credentials) }
                mosquitto_will_clear(handle)
                if let will {
                    let code = will.payload.withUnsafeBytes { mosquitto_will_set(handle, will.topic, Int32(will.payload.count), $0.baseAddress, Int32(will.qos), will.retain) }
                    guard code == MOSQ_ERR_SUCCESS.rawValue else { return fail(code) }
                }
                let code = mosquitto_connect(handle, host, Int32(port), Int32(keepAlive))
                if code != MOSQ_ERR_SUCCESS.rawValue { fail(code) }
            }
        }
        if answer <= -2000 {
            throw MosquittoError(operation: "connect", code: MOSQ_ERR_ERRNO.rawValue, message: String(cString: strerror(-(answer + 2000))), refused: false)
        }
        if answer <= -1000 { throw .call("connect", -(answer + 1000)) }
        if answer == -1 { throw .lost("connect") }
        if answer != 0 {
            lock.withLock { closing = true }
            perform { [self] in mosquitto_disconnect(handle) }
            throw MosquittoError(operation: "connect", code: answer, message: String(cString: mosquitto_connack_string(answer)), refused: true)
        }
    }

    /// Sends a request that the broker acknowledges with its message id, and waits for the
    /// acknowledgement. An acknowledgement that comes before the wait is registered is kept.
    private func acknowledged(_ operation: String, _ send: @escaping (UnsafeMutablePointer<Int32>) -> Int32) async throws(MosquittoError) -> Int {
        let value: Int = await withCheckedContinuation { continuation in
            perform { [self] in
                // libmosquitto queues a QoS 1 message while it is not connected; a module answers at once.
                guard lock.withLock({ isConnected }) else { return continuation.resume(returning: -1000 - Int(MOSQ_ERR_NO_CONN.rawValue)) }
                var mid: Int32 = 0
                let code = send(&mid)
                guard code == MOSQ_ERR_SUCCESS.rawValue else { return continuation.resume(returning: -1000 - Int(code)) }
                let already = lock.withLock { () -> Int? in
                    if let value = early.removeValue(forKey: mid) { return value }
                    acknowledgements[mid] = continuation
                    return nil
                }
                if let already { continuation.resume(returning: already) }
            }
        }
        if value <= -1000 { throw .call(operation, Int32(-(value + 1000))) }
        if value == -1 { throw .lost(operation) }
        return value
    }

    /// Subscribes; returns the QoS the broker granted (128 for a refusal).
    public func subscribe(_ topic: String, qos: Int) async throws(MosquittoError) -> Int {
        try await acknowledged("subscribe") { [handle] in mosquitto_subscribe(handle, $0, topic, Int32(qos)) }
    }

    /// Unsubscribes.
    public func unsubscribe(_ topic: String) async throws(MosquittoError) {
        _ = try await acknowledged("unsubscribe") { [handle] in mosquitto_unsubscribe(handle, $0, topic) }
    }

    /// Publishes; returns when the message left (QoS 0) or the broker acknowledged it (QoS 1, 2).
    public func publish(_ topic: String, payload: [UInt8], qos: Int, retain: Bool = false) async throws(MosquittoError) {
        _ = try await acknowledged("publish") { [handle] mid in
            payload.withUnsafeBytes { mosquitto_publish(handle, mid, topic, Int32(payload.count), $0.baseAddress, Int32(qos), retain) }
        }
    }

    /// True while the broker has the connection.
    public var connected: Bool { lock.withLock { isConnected } }

    /// Disconnects (no loss is reported; the will is not published); returns when the connection is closed.
    public func disconnect() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            perform { [self] in
                let open = mosquitto_socket(handle) >= 0
                lock.withLock {
                    closing = true
                    if open { disconnecting.append(continuation) }
                }
                guard open else { return continuation.resume() }
                mosquitto_disconnect(handle)
                if mosquitto_socket(handle) < 0 { ended(MOSQ_ERR_SUCCESS.rawValue) }
            }
        }
    }

    /// Drops the connection without DISCONNECT, as a module that reboots or loses power does: the
    /// broker publishes the will. No loss is reported; returns when the connection is closed.
    public func drop() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            perform { [self] in
                let socket = mosquitto_socket(handle)
                lock.withLock {
                    closing = true
                    if socket >= 0 { disconnecting.append(continuation) }
                }
                guard socket >= 0 else { return continuation.resume() }
                _ = shutdown(socket, Int32(SHUT_RDWR))
            }
        }
    }
}
