// Client.swift: one MQTT client API over any module whose spec maps it: connect, subscribe, publish, received messages, connection state.

import ATModem
import ATRuntime
import Logging

/// A message the broker delivered.
public struct MQTTMessage: Sendable, Hashable, CustomStringConvertible {
    /// The topic's bytes.
    public var topic: [UInt8]
    /// The payload's bytes.
    public var payload: [UInt8]
    /// The QoS, where the module reports it.
    public var qos: Int?
    /// The retain flag, where the module reports it.
    public var retain: Bool?
    /// The duplicate flag, where the module reports it.
    public var duplicate: Bool?

    /// Creates a message.
    public init(topic: [UInt8], payload: [UInt8], qos: Int? = nil, retain: Bool? = nil, duplicate: Bool? = nil) {
        self.topic = topic
        self.payload = payload
        self.qos = qos
        self.retain = retain
        self.duplicate = duplicate
    }

    /// The topic as text, when it is UTF-8.
    public var topicText: String? { String(validating: topic, as: UTF8.self) }

    public var description: String {
        "\(topicText ?? "\(topic.count) topic bytes"): \(payload.count) bytes" + (qos.map { ", QoS \($0)" } ?? "")
    }
}

/// Why a broker refused a connection, as MQTT's CONNACK codes say it.
public enum MQTTRefusal: String, Sendable, Hashable {
    case unacceptableProtocolVersion = "unacceptable protocol version"
    case identifierRejected = "identifier rejected"
    case serverUnavailable = "server unavailable"
    case badCredentials = "bad user name or password"
    case notAuthorized = "not authorized"
}

/// Why an MQTT operation failed. Each case that the module answered carries its own result:
/// the command, the final result, the codes with the manual's meanings and the typed values.
public enum MQTTError: Error, Sendable, CustomStringConvertible {
    /// The broker (or the module for it) refused: bad credentials, not authorized, ...
    case refused(MQTTRefusal, MQTTVendorResult)
    /// The client is not connected: nil when the client knew it and sent nothing, else what the
    /// module answered.
    case notConnected(MQTTVendorResult?)
    /// No answer in time.
    case timedOut(command: String, after: Duration)
    /// A value is longer than the module takes: `limit` is the module's limit and its source.
    /// Nothing was sent.
    case tooLarge(what: String, length: Int, limit: MQTTLimit)
    /// The module cannot do what was asked (QoS 2, a will, TLS, a client slot it does not have,
    /// bytes its commands cannot carry), with where the documents say so. Nothing was sent.
    case unsupported(what: String, module: String, source: String)
    /// The module answered with a failure that is none of the above.
    case failed(operation: String, MQTTVendorResult)
    /// A value the module's command does not take (its range or length).
    case invalidArgument(String)
    /// The transport failed or closed.
    case transport(ATTransportError)
    /// The calling task was cancelled.
    case cancelled(command: String)

    public var description: String {
        switch self {
        case .refused(let refusal, let vendor): "refused: \(refusal.rawValue) (\(vendor))"
        case .notConnected(let vendor): "not connected" + (vendor.map { " (\($0))" } ?? "")
        case .timedOut(let command, let after): "\(command) timed out after \(after)"
        case .tooLarge(let what, let length, let limit): "the \(what) is \(length) bytes; the module takes at most \(limit.value) (\(limit.source))"
        case .unsupported(let what, let module, let source): "\(module) does not support \(what) (\(source))"
        case .failed(let operation, let vendor): "\(operation) failed: \(vendor)"
        case .invalidArgument(let reason): "invalid argument: \(reason)"
        case .transport(let error): "transport: \(error)"
        case .cancelled(let command): "\(command) cancelled"
        }
    }
}

