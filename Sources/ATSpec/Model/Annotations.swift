// Annotations.swift: citations, disagreements and prose that any spec item may carry.

/// Where in a source document an item is described.
public struct SourceCitation: Sendable, Hashable {
    /// The document id (a key of the spec's `documents`).
    public var doc: Located<String>
    /// The section (`2.2.8`, `F1609`).
    public var section: String
    /// The page, when given.
    public var page: String?
    /// Where the citation is written in the spec.
    public var location: SourceLocation
}

/// Another document's (or another place's) reading of a value the item holds.
public struct Conflict: Sendable, Hashable {
    /// The key of the item the reading disagrees with (`range`, `default`, ...).
    public var key: Located<String>
    /// The other reading, as written.
    public var value: String
    /// Where the other reading comes from.
    public var source: SourceCitation?
    /// Our remark.
    public var note: String?
    /// Where the conflict is written in the spec.
    public var location: SourceLocation
}

/// Prose, citations and overrides shared by every kind of spec item.
public struct Annotations: Sendable, Hashable {
    /// The manual's description.
    public var description: String?
    /// Our remark: ambiguity, garbling, inference.
    public var note: String?
    /// The Swift identifier to use instead of the derived one.
    public var swiftName: Located<String>?
    /// Where the item is described.
    public var source: SourceCitation?
    /// Further places the same item is described.
    public var alsoIn: [SourceCitation] = []
    /// Disagreeing readings.
    public var conflicts: [Conflict] = []
    /// True when the item is inferred rather than documented.
    public var inferred: Bool = false
    /// The manual's own text, where the spec writes a cleaned form.
    public var asPrinted: String?
    /// Document ids, when only some documents have this item.
    public var onlyIn: [Located<String>] = []

    /// The keys these annotations are read from.
    static let keys = ["description", "note", "swift_name", "source", "also_in", "conflicts", "inferred", "as_printed", "only_in"]

    /// Every citation the item carries.
    public var citations: [SourceCitation] {
        (source.map { [$0] } ?? []) + alsoIn + conflicts.compactMap(\.source)
    }
}
