// Profile.swift: what a module's generated MQTT conformance gives the generic client: capabilities, operations as steps, and how its URCs map to MQTT events.

import ATModem
import ATRuntime

/// A module whose spec maps the MQTT client API onto its commands (`mqtt:` in the spec); the
/// generator writes the conformance, and ``MQTTClient`` drives it.
public protocol ATMQTTModule: ATModule {
    /// The module's MQTT profile.
    static var mqtt: MQTTProfile<Self> { get }
}

/// A limit with where the documents give it (`an 2.2.12`).
public struct MQTTLimit: Sendable, Hashable, CustomStringConvertible {
    /// The value.
    public var value: Int
    /// The citation.
    public var source: String

    /// Creates a value.
    public init(_ value: Int, source: String) {
        self.value = value
        self.source = source
    }

    public var description: String { "\(value) (\(source))" }
}

/// A feature the module has or lacks, with where the documents say so.
public struct MQTTFeature: Sendable, Hashable {
    /// True when the module has it.
    public var supported: Bool
    /// The citation.
    public var source: String

    /// Creates a value.
    public init(_ supported: Bool, source: String) {
        self.supported = supported
        self.source = source
    }
}

/// What a module's MQTT stack can do, as its spec says, each with its source.
public struct MQTTCapabilities: Sendable, Hashable {
    /// The module's name (`SIM7672X`).
    public var module: String
    /// The module's number of the first client slot (0, or 1 on the L610).
    public var firstClient: Int
    /// How many clients the module runs at once.
    public var clients: MQTTLimit
    /// The largest payload, in bytes.
    public var maxPayload: MQTTLimit
    /// The longest topic, in bytes, when the documents give one.
    public var maxTopic: MQTTLimit?
    /// The longest client id, in bytes, when the documents give one.
    public var maxClientID: MQTTLimit?
    /// The QoS levels it takes.
    public var qos: [Int]
    /// Where the QoS levels are given.
    public var qosSource: String
    /// The MQTT protocol levels the caller may choose (3 for 3.1, 4 for 3.1.1, 5 for 5.0); empty
    /// where the module offers no choice.
    public var versions: [Int]
    /// Where the versions are given.
    public var versionsSource: String?
    /// Retained publishes.
    public var retain: MQTTFeature
    /// A will message.
    public var will: MQTTFeature
    /// TLS connections.
    public var tls: MQTTFeature

    /// Creates a value.
    public init(
        module: String, firstClient: Int, clients: MQTTLimit, maxPayload: MQTTLimit, maxTopic: MQTTLimit?, maxClientID: MQTTLimit?, qos: [Int], qosSource: String,
        versions: [Int] = [], versionsSource: String? = nil, retain: MQTTFeature, will: MQTTFeature, tls: MQTTFeature
    ) {
        self.module = module
        self.firstClient = firstClient
        self.clients = clients
        self.maxPayload = maxPayload
        self.maxTopic = maxTopic
        self.maxClientID = maxClientID
        self.qos = qos
        self.qosSource = qosSource
        self.versions = versions
        self.versionsSource = versionsSource
        self.retain = retain
        self.will = will
        self.tls = tls
    }
}

/// The values one operation hands to its steps; `$name` in a spec's bindings.
public struct MQTTArguments: Sendable {
    public var client = 0
    public var clientID = ""
    public var host = ""
    public var port = 1883
    public var keepAlive = 60
    public var cleanSession = true
    public var username: String?
    public var password: String?
    public var tls = false
    public var willTopic: String?
    public var willPayload: [UInt8]?
    public var willQoS: Int?
    public var willRetain: Bool?
    public var topic = ""
    public var qos = 0
    public var payload: [UInt8] = []
    public var retain = false
    public var messageID = 1
    public var readID = 0
    /// The MQTT protocol level the caller chose (3, 4, 5), if any.
    public var protocolVersion: Int?

    /// `messageID` for QoS 1 and 2, 0 for QoS 0.
    public var publishID: Int { qos == 0 ? 0 : messageID }

