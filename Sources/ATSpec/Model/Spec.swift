// Spec.swift: a whole spec: one module family transcribed from its documents.

/// A source document that items cite.
public struct Document: Sendable, Hashable {
    /// The id items cite.
    public var id: String
    /// Where the id is written.
    public var location: SourceLocation
    /// The title.
    public var title: String
    /// The version.
    public var version: String?
    /// The date.
    public var date: String?
    /// The plain-text file it was read from.
    public var file: String?
    /// The language.
    public var language: String?
    /// Our remark.
    public var note: String?
    /// Where it is published on the web, when it is cited from there.
    public var url: String?
    /// The public repository (`owner/name`) and the path in it, when it is cited from there.
    public var repository: String?
    public var path: String?

    /// True when the document is located by `url` or `repository`: a citation of it may omit the section.
    public var isLocated: Bool { url != nil || repository != nil }
}

/// The module family a spec describes.
public struct Module: Sendable, Hashable {
    /// The Swift namespace (`SIM7672X`).
    public var name: Located<String>
    /// The vendor.
    public var vendor: String
    /// The command family.
    public var family: String?
    /// The models it applies to.
    public var models: [String]
    /// A description.
    public var description: String?
    /// Our remark.
    public var note: String?
}

/// A spec: the transcription of one module family's documents.
public struct Spec: Sendable, Hashable {
    /// The file it was read from, as named to the loader.
    public var file: String
    /// The spec-language version.
    public var version: Int
    /// The module family.
    public var module: Module
    /// The source documents.
    public var documents: [Document]
    /// `none`: no string escape is defined.
    public var stringEscape: String
    /// The line ending.
    public var lineEnding: String
    /// Final result codes.
    public var finalResults: [FinalResult]
    /// Error tables.
    public var errorTables: [ErrorTable]
    /// Commands, in the order written.
    public var commands: [Command]
    /// URCs, in the order written.
    public var urcs: [URC]
    /// Ordering and lifetime rules.
    public var rules: [Rule]
    /// Document examples.
    public var examples: [Example]
    /// v2: the module name of the spec this one builds on (`builds_on: ThreeGPP`), where it is written.
    public var buildsOn: Located<String>?
    /// In a composed spec: the spec it builds on, itself composed (zero or one). The composed
    /// spec's items are its own followed by the base's that it does not override; each base item
    /// names its module in `origin`. Examples stay each spec's own.
    public var bases: [Spec] = []
    /// v2: how the module's own MQTT stack carries out the MQTT client API (`mqtt:`); nil when
    /// the spec has no such section. Not inherited from a base.
    public var mqtt: MQTTSection?

    /// The spec this one builds on, once composed.
    public var base: Spec? { bases.first }

    /// The command with id `id`.
    public func command(_ id: String) -> Command? {
        commands.first { $0.id == id }
    }
}
