// RuleChecker.swift: the spec's ordering rules as data, and the state that tells whether a command may be sent now.

/// One ordering rule of a spec: which command (or form) must come before or after which.
public struct RuleDescriptor: Sendable, Hashable {
    /// What the rule says.
    public enum Kind: String, Sendable, Hashable {
        /// The subject must have succeeded before any of the others is sent.
        case mustPrecede = "must_precede"
        /// Each of the others must have succeeded before the subject is sent.
        case mustFollow = "must_follow"
        /// If the subject is used, it comes before the others (it affects only later ones); not an obligation.
        case precedesIfUsed = "precedes_if_used"
        /// The subject's success undoes the others' (`AT+CMQTTPUB` clears the topic).
        case clears
        /// The others' success undoes the subject's.
        case clearedBy = "cleared_by"
    }

    /// The manual's modal verb; only `must` is enforced.
    public enum Strength: String, Sendable, Hashable {
        case must, should, can
    }

    /// A command, maybe one form of it, with the parameter that scopes the rule for it.
    public struct Target: Sendable, Hashable {
        /// The command id (`CMQTTACCQ`).
        public var command: String
        /// The form's name, when the rule is about one form (`multi_topic`).
        public var form: String?
        /// The parameter whose value the rule holds per (`client_index`), if scoped.
        public var scope: String?

        /// Creates a target.
        public init(command: String, form: String? = nil, scope: String? = nil) {
            self.command = command
            self.form = form
            self.scope = scope
        }

        /// True for `form` (of any form, when the target names none).
        public func matches(_ form: FormDescriptor) -> Bool {
            form.command == command && (self.form == nil || self.form == form.name)
        }

        var label: String { "AT+" + command + (form.map { " (\($0))" } ?? "") }
    }

    public var kind: Kind
    public var strength: Strength
    /// The command the rule is about.
    public var subject: Target
    /// The commands it is ordered against.
    public var others: [Target]
    /// The manual's words.
    public var text: String
    /// Where the spec and the manual say so (`SIM7672X.yaml, an 2.2.3`).
    public var source: String
    /// True when the rule is the spec's inference, not the manual's statement.
    public var inferred: Bool

    /// Creates a rule.
    public init(kind: Kind, strength: Strength, subject: Target, others: [Target], text: String, source: String, inferred: Bool = false) {
        self.kind = kind
        self.strength = strength
        self.subject = subject
        self.others = others
        self.text = text
        self.source = source
        self.inferred = inferred
    }
}

/// A command that the spec's ordering rules forbid in the current state.
public struct ATRuleViolation: Error, Sendable, Hashable, CustomStringConvertible {
    /// The command that was about to be sent, as logged (secrets redacted).
    public var command: String
    /// The command that had to succeed first (`AT+CMQTTACCQ`), with the scope value it needed.
    public var missing: String
    /// The rule that forbids it.
    public var rule: RuleDescriptor

    public var description: String {
        "\(command): \(missing) must have succeeded first (\"\(rule.text)\", \(rule.source)\(rule.inferred ? ", inferred" : ""))"
    }
}

/// What has succeeded so far, and whether the `must` rules allow a command now.
///
/// Scoped rules hold per value of their parameter (`<client_index>`): after
/// `AT+CMQTTACCQ=0,...` succeeded, `AT+CMQTTCONNECT=0,...` may be sent, `AT+CMQTTCONNECT=1,...`
/// may not. Test forms (`AT+X=?`) are never refused. A command whose line does not hold a
/// scoped rule's parameter is not judged by that rule. State stays bounded: one entry per
/// command, form and value of the scope parameters.
public struct ATRuleChecker: Sendable {
    /// The rules checked.
    public let rules: [RuleDescriptor]
    /// Commands taken to have succeeded before the checker started, for every scope value
    /// (a transcript that begins in the middle of a session).
    public var assumed: Set<String> = []
    private var done: [Entry] = []
    /// The scope parameters of each command, as the rules name them.
    private let scopes: [String: Set<String>]