/// The options of a connection.
public struct MQTTConnectOptions: Sendable {
    /// The broker's host name or address.
    public var host: String
    /// The broker's port.
    public var port: Int
    /// The client id.
    public var clientID: String
    /// The keep-alive interval, in seconds.
    public var keepAlive: Int
    /// Start a clean session.
    public var cleanSession: Bool
    /// Credentials.
    public var username: String?
    public var password: String?
    /// A will message.
    public var will: Will?
    /// Connect over TLS (the module's TLS context is configured beforehand).
    public var tls: Bool
    /// The MQTT version, where the module lets it be chosen; nil leaves the module's default.
    public var version: MQTTVersion?

    /// A will message: what the broker publishes when the client goes away.
    public struct Will: Sendable, Hashable {
        public var topic: String
        public var payload: [UInt8]
        public var qos: Int
        public var retain: Bool

        /// Creates a will.
        public init(topic: String, payload: [UInt8], qos: Int = 0, retain: Bool = false) {
            self.topic = topic
            self.payload = payload
            self.qos = qos
            self.retain = retain
        }
    }

    /// Creates options.
    public init(
        host: String, port: Int = 1883, clientID: String, keepAlive: Int = 60, cleanSession: Bool = true, username: String? = nil, password: String? = nil,
        will: Will? = nil, tls: Bool = false, version: MQTTVersion? = nil
    ) {
        self.host = host
        self.port = port
        self.clientID = clientID
        self.keepAlive = keepAlive
        self.cleanSession = cleanSession
        self.username = username
        self.password = password
        self.will = will
        self.tls = tls
        self.version = version
    }
}

/// An MQTT protocol version, by its protocol level.
public enum MQTTVersion: Int, Sendable, Hashable {
    case v3_1 = 3
    case v3_1_1 = 4
    case v5 = 5
}

/// What happened to the connection.
public enum MQTTConnectionEvent: Sendable {
    /// Connected.
    case connected
    /// Disconnected at the caller's request.
    case disconnected
    /// The connection was lost; what the module reported.
    case lost(MQTTVendorResult)
}

