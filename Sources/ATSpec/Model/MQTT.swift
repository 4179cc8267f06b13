// MQTT.swift: a spec's `mqtt` section: how the module's own MQTT stack carries out the operations of one MQTT client API.

import ATRuntime

/// The operations of the MQTT client API that a spec maps onto its commands.
public enum MQTTOperationKind: String, Sendable, Hashable, CaseIterable {
    case connect, disconnect, subscribe, unsubscribe, publish
}

/// The values an operation hands to its steps, by the name bindings write after `$`.
public enum MQTTArgument: String, Sendable, Hashable, CaseIterable {
    /// The module's number for the client slot (`0`, or `1` on a module that counts from 1).
    case client
    case client_id, host, port, keep_alive, clean_session, username, password, tls
    case will_topic, will_payload, will_qos, will_retain
    case topic, qos, payload, retain
    /// A message identifier, 1-65535, new for every operation.
    case message_id
    /// `message_id` for QoS 1 and 2, 0 for QoS 0 (Quectel's `<msgID>` rule).
    case publish_id
    /// The receive slot a buffered-message URC names (Quectel's `<recv_id>`).
    case read_id
    /// The MQTT protocol level the caller chose (3 for 3.1, 4 for 3.1.1, 5 for 5.0), where the
    /// module lets it be chosen.
    case protocol_version

    /// What kind of value it is.
    public enum Kind: String, Sendable {
        case integer, string, bool, bytes
    }

    public var kind: Kind {
        switch self {
        case .client, .port, .keep_alive, .will_qos, .qos, .message_id, .publish_id, .read_id, .protocol_version: .integer
        case .client_id, .host, .username, .password, .topic, .will_topic: .string
        case .clean_session, .tls, .will_retain, .retain: .bool
        case .payload, .will_payload: .bytes
        }
    }

    /// True when the caller may leave it out (credentials, the will), so a step that needs it
    /// must say `when:` it runs.
    public var isOptional: Bool {
        switch self {
        case .username, .password, .will_topic, .will_payload, .will_qos, .will_retain, .protocol_version: true
        default: false
        }
    }

    /// True for the values that `each: topic` steps take from each topic in turn.
    public var isPerTopic: Bool { self == .topic || self == .qos }
}

/// When a step runs.
public enum MQTTCondition: String, Sendable, Hashable, CaseIterable {
    /// The caller gave a will.
    case will
    /// The caller gave no will.
    case no_will
    /// The connection is to use TLS.
    case tls
    /// The connection is plain TCP.
    case no_tls
    /// The caller gave a user name.
    case username
    /// The caller gave a password.
    case password
    /// The caller chose the MQTT version.
    case version
}

/// A value bound to a command parameter.
public enum MQTTValue: Sendable, Hashable {
    /// `$host`: an operation's argument.
    case argument(MQTTArgument)
    /// A number written as it is.
    case integer(Int)
    /// `true` or `false`.
    case bool(Bool)
    /// A string written in quotes.
    case string(String)
    /// `{template: "tcp://{host}:{port}"}`: a string with arguments in braces.
    case template(String, arguments: [MQTTArgument])
    /// `{from: $tls, map: {false: 0, true: 1}}`: an argument's values mapped to numbers.
    case mapped(MQTTArgument, [(key: String, value: Int)])
    /// `{from: $username, default: ""}`: an argument the caller may leave out, and what to send then.
    case fallback(MQTTArgument, String)

