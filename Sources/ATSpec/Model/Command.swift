// Command.swift: an AT command with its forms, parameters and results.

import ATRuntime

/// A syntax string as written, with its parse (nil when it did not parse).
public struct SyntaxString: Sendable, Hashable {
    /// The text as written in the spec.
    public var text: String
    /// Where it is written.
    public var location: SourceLocation
    /// The parse.
    public var parsed: Syntax?
}

/// A documented maximum response time: a fixed figure, a figure derived from settings
/// (`<pkt_timeout>` × `<retry_times>`), or the value of one of the command's own parameters.
public struct ResponseTime: Sendable, Hashable {
    /// Milliseconds: the documented figure (for a derived limit, its value with the documented defaults).
    public var milliseconds: Int
    /// The settings the limit is derived from (`pkt_timeout`, `retry_times`), as the manual names them.
    public var derivedFrom: [String] = []
    /// How it is derived, in the manual's words (`<pkt_timeout> × <retry_times>`).
    public var formula: String?
    /// A parameter of the command whose value is the limit (a disconnect's `<timeout>`).
    public var parameter: Located<String>?
    /// The unit of `parameter`'s value: `s` or `ms`.
    public var parameterUnit: String = "s"
    /// Where it is written.
    public var location: SourceLocation
    /// Prose and citations.
    public var annotations: Annotations
}

/// An information line of a response.
public struct ResponseLine: Sendable, Hashable {
    /// The line's syntax.
    public var syntax: SyntaxString
    /// True when the line repeats (one per client, say).
    public var repeats: Bool
    /// True when the line may be absent.
    public var optional: Bool
    /// The manual's condition for this line (`If failed`).
    public var when: String?
    /// Prose and citations.
    public var annotations: Annotations
}

/// Where a deferred result may come relative to the final result (the runtime's own type).
public typealias DeferredOrder = DeferredPlacement

/// A result line that belongs to a command and may arrive before or after its final result.
public struct Deferred: Sendable, Hashable {
    /// The line's syntax.
    public var syntax: SyntaxString
    /// When it comes.
    public var order: DeferredOrder
    /// Parameter values that mean success (`err: 0`).
    public var success: [(name: Located<String>, value: String)]
    /// For one of several shapes: its name, and whether the shape as a whole means success.
    public var name: Located<String>? = nil
    public var shapeSuccess: Bool? = nil
    /// Its own time limit, when the manual gives one.
    public var timeout: ResponseTime? = nil
    /// Prose and citations.
    public var annotations: Annotations

    public static func == (lhs: Deferred, rhs: Deferred) -> Bool {
        lhs.syntax == rhs.syntax && lhs.order == rhs.order && lhs.annotations == rhs.annotations && lhs.name == rhs.name
            && lhs.shapeSuccess == rhs.shapeSuccess && lhs.timeout == rhs.timeout
            && lhs.success.map(\.name) == rhs.success.map(\.name) && lhs.success.map(\.value) == rhs.success.map(\.value)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(syntax)
        hasher.combine(order)
    }
}

/// A data prompt: the module prints `>` and the host sends the declared bytes, or bytes
/// ended by a terminator (Ctrl-Z).
public struct Prompt: Sendable, Hashable {
    /// The prompt text (`>`).
    public var text: String
    /// The parameter holding the data (not in the syntax).
    public var data: Located<String>
    /// The parameter holding the data's length; nil for data ended by `end`.
    public var length: Located<String>?
    /// `raw` or `hex`.
    public var encoding: String
    /// What the declared length counts: `bytes` of data, or transmitted hex `digits`.
    public var lengthCounts: String = "bytes"
    /// The byte that ends the data (`ctrl_z`), for data without a declared length.
    public var end: Located<String>?
    /// The byte that cancels the data (`esc`).
    public var cancel: Located<String>?
    /// True when the module sends CR LF after the prompt.
    public var followedByLineEnd: Bool = false
    /// Prose and citations.
    public var annotations: Annotations
}