    /// Creates empty arguments.
    public init() {}

    /// The value of an optional argument that a step needs; the spec's `when` makes sure it is there.
    ///
    /// - Throws: ``MQTTStepError/missingArgument(_:)`` when it is not.
    public func required<Value>(_ value: Value?, _ name: String) throws(MQTTStepError) -> Value {
        guard let value else { throw .missingArgument(name) }
        return value
    }
}

/// When a step runs (the spec's `when`).
public enum MQTTStepCondition: Sendable, Hashable {
    case will, noWill, tls, noTLS, username, password, version

    /// True when the condition holds for `arguments`.
    public func holds(for arguments: MQTTArguments) -> Bool {
        switch self {
        case .will: arguments.willTopic != nil
        case .noWill: arguments.willTopic == nil
        case .tls: arguments.tls
        case .noTLS: !arguments.tls
        case .username: arguments.username != nil
        case .password: arguments.password != nil
        case .version: arguments.protocolVersion != nil
        }
    }
}

/// A code the module reported: a field of a result line or URC (`err` of `+CMQTTCONNECT`), or an
/// error table's code in a final result (`ERROR: 703`), with the manual's meaning.
public struct MQTTVendorCode: Sendable, Hashable, CustomStringConvertible {
    /// The field's name (`err`), or the error table's id (`mqtt`) for a final result's code.
    public var key: String
    /// True for an error table code of a final result.
    public var isTable: Bool
    /// The value; nil for a verbose error text the table does not list.
    public var value: Int?
    /// The manual's meaning, where the spec gives one.
    public var meaning: String?

    /// Creates a value.
    public init(key: String, isTable: Bool = false, value: Int?, meaning: String?) {
        self.key = key
        self.isTable = isTable
        self.value = value
        self.meaning = meaning
    }

    /// The code of a result line's or URC's field `name`, read from the captured fields.
    public static func field(_ name: String, in fields: [CapturedField], meaning: (Int) -> String?) -> MQTTVendorCode? {
        guard let field = fields.first(where: { $0.name == name }), let value = Int(field.text) else { return nil }
        return MQTTVendorCode(key: name, value: value, meaning: meaning(value))
    }

    public var description: String {
        "\(key) \(value.map(String.init) ?? "?")" + (meaning.map { " (\($0))" } ?? "")
    }
}

/// A spec's `accept` or `outcomes` entry: codes of one field or error table.
public struct MQTTCodeMatch: Sendable, Hashable {
    /// The field's name, or the error table's id.
    public var key: String
    /// True when `key` is an error table.
    public var isTable: Bool
    /// The values meant.
    public var values: [Int]

    /// Creates a value.
    public init(key: String, isTable: Bool = false, values: [Int]) {
        self.key = key
        self.isTable = isTable
        self.values = values
    }

    /// True when one of `codes` is one of these.
    public func matches(_ codes: [MQTTVendorCode]) -> Bool {
        codes.contains { $0.key == key && $0.isTable == isTable && $0.value.map(values.contains) == true }
    }
}

/// What a module reported when a step failed or an event came: the command, the final result,
/// the codes with their meanings, and the typed values of the module's own bindings.
public struct MQTTVendorResult: Sendable, CustomStringConvertible {
    /// The command line, secrets redacted (or the URC's name).
    public var command: String
    /// The final result as the module wrote it (`ERROR: 703: bad user name or password`).
    public var final: String?
    /// The codes of the final result and of the result line or URC.
    public var codes: [MQTTVendorCode]
    /// The module's typed final result (`FibocomL610.FinalResult.mqttError(...)`), if one came.
    public var typedFinal: (any ATFinalResult)?
    /// The module's typed answer or URC (`SIM7672X.Connect.WriteResponse`), when it could be typed.
    public var typed: (any Sendable)?

