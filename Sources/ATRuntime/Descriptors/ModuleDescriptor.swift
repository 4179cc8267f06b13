// ModuleDescriptor.swift: what a module's spec says about its lines, as plain data the runtime routes by.

/// A line the module can send: its syntax and how each parameter's value is written.
public struct LineDescriptor: Sendable, Hashable {
    /// The spec's name for the line's owner (a command id, URC id or final result name).
    public var name: String
    /// The line's syntax.
    public var syntax: Syntax
    /// How each parameter's value is written; parameters not listed are matched quoted or bare.
    public var shapes: [String: FieldShape]
    /// For a string field whose byte length another field holds (`+SMPUBLISH`'s message): field name → length field name.
    public var lengthFields: [String: String]
    /// The parameters whose values are secret (passwords, keys): never shown in any text
    /// the runtime makes of the line.
    public var secrets: Set<String>

    /// Creates a descriptor.
    public init(name: String, syntax: Syntax, shapes: [String: FieldShape], lengthFields: [String: String] = [:], secrets: Set<String> = []) {
        self.name = name
        self.syntax = syntax
        self.shapes = shapes
        self.lengthFields = lengthFields
        self.secrets = secrets
    }

    /// The fields of `line` when it matches this descriptor.
    public func match(_ line: String) -> [CapturedField]? {
        LineMatcher(self).match(line)
    }
}

/// Where a deferred result comes relative to the final result.
public enum DeferredPlacement: String, Sendable, Hashable {
    /// After the final result (`OK` then `+CMQTTSTART: 0`).
    case after
    /// Before the final result (`+CMQTTACCQ: 0,19` then `ERROR`).
    case before
    /// Either way round.
    case either
}

/// How the data sent after a prompt is written on the line.
public enum PromptEncoding: String, Sendable, Hashable {
    /// The bytes as they are: the declared length counts the bytes sent.
    case raw
    /// Each byte as two hexadecimal digits: the declared length counts bytes, twice as many characters are sent.
    case hex
    /// Each byte as two hexadecimal digits, the declared length counting the digits sent.
    case hexDigits

    /// How many characters go over the line for a declared `length`.
    public func transmittedCount(_ length: Int) -> Int {
        switch self {
        case .raw, .hexDigits: return length
        case .hex: return length > Int.max / 2 ? Int.max : length * 2
        }
    }

    /// The declared length for `count` bytes of data.
    public func declaredLength(_ count: Int) -> Int {
        switch self {
        case .raw, .hex: return count
        case .hexDigits: return count * 2
        }
    }
}

/// One form of a command: its syntax and the lines that answer it.
public struct FormDescriptor: Sendable, Hashable {
    /// The command id.
    public var command: String
    /// The form's name (`write`, `one_topic`, `url`).
    public var name: String
    /// The command line syntax.
    public var syntax: Syntax
    /// How each parameter of the command line is written.
    public var shapes: [String: FieldShape]
    /// Information lines.
    public var responses: [LineDescriptor]
    /// The deferred result, if any.
    public var deferred: LineDescriptor?
    /// When the deferred result comes.
    public var deferredPlacement: DeferredPlacement
    /// The field values of the deferred result that mean success (`err` = `0`).
    public var deferredSuccess: [String: String]
    /// True when the module answers with a `>` prompt for data.
    public var hasPrompt: Bool
    /// The parameter holding the prompt data's length.
    public var promptLengthParameter: String?
    /// The documented maximum response time in milliseconds, if any.
    public var maxResponseTime: Int?
    /// How the prompt data is written on the line.
    public var promptEncoding: PromptEncoding
    /// The parameters of the command line whose values are secret.
    public var secrets: Set<String>
    /// The deferred result's other shapes (`+QMTSUB: <client_idx>,<msgid>,1,<retry_times>` beside
    /// `...,0,<granted_qos>`), tried after `deferred`; each line's `name` is its shape's name.
    public var deferredAlternatives: [LineDescriptor]
    /// For data ended by a terminator instead of a declared length: the terminator (Ctrl-Z),
    /// and the byte that cancels the data (ESC).
    public var promptTerminator: UInt8?
    public var promptCancel: UInt8?
    /// The deferred shapes (by index in ``deferredShapes``) that mean failure as a whole.
    public var deferredFailingShapes: Set<Int>

    /// Every shape of the deferred result, `deferred` first.
    public var deferredShapes: [LineDescriptor] { (deferred.map { [$0] } ?? []) + deferredAlternatives }
    /// The settings whose product is the time limit (`pkt_timeout`, `retry_times` of another
    /// command), once they were set (``ATSettingMemory``); empty when the limit is fixed.
    public var responseTimeSettings: [String] = []
    /// Milliseconds per unit of that product (1000 for settings in seconds).
    public var responseTimeSettingUnit: Int = 1000

