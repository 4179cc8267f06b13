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

/// A documented maximum response time.
public struct ResponseTime: Sendable, Hashable {
    /// Milliseconds.
    public var milliseconds: Int
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
    /// Prose and citations.
    public var annotations: Annotations

    public static func == (lhs: Deferred, rhs: Deferred) -> Bool {
        lhs.syntax == rhs.syntax && lhs.order == rhs.order && lhs.annotations == rhs.annotations
            && lhs.success.map(\.name) == rhs.success.map(\.name) && lhs.success.map(\.value) == rhs.success.map(\.value)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(syntax)
        hasher.combine(order)
    }
}

/// A data prompt: the module prints `>` and the host sends the declared bytes.
public struct Prompt: Sendable, Hashable {
    /// The prompt text (`>`).
    public var text: String
    /// The parameter holding the data (not in the syntax).
    public var data: Located<String>
    /// The parameter holding the data's byte count.
    public var length: Located<String>
    /// `raw` or `hex`.
    public var encoding: String
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
    /// A deferred result.
    public var deferred: Deferred?
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
    /// Prose and citations.
    public var annotations: Annotations

    /// The parameter called `name`.
    public func parameter(_ name: String) -> Parameter? {
        parameters.first { $0.name == name }
    }
}