    /// Creates a value.
    public init(command: String, final: String? = nil, codes: [MQTTVendorCode] = [], typedFinal: (any ATFinalResult)? = nil, typed: (any Sendable)? = nil) {
        self.command = command
        self.final = final
        self.codes = codes
        self.typedFinal = typedFinal
        self.typed = typed
    }

    public var description: String {
        var parts = [command]
        if let final { parts.append(final) }
        let fields = codes.filter { !$0.isTable }
        if !fields.isEmpty { parts.append(fields.map(\.description).joined(separator: ", ")) }
        return parts.joined(separator: ": ")
    }
}

/// Why a step did not complete.
public enum MQTTStepError: Error, Sendable {
    /// The module answered with a failure.
    case failed(MQTTVendorResult)
    /// No answer in time.
    case timedOut(command: String, after: Duration)
    /// The transport failed or closed.
    case transport(ATTransportError)
    /// The task was cancelled.
    case cancelled(command: String)
    /// A value does not fit the command's parameter (the module's range or length).
    case parameter(ATParameterError)
    /// The answer could not be typed, or the engine refused the command.
    case engine(command: String, description: String)
    /// A step needs an argument the caller left out.
    case missingArgument(String)
}

/// What a completed step gives back: messages, for a buffered read.
public struct MQTTStepAnswer: Sendable {
    /// The messages a read returned.
    public var messages: [MQTTMessage]

    /// Creates a value.
    public init(messages: [MQTTMessage] = []) {
        self.messages = messages
    }
}

/// One command of an operation.
public struct MQTTStep<Module: ATModule>: Sendable {
    /// The command's name (`AT+CMQTTCONNECT`), for errors and logs.
    public var command: String
    /// The conditions that must all hold for it to run.
    public var conditions: [MQTTStepCondition]
    /// True when it runs once for each topic of a subscribe or unsubscribe.
    public var each: Bool
    /// Failure codes that mean the step's work is already done.
    public var accept: [MQTTCodeMatch]
    /// Whether the step's parameters can carry the arguments' topic and payload: nil when they
    /// can, else why not and the limit.
    public var fit: @Sendable (MQTTArguments) -> MQTTUnfit?
    /// Sends the step's command.
    public var run: @Sendable (ATEngine<Module>, MQTTArguments) async throws -> MQTTStepAnswer

    /// Creates a step.
    public init(
        command: String, conditions: [MQTTStepCondition] = [], each: Bool = false, accept: [MQTTCodeMatch] = [],
        fit: @escaping @Sendable (MQTTArguments) -> MQTTUnfit? = { _ in nil },
        run: @escaping @Sendable (ATEngine<Module>, MQTTArguments) async throws -> MQTTStepAnswer
    ) {
        self.command = command
        self.conditions = conditions
        self.each = each
        self.accept = accept
        self.fit = fit
        self.run = run
    }
}

/// Why a step's parameter cannot carry a value.
public struct MQTTUnfit: Sendable, Hashable {
    /// What does not fit: `payload` or `topic`.
    public var what: String
    /// The parameter's length limit, when the value is too long; nil when it is too long for
    /// none but cannot be written in it (bytes a quoted string cannot hold).
    public var limit: Int?
    /// The parameter and command (`<message> of AT+SMPUB`).
    public var parameter: String

    /// Creates a value.
    public init(what: String, limit: Int?, parameter: String) {
        self.what = what
        self.limit = limit
        self.parameter = parameter
    }
}

/// One way to carry out an operation.
public struct MQTTVariant<Module: ATModule>: Sendable {
    /// The steps, in order.
    public var steps: [MQTTStep<Module>]

    /// Creates a variant.
    public init(_ steps: [MQTTStep<Module>]) {
        self.steps = steps
    }

    /// Why the variant cannot carry `arguments`, or nil when it can.
    public func unfit(_ arguments: MQTTArguments) -> MQTTUnfit? {
        for step in steps where step.conditions.allSatisfy({ $0.holds(for: arguments) }) {
            if let unfit = step.fit(arguments) { return unfit }
        }
        return nil
    }
}

