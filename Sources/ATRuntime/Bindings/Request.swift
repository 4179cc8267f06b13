// Request.swift: what a generated request type offers the command engine.

/// A command the host can send: the bytes of its line, the data after its prompt,
/// and how its answer is typed.
public protocol ATRequest: Sendable, CustomStringConvertible {
    /// The typed answer.
    associatedtype Response: Sendable
    /// The module whose command this is. An engine of that module sends it, and so does an
    /// engine of a module that builds on it (``ATModule/BaseModule``); any other does not compile.
    associatedtype Module: ATModule

    /// The form's routing data: which lines answer it, whether it prompts, its time limit.
    var descriptor: FormDescriptor { get }

    /// The command line, ending in CR.
    func encode() -> [UInt8]

    /// The bytes to send after the `>` prompt, for forms that prompt.
    var promptData: [UInt8]? { get }

    /// The time limit, in milliseconds, that this request's own values give (a disconnect's
    /// `<timeout>`, say); nil when the form's documented limit applies.
    var responseTimeLimit: Int? { get }

    /// Types the answer from the lines that belonged to this command.
    static func response(from lines: ATResponseLines) throws(ATDecodingError) -> Response
}

extension ATRequest {
    /// No data follows the command line.
    public var promptData: [UInt8]? { nil }

    /// The form's documented limit applies.
    public var responseTimeLimit: Int? { nil }
}

/// The lines that answered one command, as the engine collected them.
public struct ATResponseLines: Sendable, Hashable {
    /// The fields of each information line, by the index of the response it matched.
    public var information: [(index: Int, fields: [CapturedField])]
    /// The fields of the deferred result, if it came.
    public var deferred: [CapturedField]?
    /// Which of the form's deferred shapes it matched (``FormDescriptor/deferredShapes``).
    public var deferredShape: Int
    /// The name of the form that was sent (``FormDescriptor/name``): a request type that
    /// covers several forms (a tag group's query) types the lines by it.
    public var form: String

    /// Creates the collection.
    public init(information: [(index: Int, fields: [CapturedField])] = [], deferred: [CapturedField]? = nil, deferredShape: Int = 0, form: String = "") {
        self.information = information
        self.deferred = deferred
        self.deferredShape = deferredShape
        self.form = form
    }

    /// The fields of every line that matched response `index`.
    public func lines(_ index: Int) -> [[CapturedField]] {
        information.filter { $0.index == index }.map(\.fields)
    }

    public static func == (lhs: ATResponseLines, rhs: ATResponseLines) -> Bool {
        lhs.deferred == rhs.deferred && lhs.deferredShape == rhs.deferredShape && lhs.form == rhs.form && lhs.information.map(\.index) == rhs.information.map(\.index)
            && lhs.information.map(\.fields) == rhs.information.map(\.fields)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(deferred)
        hasher.combine(information.map(\.index))
    }
}

/// The answer of a command that answers with its final result only.
public struct ATEmptyResponse: Sendable, Hashable {
    /// Creates the answer.
    public init() {}
}

/// A URC as the decoder assembled it: the fields of its line (or of its start part)
/// and the raw data its parts carried.
public struct URCMatch: Sendable, Hashable {
    /// The URC id.
    public var name: String
    /// The fields of the line, or of the start part of a multi-part URC.
    public var fields: [CapturedField]
    /// Raw data collected from the parts, by the name the spec gives it (`topic`, `payload`).
    public var data: [String: [UInt8]]

    /// Creates a match.
    public init(name: String, fields: [CapturedField], data: [String: [UInt8]] = [:]) {
        self.name = name
        self.fields = fields
        self.data = data
    }
}