/// One MQTT client, on one client slot of a module, over one ``ATEngine``.
///
/// The module's spec says how each operation is carried out; the client picks the command forms
/// itself (a payload in quotes or after a prompt, bytes only through a form that carries them),
/// reads buffered messages when the module announces them, and checks what the module can do
/// before anything is sent.
///
/// ```swift
/// let client = try MQTTClient(engine: engine)
/// try await client.connect(MQTTConnectOptions(host: "broker.example", clientID: "gateway-1"))
/// try await client.subscribe("sensors/#", qos: 1)
/// try await client.publish(Array("21.5".utf8), to: "sensors/t", qos: 1)
/// for await message in client.messages { ... }
/// ```
public actor MQTTClient<Module: ATMQTTModule> {
    /// The connection's state.
    public enum State: Sendable, Hashable {
        case disconnected, connecting, connected, disconnecting
    }

    /// The client slot, counted from 0 on every module.
    public nonisolated let slot: Int
    /// What the module can do.
    public nonisolated let capabilities: MQTTCapabilities
    /// The messages the broker delivers to this client, in order; it ends when the engine stops.
    public nonisolated let messages: AsyncStream<MQTTMessage>
    /// Connection events: connected, disconnected, lost; it ends when the engine stops.
    public nonisolated let connectionEvents: AsyncStream<MQTTConnectionEvent>
    /// The state.
    public private(set) var state: State = .disconnected

    private let engine: ATEngine<Module>
    private let profile: MQTTProfile<Module>
    private let logger: Logger
    private let messageSink: AsyncStream<MQTTMessage>.Continuation
    private let eventSink: AsyncStream<MQTTConnectionEvent>.Continuation
    private var listener: Task<Void, Never>?
    private var nextMessageID = 0
    /// One operation at a time: the steps of two publishes on one slot must not interleave
    /// (`AT+CMQTTTOPIC` of one, then of the other, would publish the wrong topic).
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// The module's number of this client's slot.
    private var client: Int { capabilities.firstClient + slot }

    /// A client on slot `slot` (0 up to the module's number of clients, less one).
    ///
    /// - Parameter messageBufferLimit: the most received messages held for a consumer that is
    ///   not keeping up; nil holds all of them.
    /// - Throws: ``MQTTError/unsupported(what:module:source:)`` for a slot the module does not have.
    public init(engine: ATEngine<Module>, slot: Int = 0, messageBufferLimit: Int? = nil, logger: Logger = Logger(label: "ATMQTT")) throws(MQTTError) {
        let profile = Module.mqtt
        guard slot >= 0, slot < profile.capabilities.clients.value else {
            throw .unsupported(what: "client slot \(slot) (it has \(profile.capabilities.clients.value))", module: profile.capabilities.module, source: profile.capabilities.clients.source)
        }
        self.engine = engine
        self.profile = profile
        self.slot = slot
        self.logger = logger
        capabilities = profile.capabilities
        (messages, messageSink) = AsyncStream.makeStream(of: MQTTMessage.self, bufferingPolicy: messageBufferLimit.map { .bufferingOldest(max(1, $0)) } ?? .unbounded)
        (connectionEvents, eventSink) = AsyncStream.makeStream(of: MQTTConnectionEvent.self)
    }

    deinit {
        listener?.cancel()
        messageSink.finish()
        eventSink.finish()
    }

    // MARK: - Operations

    /// Connects to the broker.
    ///
    /// - Throws: ``MQTTError``: `unsupported` for a will or TLS the module lacks, `tooLarge` for a
    ///   client id or will topic over its limit (nothing sent), `refused` with the broker's reason.
    public func connect(_ options: MQTTConnectOptions) async throws(MQTTError) {
        if options.will != nil, !capabilities.will.supported { throw unsupported("a will message", capabilities.will.source) }
        if options.tls, !capabilities.tls.supported { throw unsupported("TLS", capabilities.tls.source) }
        if let version = options.version, !capabilities.versions.contains(version.rawValue) {
            let offered = capabilities.versions.isEmpty ? "no choice of version" : "levels " + capabilities.versions.map(String.init).joined(separator: ", ")
            throw unsupported("MQTT protocol level \(version.rawValue) (it offers \(offered))", capabilities.versionsSource ?? "its spec's mqtt section lists no versions")
        }
        if let limit = capabilities.maxClientID, options.clientID.utf8.count > limit.value {
            throw .tooLarge(what: "client id", length: options.clientID.utf8.count, limit: limit)
        }
        if let will = options.will {
            try checkTopic(will.topic)
            try checkQoS(will.qos)
            if will.retain, !capabilities.retain.supported { throw unsupported("retained messages", capabilities.retain.source) }
            if will.payload.count > capabilities.maxPayload.value { throw .tooLarge(what: "will payload", length: will.payload.count, limit: capabilities.maxPayload) }
        }
        var arguments = baseArguments()
        arguments.host = options.host
        arguments.port = options.port
        arguments.clientID = options.clientID
        arguments.keepAlive = options.keepAlive
        arguments.cleanSession = options.cleanSession
        arguments.username = options.username
        arguments.password = options.password
        arguments.tls = options.tls
        arguments.protocolVersion = options.version?.rawValue
        arguments.willTopic = options.will?.topic
        arguments.willPayload = options.will?.payload
        arguments.willQoS = options.will?.qos
        arguments.willRetain = options.will?.retain
        await startListening()
        state = .connecting
        do {
            try await perform("connect", profile.connect, arguments)
        } catch {
            state = .disconnected
            throw error
        }
        state = .connected
        eventSink.yield(.connected)
    }

    /// Subscribes to one topic.
    public func subscribe(_ topic: String, qos: Int = 0) async throws(MQTTError) {
        try await subscribe([(topic, qos)])
    }

    /// Subscribes to several topics, each with its QoS.
    public func subscribe(_ topics: [(topic: String, qos: Int)]) async throws(MQTTError) {
        guard !topics.isEmpty else { return }
        for (topic, qos) in topics {
            try checkTopic(topic)
            try checkQoS(qos)
        }
        try requireConnected()
        var arguments = baseArguments()
        arguments.topic = topics[0].topic
        arguments.qos = topics[0].qos
        try await perform("subscribe", profile.subscribe, arguments, topics: topics)
    }

    /// Unsubscribes from topics.
    public func unsubscribe(_ topics: [String]) async throws(MQTTError) {
        guard !topics.isEmpty else { return }
        for topic in topics { try checkTopic(topic) }
        try requireConnected()
        var arguments = baseArguments()
        arguments.topic = topics[0]
        try await perform("unsubscribe", profile.unsubscribe, arguments, topics: topics.map { ($0, 0) })
    }

    /// Publishes `payload` to `topic`.
    ///
    /// - Throws: ``MQTTError``: `tooLarge` past the module's payload or topic limit, `unsupported`
    ///   for a QoS, retain or bytes the module cannot carry (nothing sent in either case),
    ///   `notConnected`, or the module's failure.
    public func publish(_ payload: [UInt8], to topic: String, qos: Int = 0, retain: Bool = false) async throws(MQTTError) {
        try checkTopic(topic)
        try checkQoS(qos)
        if retain, !capabilities.retain.supported { throw unsupported("retained messages", capabilities.retain.source) }
        if payload.count > capabilities.maxPayload.value { throw .tooLarge(what: "payload", length: payload.count, limit: capabilities.maxPayload) }
        try requireConnected()
        var arguments = baseArguments()
        arguments.topic = topic
        arguments.payload = payload
        arguments.qos = qos
        arguments.retain = retain
        try await perform("publish", profile.publish, arguments)
    }

    /// Publishes text.
    public func publish(_ text: String, to topic: String, qos: Int = 0, retain: Bool = false) async throws(MQTTError) {
        try await publish(Array(text.utf8), to: topic, qos: qos, retain: retain)
    }

    /// Disconnects from the broker and frees the module's client slot.
    public func disconnect() async throws(MQTTError) {
        state = .disconnecting
        do {
            try await perform("disconnect", profile.disconnect, baseArguments())
        } catch {
            state = .disconnected
            throw error
        }
        state = .disconnected
        eventSink.yield(.disconnected)
    }

    // MARK: - Checks

    private func unsupported(_ what: String, _ source: String) -> MQTTError {
        .unsupported(what: what, module: capabilities.module, source: source)
    }

    private func checkTopic(_ topic: String) throws(MQTTError) {
        let length = topic.utf8.count
        if let limit = capabilities.maxTopic, length > limit.value { throw .tooLarge(what: "topic", length: length, limit: limit) }
        if length == 0 { throw .invalidArgument("an empty topic") }
    }

    private func checkQoS(_ qos: Int) throws(MQTTError) {
        guard capabilities.qos.contains(qos) else { throw unsupported("QoS \(qos) (it takes \(capabilities.qos.map(String.init).joined(separator: ", ")))", capabilities.qosSource) }
    }

    private func requireConnected() throws(MQTTError) {
        guard state == .connected else { throw .notConnected(nil) }
    }

    private func baseArguments() -> MQTTArguments {
        var arguments = MQTTArguments()
        arguments.client = client
        nextMessageID = nextMessageID % 65535 + 1
        arguments.messageID = nextMessageID
        return arguments
    }

    // MARK: - Driving the steps

    private func acquire() async {
        guard busy else {
            busy = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func release() {
        if waiting.isEmpty {
            busy = false
        } else {
            waiting.removeFirst().resume()
        }
    }

    /// Carries out an operation, after any other of this client's: the first variant whose
    /// commands can carry the values, its steps in order.
    private func perform(_ operation: String, _ variants: [MQTTVariant<Module>], _ arguments: MQTTArguments, topics: [(topic: String, qos: Int)] = []) async throws(MQTTError) {
        await acquire()
        defer { release() }
        let perTopic = topics.map { topic in
            var each = arguments
            each.topic = topic.topic
            each.qos = topic.qos
            return each
        }
        let candidates = perTopic.isEmpty ? [arguments] : perTopic
        guard let variant = variants.first(where: { variant in candidates.allSatisfy { variant.unfit($0) == nil } }) else {
            let reason = variants.lazy.compactMap { variant in candidates.lazy.compactMap { variant.unfit($0) }.first }.first
            guard let reason else { throw unsupported(operation, "its spec maps no way to do it") }
            if let limit = reason.limit {
                let length = reason.what == "topic" ? arguments.topic.utf8.count : arguments.payload.count
                throw .tooLarge(what: reason.what, length: length, limit: MQTTLimit(limit, source: reason.parameter))
            }
            throw unsupported("a \(reason.what) of these bytes (\(reason.parameter) cannot carry them)", reason.parameter)
        }
        for step in variant.steps {
            if step.each {
                for each in perTopic where step.conditions.allSatisfy({ $0.holds(for: each) }) {
                    try await run(step, each, operation)
                }
            } else if step.conditions.allSatisfy({ $0.holds(for: arguments) }) {
                try await run(step, arguments, operation)
            }
        }
    }

    @discardableResult
    private func run(_ step: MQTTStep<Module>, _ arguments: MQTTArguments, _ operation: String) async throws(MQTTError) -> MQTTStepAnswer {
        do {
            return try await step.run(engine, arguments)
        } catch let error as MQTTStepError {
            if case .failed(let vendor) = error, step.accept.contains(where: { $0.matches(vendor.codes) }) {
                logger.debug("MQTT step result accepted as done", metadata: ["command": "\(step.command)", "result": "\(vendor)"])
                return MQTTStepAnswer()
            }
            throw translate(error, operation)
        } catch let error as ATParameterError {
            throw .invalidArgument(error.description)
        } catch {
            throw .failed(operation: operation, MQTTVendorResult(command: step.command, final: "\(error)"))
        }
    }

    private func translate(_ error: MQTTStepError, _ operation: String) -> MQTTError {
        switch error {
        case .failed(let vendor):
            for (refusal, match) in profile.outcomes where match.matches(vendor.codes) {
                if let refusal { return .refused(refusal, vendor) }
                state = .disconnected
                return .notConnected(vendor)
            }
            return .failed(operation: operation, vendor)
        case .timedOut(let command, let after): return .timedOut(command: command, after: after)
        case .transport(let error): return .transport(error)
        case .cancelled(let command): return .cancelled(command: command)
        case .parameter(let error): return .invalidArgument(error.description)
        case .engine(let command, let description): return .failed(operation: operation, MQTTVendorResult(command: command, final: description))
        case .missingArgument(let name): return .invalidArgument("\(operation) needs \(name)")
        }
    }

    // MARK: - Events

    private func startListening() async {
        guard listener == nil else { return }
        let stream = await engine.listen { event in
            if case .urc = event { true } else { false }
        }
        listener = Task { [weak self] in
            for await event in stream {
                guard let self else { return }
                guard case .urc(let urc) = event else { continue }
                await self.handle(urc)
            }
            // The engine stopped (its transport closed): nothing more can arrive.
            await self?.finish()
        }
    }

    private func finish() {
        if state != .disconnected {
            state = .disconnected
            eventSink.yield(.lost(MQTTVendorResult(command: "the engine stopped")))
        }
        messageSink.finish()
        eventSink.finish()
    }

    private func handle(_ urc: Module.URC) async {
        guard let event = profile.event(urc) else { return }
        switch event {
        case .message(let client, let message) where client == self.client:
            messageSink.yield(message)
        case .waiting(let client, let readID, let source) where client == self.client:
            guard profile.reads.indices.contains(source) else { return }
            var arguments = baseArguments()
            arguments.readID = readID ?? 0
            await acquire()
            defer { release() }
            do {
                let answer = try await run(profile.reads[source].step, arguments, "read")
                for message in answer.messages { messageSink.yield(message) }
            } catch {
                logger.warning("reading a buffered MQTT message failed", metadata: ["error": "\(error)"])
            }
        case .connectionLost(let client, let vendor) where client == self.client:
            if state != .disconnected {
                state = .disconnected
                eventSink.yield(.lost(vendor))
            }
        default:
            break
        }
    }
}
