// CommandNames.swift: the Swift type names a command's namespace holds, shared by the generator and the linter.

extension Command {
    /// A form's type name: its kind when it is the only one of its kind, else its name.
    public func formType(_ form: Form) -> String {
        let sameKind = forms.filter { $0.kind == form.kind }.count
        if sameKind == 1 || form.name == nil {
            return SwiftNaming.upperCamel(form.kind.rawValue)
        }
        return SwiftNaming.safeType(SwiftNaming.upperCamel(form.annotations.swiftName?.value ?? form.name?.value ?? form.kind.rawValue))
    }

    /// The write forms selected by a leading tag (`AT+SMCONF="URL",<url>`) that become one
    /// request with an enum of settings; empty when the command's forms do not qualify.
    public var tagForms: [Form] {
        let writes = forms.filter { $0.kind == .write }
        guard writes.count >= 2, writes.allSatisfy({ $0.syntax.parsed?.leadingQuotedLiteral != nil && $0.name != nil && $0.prompt == nil }) else { return [] }
        // A form whose omitted value means "query" answers its query line only when queried:
        // its lines do not count against the group's; the written forms must agree.
        let written = writes.filter { !$0.omittedMeansQuery }
        let responses = written.first?.responses.map(\.syntax.text) ?? []
        let deferred = Set(writes.compactMap { $0.deferred?.syntax.text })
        return written.allSatisfy({ $0.responses.map(\.syntax.text) == responses }) && deferred.count <= 1 ? writes : []
    }

    /// The tag forms whose omitted value means "query": the group's `Query` request.
    public var queryTagForms: [Form] {
        tagForms.filter { $0.omittedMeansQuery && $0.syntax.parsed?.firstOptionalGroup != nil && !$0.responses.isEmpty }
    }

    /// The information lines a tag group's write answers with (none of a query line).
    public var tagWriteResponses: [ResponseLine] {
        tagForms.first { !$0.omittedMeansQuery }?.responses ?? []
    }

    /// The type names the command's namespace holds besides its enums: each form's type and
    /// the `Response`, `Result` and `Line<n>` types named after it, and a tag group's `Setting`.
    public var scopeTypeNames: Set<String> {
        var names: Set<String> = ["Setting"]
        let tags = tagForms
        func add(_ type: String, lines: Int) {
            names.formUnion([type, type + "Response", type + "Result"])
            for index in 0...lines { names.insert(type + "Line" + String(index)) }
        }
        for form in forms where !tags.contains(form) { add(formType(form), lines: form.responses.count) }
        if !tags.isEmpty { add("Write", lines: tagWriteResponses.count) }
        let queries = queryTagForms
        if !queries.isEmpty {
            names.formUnion(["Query", "QueryResponse", "Tag"])
            for form in queries { names.insert("Query" + SwiftNaming.upperCamel(form.annotations.swiftName?.value ?? form.name?.value ?? "setting") + "Line") }
        }
        return names
    }
}