/// An event a module's URC carries.
public enum MQTTModuleEvent: Sendable {
    /// A message for client slot `client` (the module's number).
    case message(client: Int, MQTTMessage)
    /// A message waits in the module's buffer; the profile's read fetches it.
    case waiting(client: Int, readID: Int?, source: Int)
    /// The connection of client `client` is lost, with what the module said.
    case connectionLost(client: Int, MQTTVendorResult)
}

/// A module's buffered-message read: the URC that announces it and the command that reads it.
public struct MQTTRead<Module: ATModule>: Sendable {
    /// The step that reads.
    public var step: MQTTStep<Module>

    /// Creates a read.
    public init(_ step: MQTTStep<Module>) {
        self.step = step
    }
}

/// A module's MQTT conformance, generated from its spec's `mqtt` section.
public struct MQTTProfile<Module: ATModule>: Sendable {
    /// What the module can do.
    public var capabilities: MQTTCapabilities
    /// The operations, each as variants in order of preference.
    public var connect: [MQTTVariant<Module>]
    public var disconnect: [MQTTVariant<Module>]
    public var subscribe: [MQTTVariant<Module>]
    public var unsubscribe: [MQTTVariant<Module>]
    public var publish: [MQTTVariant<Module>]
    /// The module's URC as an MQTT event, or nil.
    public var event: @Sendable (Module.URC) -> MQTTModuleEvent?
    /// The reads of buffered messages, by the `source` of ``MQTTModuleEvent/waiting(client:readID:source:)``.
    public var reads: [MQTTRead<Module>]
    /// Vendor codes that mean a refusal or a missing connection.
    public var outcomes: [(MQTTRefusal?, MQTTCodeMatch)]

    /// Creates a profile.
    public init(
        capabilities: MQTTCapabilities, connect: [MQTTVariant<Module>], disconnect: [MQTTVariant<Module>], subscribe: [MQTTVariant<Module>],
        unsubscribe: [MQTTVariant<Module>], publish: [MQTTVariant<Module>], event: @escaping @Sendable (Module.URC) -> MQTTModuleEvent?,
        reads: [MQTTRead<Module>] = [], outcomes: [(MQTTRefusal?, MQTTCodeMatch)] = []
    ) {
        self.capabilities = capabilities
        self.connect = connect
        self.disconnect = disconnect
        self.subscribe = subscribe
        self.unsubscribe = unsubscribe
        self.publish = publish
        self.event = event
        self.reads = reads
        self.outcomes = outcomes
    }
}

/// Helpers the generated conformances call.
public enum MQTTStepSupport {
    /// Sends `request` on `engine` and turns a failure into ``MQTTStepError``, with the codes of
    /// the final result and of the result line (`codes` reads them from its fields).
    public static func send<Module: ATModule, Request: ATRequest>(
        _ request: Request, on engine: ATEngine<Module>, codes: @Sendable ([CapturedField]) -> [MQTTVendorCode] = { _ in [] }
    ) async throws(MQTTStepError) -> Request.Response where Request.Module == Module {
        do {
            return try await engine.send(request)
        } catch {
            throw failure(error, request: request, codes: codes)
        }
    }

    /// Sends a request of the module `Module` builds on (``ATModule/BaseModule``), as ``send(_:on:codes:)`` does.
    public static func sendBase<Module: ATModule, Request: ATRequest>(
        _ request: Request, on engine: ATEngine<Module>, codes: @Sendable ([CapturedField]) -> [MQTTVendorCode] = { _ in [] }
    ) async throws(MQTTStepError) -> Request.Response where Request.Module == Module.BaseModule {
        do {
            return try await engine.send(request)
        } catch {
            throw failure(error, request: request, codes: codes)
        }
    }

