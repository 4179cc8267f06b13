// SwiftDecl.swift: the code model: Swift declarations as a tree, before they become text.

/// A declaration: its doc comment, its header line and, for types and functions, its members.
struct SwiftDecl: Sendable, Hashable {
    /// Doc comment lines, without `///`.
    var doc: [String]
    /// The header (`public struct Write: ATRequest`, `public let clientIndex: Int`).
    var header: String
    /// The members; nil for a declaration without braces.
    var body: [SwiftMember]?

    init(doc: [String] = [], _ header: String, body: [SwiftMember]? = nil) {
        self.doc = doc
        self.header = header
        self.body = body
    }
}

/// A member of a declaration's body.
enum SwiftMember: Sendable, Hashable {
    /// A nested declaration.
    case decl(SwiftDecl)
    /// Statements or other lines, each indented relative to the body.
    case code([String])
}

/// A whole generated file.
struct SwiftFile: Sendable, Hashable {
    /// Comment lines at the top, without `//`.
    var header: [String]
    /// Modules to import.
    var imports: [String]
    /// Top-level declarations.
    var decls: [SwiftDecl]
}