/// One form of a command: test, read, write or execute.
public struct Form: Sendable, Hashable {
    /// Which form.
    public var kind: Syntax.CommandKind
    /// The form's name, when a command has several of a kind.
    public var name: Located<String>?
    /// The command line.
    public var syntax: SyntaxString
    /// Information lines.
    public var responses: [ResponseLine]
    /// A deferred result (the first of its shapes).
    public var deferred: Deferred? { deferredShapes.first }
    /// Every shape of the deferred result (several when a field's meaning depends on another).
    public var deferredShapes: [Deferred]
    /// True for a tag form whose optional value, left out, makes the line a query.
    public var omittedMeansQuery: Bool = false
    /// Constraints between the form's parameters.
    public var constraints: [Constraint] = []
    /// A data prompt.
    public var prompt: Prompt?
    /// The final results this form can end with (all when empty).
    public var finals: [Located<String>]
    /// A response time for this form.
    public var maxResponseTime: ResponseTime?
    /// Where the form is written.
    public var location: SourceLocation
    /// Prose and citations.
    public var annotations: Annotations
}

/// An AT command.
public struct Command: Sendable, Hashable {
    /// The id (the command name without `AT+`).
    public var id: String
    /// Where the id is written.
    public var location: SourceLocation
    /// The manual's title.
    public var title: String
    /// `mqtt` or `auxiliary`.
    public var scope: String
    /// The documented maximum response time.
    public var maxResponseTime: ResponseTime?
    /// The manual's attribute table.
    public var attributes: [String: String]
    /// The forms.
    public var forms: [Form]
    /// The parameters of all forms.
    public var parameters: [Parameter]
    /// Constraints between parameters, for every form that has them.
    public var constraints: [Constraint] = []
    /// Prose and citations.
    public var annotations: Annotations
    /// v2: replaces the base spec's command of the same id (`overrides: true`).
    public var overrides = false
    /// The module of the base spec the command comes from, in a composed spec; nil for the spec's own.
    public var origin: String?

    /// The parameter called `name`.
    public func parameter(_ name: String) -> Parameter? {
        parameters.first { $0.name == name }
    }
}

/// A constraint between parameters the manual states (a will flag of 1 needs a will topic),
/// checked when a request is built.
public struct Constraint: Sendable, Hashable {
    /// Parameter values that make the constraint apply (all must hold); empty: always.
    public var when: [ConstraintValue]
    /// Parameter values under which the constraint does not apply.
    public var unless: [ConstraintValue]
    /// Parameters that must be given.
    public var require: [Located<String>]
    /// Parameters that must be left out.
    public var forbid: [Located<String>]
    /// Parameters that must hold these values.
    public var equals: [ConstraintValue]
    /// Values parameters must not hold.
    public var forbidValues: [(name: Located<String>, values: [Int])]
    /// The manual's words.
    public var text: String
    /// Where it says so, and our remarks.
    public var annotations: Annotations
    /// Where the constraint is written.
    public var location: SourceLocation

    public static func == (lhs: Constraint, rhs: Constraint) -> Bool {
        lhs.when == rhs.when && lhs.unless == rhs.unless && lhs.require == rhs.require && lhs.forbid == rhs.forbid
            && lhs.equals == rhs.equals && lhs.text == rhs.text && lhs.location == rhs.location
            && lhs.forbidValues.map(\.name) == rhs.forbidValues.map(\.name) && lhs.forbidValues.map(\.values) == rhs.forbidValues.map(\.values)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(text)
        hasher.combine(location)
    }

    /// Every parameter the constraint names.
    public var names: [Located<String>] {
        when.map(\.name) + unless.map(\.name) + require + forbid + equals.map(\.name) + forbidValues.map(\.name)
    }
}

/// A parameter and an integer value (an enum's or flag's value as the manual writes it).
public struct ConstraintValue: Sendable, Hashable {
    /// The parameter.
    public var name: Located<String>
    /// The values, any of which holds (`when: {qos: [1, 2]}`).
    public var values: [Int]
}