    static func failure<Final: ATFinalResult, Request: ATRequest>(_ error: ATCommandError<Final>, request: Request, codes: ([CapturedField]) -> [MQTTVendorCode]) -> MQTTStepError {
        switch error {
        case .failed(let command, let result, let lines):
            var found: [MQTTVendorCode] = []
            if let code = result?.errorCode { found.append(MQTTVendorCode(key: code.table, isTable: true, value: code.code, meaning: code.text)) }
            found += codes(lines.deferred ?? [])
            let typed: Request.Response? = try? Request.response(from: lines)
            return .failed(MQTTVendorResult(command: command, final: result.map(String.init(describing:)), codes: found, typedFinal: result, typed: typed))
        case .timedOut(let command, let after, _, _): return .timedOut(command: command, after: after)
        case .cancelled(let command): return .cancelled(command: command)
        case .transport(_, let error): return .transport(error)
        case .malformedResponse(let command, let error): return .engine(command: command, description: "malformed response: \(error)")
        case .missingPromptData(let command): return .engine(command: command, description: "prompts for data but the request has none")
        case .notRunning(let command): return .engine(command: command, description: "the engine's run() is not running")
        case .outOfOrder(let violation): return .engine(command: request.description, description: "\(violation)")
        case .invalidCommandLine(let command, let reason): return .engine(command: command, description: reason)
        }
    }

    /// Builds a request, turning a value the command does not take into ``MQTTStepError/parameter(_:)``.
    public static func build<Request>(_ make: () throws(ATParameterError) -> Request) throws(MQTTStepError) -> Request {
        do {
            return try make()
        } catch {
            throw .parameter(error)
        }
    }

    /// True when `bytes` can be written as a quoted string without an escape: no quote, no
    /// control character, no byte the module would read as the line's end; UTF-8, or printable
    /// ASCII for a parameter whose charset is `ascii`.
    public static func quotable(_ bytes: [UInt8], charset: String? = nil) -> Bool {
        if charset == "ascii" { return bytes.allSatisfy { (0x20...0x7E).contains($0) && $0 != 0x22 } }
        guard String(validating: bytes, as: UTF8.self) != nil else { return false }
        return !bytes.contains { $0 == 0x22 || $0 < 0x20 || $0 == 0x7F }
    }

    /// Why `bytes` do not fit a quoted string parameter of at most `limit` bytes (in `charset`), or nil.
    public static func quotedFit(_ bytes: [UInt8], what: String, limit: Int?, charset: String? = nil, parameter: String) -> MQTTUnfit? {
        if let limit, bytes.count > limit { return MQTTUnfit(what: what, limit: limit, parameter: parameter) }
        return quotable(bytes, charset: charset) ? nil : MQTTUnfit(what: what, limit: nil, parameter: parameter)
    }

    /// Why `bytes` do not fit a data parameter of at most `limit` bytes, or nil.
    public static func dataFit(_ bytes: [UInt8], what: String, limit: Int?, minimum: Int, parameter: String) -> MQTTUnfit? {
        if let limit, bytes.count > limit { return MQTTUnfit(what: what, limit: limit, parameter: parameter) }
        return bytes.count < minimum ? MQTTUnfit(what: what, limit: nil, parameter: parameter) : nil
    }

    /// Text for a string parameter from bytes the variant's fit check found quotable.
    public static func text(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// Bytes of a URC field, whatever its generated type.
    public static func bytes(_ value: [UInt8]) -> [UInt8] { value }
    public static func bytes(_ value: String) -> [UInt8] { Array(value.utf8) }
    public static func bytes(_ value: [UInt8]?) -> [UInt8] { value ?? [] }
    public static func bytes(_ value: String?) -> [UInt8] { value.map { Array($0.utf8) } ?? [] }

    /// Bytes of a field that comes as hexadecimal text; nil when it is not hex.
    public static func hexBytes(_ value: String?) -> [UInt8]? {
        guard let value else { return [] }
        return ATHex.decode(value)
    }

    public static func hexBytes(_ value: [UInt8]?) -> [UInt8]? {
        hexBytes(value.map { String(decoding: $0, as: UTF8.self) })
    }
}
