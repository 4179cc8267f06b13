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

    /// A word per information line of `form` that tells it from the form's other lines, in
    /// upper camel case, or nil where none does (then the line is numbered): the tag the line
    /// starts with (`+SMCONF: "CLIENTID",...`, named as the tag form that writes it when there is
    /// one: `ClientID`), or a prefix of its own (`KEEPTIME: <keeptime>`).
    public func responseLineWords(_ form: Form) -> [String?] {
        let own = form.syntax.parsed?.command.map { $0 + ":" }
        let tags = Dictionary(
            forms.compactMap { other -> (String, String)? in
                guard let tag = other.syntax.parsed?.leadingQuotedLiteral, let name = other.annotations.swiftName?.value ?? other.name?.value else { return nil }
                return (tag.uppercased(), name)
            }, uniquingKeysWith: { first, _ in first })
        let words: [String?] = form.responses.map { line in
            guard let syntax = line.syntax.parsed else { return nil }
            let word: String?
            if let tag = syntax.leadingQuotedLiteral {
                word = tags[tag.uppercased()] ?? tag.lowercased()
            } else {
                let prefix = String(syntax.prefix.filter { $0 != " " && $0 != ":" && $0 != "+" })
                word = prefix.isEmpty || String(syntax.prefix.filter { $0 != " " }) == own ? nil : tags[prefix.uppercased()] ?? prefix.lowercased()
            }
            guard let word, let first = word.unicodeScalars.first, first.properties.isAlphabetic else { return nil }
            let camel = SwiftNaming.upperCamel(word)
            return camel.isEmpty ? nil : camel
        }
        // A word two lines share tells neither apart.
        return words.map { word in word.flatMap { words.filter { $0 == word }.count == 1 ? $0 : nil } }
    }

    /// A response line's type name within its form's namespace (`ReadClientIDLine`, `WriteLine2`).
    public func responseLineType(_ form: Form, _ typeName: String, _ index: Int) -> String {
        if form.responses.count == 1 { return typeName + "Line" }
        if let word = responseLineWords(form)[index] { return typeName + word + "Line" }
        return typeName + "Line\(index + 1)"
    }

    /// A response line's property in its form's response (`clientIDLine`, `lines2`).
    public func responseLineProperty(_ form: Form, _ index: Int) -> String {
        let line = form.responses[index]
        let base = line.repeats ? "lines" : "line"
        if form.responses.count == 1 { return base }
        if let word = responseLineWords(form)[index] { return SwiftNaming.lowerCamel(word) + (line.repeats ? "Lines" : "Line") }
        return base + "\(index + 1)"
    }

    /// The type names the command's namespace holds besides its enums: each form's type and
    /// the `Response`, `Result` and `Line<n>` types named after it, and a tag group's `Setting`.
    public var scopeTypeNames: Set<String> {
        var names: Set<String> = ["Setting"]
        let tags = tagForms
        func add(_ type: String, lines: Int, form: Form?) {
            names.formUnion([type, type + "Response", type + "Result", type + "Line"])
            for index in 0...lines { names.insert(type + "Line" + String(index)) }
            if let form { for word in responseLineWords(form).compactMap({ $0 }) { names.insert(type + word + "Line") } }
        }
        for form in forms where !tags.contains(form) { add(formType(form), lines: form.responses.count, form: form) }
        if !tags.isEmpty { add("Write", lines: tagWriteResponses.count, form: nil) }
        let queries = queryTagForms
        if !queries.isEmpty {
            names.formUnion(["Query", "QueryResponse", "Tag"])
            for form in queries { names.insert("Query" + SwiftNaming.upperCamel(form.annotations.swiftName?.value ?? form.name?.value ?? "setting") + "Line") }
        }
        return names
    }
}