    private struct Entry: Sendable, Hashable {
        var command: String
        var form: String
        var values: [String: String]
    }

    /// Creates a checker with nothing done yet.
    public init(rules: [RuleDescriptor]) {
        self.rules = rules
        var scopes: [String: Set<String>] = [:]
        for rule in rules {
            for target in [rule.subject] + rule.others {
                if let scope = target.scope { scopes[target.command, default: []].insert(scope) }
            }
        }
        self.scopes = scopes
    }

    /// The first `must` rule that sending `form` with `fields` (its command line's fields) breaks now.
    public func violation(sending form: FormDescriptor, fields: [CapturedField], label: String) -> ATRuleViolation? {
        guard form.syntax.commandKind != .test else { return nil }
        func value(_ name: String?) -> String? {
            name.flatMap { name in fields.first { $0.name == name }?.text }
        }
        for rule in rules where rule.strength == .must {
            switch rule.kind {
            case .mustPrecede:
                for other in rule.others where other.matches(form) {
                    let scoped = other.scope != nil || rule.subject.scope != nil
                    let scopeValue = value(other.scope)
                    if scoped, scopeValue == nil || rule.subject.scope == nil { continue }
                    if !hasSucceeded(rule.subject, scope: scoped ? scopeValue : nil) {
                        return ATRuleViolation(command: label, missing: Self.describe(rule.subject, scopeValue: scoped ? scopeValue : nil), rule: rule)
                    }
                }
            case .mustFollow:
                guard rule.subject.matches(form) else { continue }
                let scopeValue = value(rule.subject.scope)
                for other in rule.others {
                    let scoped = other.scope != nil || rule.subject.scope != nil
                    if scoped, scopeValue == nil || other.scope == nil { continue }
                    if !hasSucceeded(other, scope: scoped ? scopeValue : nil) {
                        return ATRuleViolation(command: label, missing: Self.describe(other, scopeValue: scoped ? scopeValue : nil), rule: rule)
                    }
                }
            case .precedesIfUsed, .clears, .clearedBy:
                continue
            }
        }
        return nil
    }

    /// Records that `form` was sent with `fields` and succeeded; applies the rules it clears by.
    public mutating func succeeded(_ form: FormDescriptor, fields: [CapturedField]) {
        var values: [String: String] = [:]
        for name in scopes[form.command] ?? [] {
            if let field = fields.first(where: { $0.name == name }) { values[name] = field.text }
        }
        func value(_ name: String?) -> String? {
            name.flatMap { name in fields.first { $0.name == name }?.text }
        }
        for rule in rules {
            switch rule.kind {
            case .clears where rule.subject.matches(form):
                for other in rule.others { clear(other, scope: other.scope, value: value(rule.subject.scope)) }
            case .clearedBy:
                for other in rule.others where other.matches(form) { clear(rule.subject, scope: rule.subject.scope, value: value(other.scope)) }
            default:
                continue
            }
        }
        let entry = Entry(command: form.command, form: form.name, values: values)
        if !done.contains(entry) { done.append(entry) }
    }

    /// Forgets everything (the module restarted).
    public mutating func reset() {
        done.removeAll()
    }

    private func hasSucceeded(_ target: RuleDescriptor.Target, scope value: String?) -> Bool {
        if assumed.contains(target.command) { return true }
        return done.contains { entry in
            entry.command == target.command && (target.form == nil || target.form == entry.form)
                && (value == nil || target.scope.map { entry.values[$0] == value } ?? true)
        }
    }

    private mutating func clear(_ target: RuleDescriptor.Target, scope: String?, value: String?) {
        done.removeAll { entry in
            entry.command == target.command && (target.form == nil || target.form == entry.form)
                && (value == nil || scope.map { entry.values[$0] == value } ?? true)
        }
    }

    static func describe(_ target: RuleDescriptor.Target, scopeValue: String?) -> String {
        guard let scope = target.scope, let scopeValue else { return target.label }
        return target.label + " with <\(scope)> \(scopeValue)"
    }
}