    public static func == (lhs: MQTTValue, rhs: MQTTValue) -> Bool {
        switch (lhs, rhs) {
        case (.argument(let a), .argument(let b)): a == b
        case (.integer(let a), .integer(let b)): a == b
        case (.bool(let a), .bool(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.template(let a, _), .template(let b, _)): a == b
        case (.mapped(let a, let x), .mapped(let b, let y)): a == b && x.map(\.key) == y.map(\.key) && x.map(\.value) == y.map(\.value)
        case (.fallback(let a, let x), .fallback(let b, let y)): a == b && x == y
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(String(describing: self))
    }

    /// The arguments the value reads.
    public var arguments: [MQTTArgument] {
        switch self {
        case .argument(let argument), .mapped(let argument, _), .fallback(let argument, _): [argument]
        case .template(_, let arguments): arguments
        case .integer, .bool, .string: []
        }
    }
}

/// One parameter of a step's command and the value it takes.
public struct MQTTBinding: Sendable, Hashable {
    /// The command parameter.
    public var parameter: Located<String>
    /// Its value.
    public var value: MQTTValue
    /// Where the value is written.
    public var location: SourceLocation
}

/// Result values that a step or a URC reports: a deferred-result field (`err`), or an error
/// table's code in a failure final result (`table: mqtt`), with the values that are meant.
public struct MQTTCodeMatch: Sendable, Hashable {
    /// A parameter name of the command's result line or of the URC.
    public var parameter: Located<String>?
    /// An error table id, matched against the failure final result's code.
    public var table: Located<String>?
    /// The values.
    public var values: [Int]
    /// Where it is written.
    public var location: SourceLocation
}

/// One command the operation sends.
public struct MQTTStep: Sendable, Hashable {
    /// The command id.
    public var command: Located<String>
    /// The form: its kind (`write`) or, for a command with several of that kind, its name.
    public var form: Located<String>
    /// The conditions that must all hold for the step to run.
    public var when: [Located<MQTTCondition>]
    /// True when the step runs once for every topic of a subscribe or unsubscribe.
    public var each: Bool
    /// The parameters and their values.
    public var bindings: [MQTTBinding]
    /// Failure results that mean the step's work is already done (`+CMQTTSTART: 23`,
    /// "network is opened").
    public var accept: [MQTTCodeMatch]
    /// Where it is written.
    public var location: SourceLocation
    /// Prose and citations.
    public var annotations: Annotations
}

/// One way to carry out an operation: its steps in order.
public struct MQTTVariant: Sendable, Hashable {
    public var steps: [MQTTStep]
    public var location: SourceLocation
    public var annotations: Annotations
}

/// An operation mapped onto commands: one or more variants, in order of preference; the
/// client takes the first whose commands can carry the operation's values.
public struct MQTTOperation: Sendable, Hashable {
    public var kind: MQTTOperationKind
    public var variants: [MQTTVariant]
    public var location: SourceLocation
    public var annotations: Annotations
}

/// The fields of a message, a connection loss or a buffered-message notice, as URCs and
/// read responses carry them.
public enum MQTTEventField: String, Sendable, Hashable, CaseIterable {
    case client, topic, payload, qos, retain, dup, reason, read_id
}

/// One event field and the URC or response parameter that holds it.
public struct MQTTFieldBinding: Sendable, Hashable {
    public var field: MQTTEventField
    /// The parameter, or for a multi-part URC the name its data is collected into.
    public var parameter: Located<String>
    /// `hex` when the value comes as hexadecimal text.
    public var decode: Located<String>?
    public var location: SourceLocation
}

/// A URC that carries an MQTT event.
public struct MQTTEventSource: Sendable, Hashable {
    /// The URC id.
    public var urc: Located<String>
    /// Where each field comes from.
    public var fields: [MQTTFieldBinding]
    /// Values the URC must hold to mean this event (`+SMSTATE: 0` is a disconnection).
    public var when: [MQTTCodeMatch]
    /// For a buffered-message notice: the command that reads the message, and where the
    /// message's fields are in its answer.
    public var read: MQTTStep?
    public var message: [MQTTFieldBinding]
    /// The setting that makes the module report this way (`AT+MQTTCONF=1` for the buffered
    /// notice): a step whose bindings are the values last written to those parameters, for the
    /// client slot where it binds `$client`. Without it, the way the module reports when no
    /// source's setting holds. A virtual modem reads it; the client has no use for it.
    public var enabledBy: MQTTStep?
    public var location: SourceLocation
    public var annotations: Annotations
}

/// A capability with its value and where the documents say so.
public struct MQTTCapability<Value: Sendable & Hashable>: Sendable, Hashable {
    public var value: Value
    public var location: SourceLocation
    public var annotations: Annotations
}

/// Why a broker or module refused or failed, in the client API's words.
public enum MQTTOutcomeKind: String, Sendable, Hashable, CaseIterable {
    case unacceptable_protocol_version, identifier_rejected, server_unavailable, bad_credentials, not_authorized
    /// The client is not connected (the command needs a connection).
    case not_connected
}

/// Vendor results that mean one outcome.
public struct MQTTOutcome: Sendable, Hashable {
    public var kind: MQTTOutcomeKind
    public var matches: [MQTTCodeMatch]
    public var location: SourceLocation
}

/// A spec's `mqtt` section.
public struct MQTTSection: Sendable, Hashable {
    /// Client slots: the module's number of the first and how many there are.
    public var firstClient: Int
    public var clients: MQTTCapability<Int>
    /// The largest payload, topic and client id the module takes, in bytes (topic and client id
    /// only where the documents give a limit).
    public var maxPayload: MQTTCapability<Int>
    public var maxTopic: MQTTCapability<Int>?
    public var maxClientID: MQTTCapability<Int>?
    /// The QoS levels it publishes and subscribes with.
    public var qos: MQTTCapability<[Int]>
    /// The MQTT protocol levels the caller may choose from (3, 4, 5); nil where the module
    /// offers no choice.
    public var versions: MQTTCapability<[Int]>?
    /// Retained publishes, a will, TLS.
    public var retain: MQTTCapability<Bool>
    public var will: MQTTCapability<Bool>
    public var tls: MQTTCapability<Bool>
    /// The operations, in the order written.
    public var operations: [MQTTOperation]
    /// URCs that carry received messages.
    public var messages: [MQTTEventSource]
    /// URCs that say a message waits in the module's buffer, with the command that reads it.
    public var buffered: [MQTTEventSource]
    /// URCs that report a lost connection.
    public var connectionLost: [MQTTEventSource]
    /// Vendor results that mean a refusal or a missing connection.
    public var outcomes: [MQTTOutcome]
    public var location: SourceLocation
    public var annotations: Annotations

    /// The operation of kind `kind`, if the section maps it.
    public func operation(_ kind: MQTTOperationKind) -> MQTTOperation? {
        operations.first { $0.kind == kind }
    }

    /// Every step of every operation and of every buffered read.
    public var allSteps: [MQTTStep] {
        operations.flatMap { $0.variants.flatMap(\.steps) } + buffered.compactMap(\.read)
    }
}

extension Command {
    /// The form a step names: its name, or its kind when it is the only one of that kind (or
    /// the only unnamed one).
    public func form(named selector: String) -> Form? {
        if let named = forms.first(where: { $0.name?.value == selector }) { return named }
        let kind = forms.filter { $0.kind.rawValue == selector }
        if kind.count == 1 { return kind[0] }
        let unnamed = kind.filter { $0.name == nil }
        return unnamed.count == 1 ? unnamed[0] : nil
    }
}

/// The values a step's form takes: the parameters of its command line (each with whether it
/// may be left out) and the data sent after its prompt. The prompt's length parameter is not
/// among them: it is the data's length.
public struct MQTTStepShape: Sendable {
    /// The command.
    public var command: Command
    /// The form.
    public var form: Form
    /// The command-line parameters and the prompt data, in order.
    public var slots: [(name: String, optional: Bool)]
    /// True when the form is one setting of a tag group (`AT+SMCONF="URL",<url>`): its request
    /// is the group's `Write` with the setting's case.
    public var isTagSetting: Bool

    /// The shape of `form` of `command`.
    public init(command: Command, form: Form) {
        self.command = command
        self.form = form
        isTagSetting = command.tagForms.contains(form)
        guard let syntax = form.syntax.parsed else {
            slots = []
            return
        }
        let tokens = isTagSetting && form.omittedMeansQuery ? syntax.settingTokens : syntax.tokens
        var found: [(String, Bool)] = []
        func walk(_ tokens: [SyntaxToken], optional: Bool) {
            for token in tokens {
                switch token {
                case .parameter(let name), .parameterList(let name):
                    if name != form.prompt?.length?.value, !found.contains(where: { $0.0 == name }) { found.append((name, optional)) }
                case .optional(let inner):
                    walk(inner, optional: true)
                default:
                    break
                }
            }
        }
        walk(tokens, optional: false)
        if let data = form.prompt?.data.value { found.append((data, false)) }
        slots = found
    }

    /// The parameter called `name`.
    public func parameter(_ name: String) -> Parameter? {
        command.parameter(name)
    }

    /// The most bytes the step's form carries in parameter `name`: its length bound, or for the
    /// prompt data the bound of the prompt's length parameter; nil when the spec gives none.
    public func capacity(of name: String) -> Int? {
        guard let parameter = parameter(name) else { return nil }
        if name == form.prompt?.data.value, let length = form.prompt?.length?.value, let range = command.parameter(length)?.range?.value.upperBound {
            return form.prompt?.lengthCounts == "digits" ? range / 2 : range
        }
        return parameter.length?.value.upperBound
    }
}

extension Spec {
    /// The shape of a step's form, when its command and form exist.
    public func shape(of step: MQTTStep) -> MQTTStepShape? {
        guard let command = command(step.command.value), let form = command.form(named: step.form.value) else { return nil }
        return MQTTStepShape(command: command, form: form)
    }

    /// The URC with id `id`.
    public func urc(_ id: String) -> URC? {
        urcs.first { $0.id == id }
    }
}

extension MQTTOperationKind {
    /// The arguments the operation's steps may read.
    public var arguments: Set<MQTTArgument> {
        switch self {
        case .connect: [.client, .client_id, .host, .port, .keep_alive, .clean_session, .username, .password, .tls, .will_topic, .will_payload, .will_qos, .will_retain, .message_id, .protocol_version]
        case .disconnect: [.client]
        case .subscribe: [.client, .topic, .qos, .message_id]
        case .unsubscribe: [.client, .topic, .message_id]
        case .publish: [.client, .topic, .qos, .payload, .retain, .message_id, .publish_id]
        }
    }
}

extension MQTTArgument {
    /// The conditions under which an optional argument is sure to be there.
    public var guaranteedBy: Set<MQTTCondition> {
        switch self {
        case .username: [.username]
        case .password: [.password]
        case .will_topic, .will_payload, .will_qos, .will_retain: [.will]
        case .protocol_version: [.version]
        default: []
        }
    }
}