    /// Creates a descriptor.
    public init(
        command: String, name: String, syntax: Syntax, shapes: [String: FieldShape], responses: [LineDescriptor],
        deferred: LineDescriptor?, deferredPlacement: DeferredPlacement, deferredSuccess: [String: String],
        hasPrompt: Bool, promptLengthParameter: String?, maxResponseTime: Int?,
        promptEncoding: PromptEncoding = .raw, secrets: Set<String> = [], deferredAlternatives: [LineDescriptor] = [],
        promptTerminator: UInt8? = nil, promptCancel: UInt8? = nil, deferredFailingShapes: Set<Int> = [],
        responseTimeSettings: [String] = [], responseTimeSettingUnit: Int = 1000
    ) {
        self.responseTimeSettings = responseTimeSettings
        self.responseTimeSettingUnit = responseTimeSettingUnit
        self.deferredFailingShapes = deferredFailingShapes
        self.promptEncoding = promptEncoding
        self.secrets = secrets
        self.deferredAlternatives = deferredAlternatives
        self.promptTerminator = promptTerminator
        self.promptCancel = promptCancel
        self.command = command
        self.name = name
        self.syntax = syntax
        self.shapes = shapes
        self.responses = responses
        self.deferred = deferred
        self.deferredPlacement = deferredPlacement
        self.deferredSuccess = deferredSuccess
        self.hasPrompt = hasPrompt
        self.promptLengthParameter = promptLengthParameter
        self.maxResponseTime = maxResponseTime
    }

    /// The fields of a command line when it matches this form.
    public func match(_ line: String) -> [CapturedField]? {
        LineMatcher(self).match(line)
    }
}

/// One part of a multi-part URC.
public struct URCPartDescriptor: Sendable, Hashable {
    /// `start`, `part` or `end`.
    public var role: String
    /// The part's line.
    public var line: LineDescriptor
    /// True when the part may repeat.
    public var repeats: Bool
    /// True when the part may be absent.
    public var optional: Bool
    /// The field holding the length of the raw bytes that follow the line.
    public var dataLengthField: String?
    /// The name the raw bytes are collected into.
    public var dataInto: String?

    /// Creates a descriptor.
    public init(role: String, line: LineDescriptor, repeats: Bool, optional: Bool, dataLengthField: String?, dataInto: String?) {
        self.role = role
        self.line = line
        self.repeats = repeats
        self.optional = optional
        self.dataLengthField = dataLengthField
        self.dataInto = dataInto
    }
}

/// An unsolicited result code: one line, or several parts.
public struct URCDescriptor: Sendable, Hashable {
    /// The URC id.
    public var name: String
    /// The line of a single-line URC.
    public var line: LineDescriptor?
    /// The parts of a multi-part URC.
    public var parts: [URCPartDescriptor]
    /// For a multi-part URC: the data collected into a name (`topic`) → the field of the
    /// start part that declares its total length (`topic_total_len`).
    public var dataTotals: [String: String]

    /// Creates a descriptor.
    public init(name: String, line: LineDescriptor?, parts: [URCPartDescriptor], dataTotals: [String: String] = [:]) {
        self.name = name
        self.line = line
        self.parts = parts
        self.dataTotals = dataTotals
    }
}

/// A final result code.
public struct FinalDescriptor: Sendable, Hashable {
    /// The final result's name (`ok`, `cme_error`).
    public var name: String
    /// True for a success (`OK`).
    public var isSuccess: Bool
    /// The line.
    public var line: LineDescriptor

    /// Creates a descriptor.
    public init(name: String, isSuccess: Bool, line: LineDescriptor) {
        self.name = name
        self.isSuccess = isSuccess
        self.line = line
    }
}

/// Everything the runtime needs to route a module's output: its final results,
/// its URCs and every form of every command.
public struct ModuleDescriptor: Sendable, Hashable {
    /// The module's name (`SIM7672X`).
    public var name: String
    /// Final result codes.
    public var finals: [FinalDescriptor]
    /// URCs.
    public var urcs: [URCDescriptor]
    /// Every form of every command.
    public var forms: [FormDescriptor]
    /// The ordering rules between commands (``ATRuleChecker`` checks them).
    public var rules: [RuleDescriptor]

    /// Creates a descriptor.
    public init(name: String, finals: [FinalDescriptor], urcs: [URCDescriptor], forms: [FormDescriptor], rules: [RuleDescriptor] = []) {
        self.name = name
        self.finals = finals
        self.urcs = urcs
        self.forms = forms
        self.rules = rules
    }

    /// A module that builds on `base`: its own final results, URCs, forms and rules first, then
    /// the base's, without the base's final results, URCs and commands (their forms) it replaces
    /// (the ones the module overrides). The own forms keep
    /// their indices.
    public init(
        name: String, buildingOn base: ModuleDescriptor, finals: [FinalDescriptor], urcs: [URCDescriptor], forms: [FormDescriptor],
        rules: [RuleDescriptor] = [], replacingFinals: Set<String> = [], replacingURCs: Set<String> = [], replacingCommands: Set<String> = []
    ) {
        self.name = name
        self.finals = finals + base.finals.filter { !replacingFinals.contains($0.name) }
        self.urcs = urcs + base.urcs.filter { !replacingURCs.contains($0.name) }
        self.forms = forms + base.forms.filter { !replacingCommands.contains($0.command) }
        self.rules = rules + base.rules
    }

    /// The first form whose syntax matches a command line (an echo, or a transcript line).
    public func form(matching line: String) -> (FormDescriptor, [CapturedField])? {
        for form in forms {
            if let fields = form.match(line) { return (form, fields) }
        }
        return nil
    }
}
