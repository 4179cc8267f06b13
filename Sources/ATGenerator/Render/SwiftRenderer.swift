// SwiftRenderer.swift: the code model as text, four spaces a level, a blank line between members.

/// Renders the code model. Pure: the same model gives the same bytes.
///
/// Translators write every declaration `public`; the renderer puts the chosen access
/// level in its place, so one switch covers every header.
enum SwiftRenderer {
    static func render(_ file: SwiftFile, access: GeneratorOptions.AccessLevel = .public) -> String {
        var out: [String] = file.header.map { $0.isEmpty ? "//" : "// " + $0 }
        out.append("")
        for module in file.imports { out.append("import \(module)") }
        for decl in file.decls {
            out.append("")
            render(decl, level: 0, access: access, into: &out)
        }
        return out.joined(separator: "\n") + "\n"
    }

    static func render(_ decl: SwiftDecl, level: Int, access: GeneratorOptions.AccessLevel, into out: inout [String]) {
        let indent = String(repeating: "    ", count: level)
        let header = decl.header.hasPrefix("public ") ? access.modifier + decl.header.dropFirst(7) : decl.header
        for line in decl.doc {
            out.append(line.isEmpty ? indent + "///" : indent + "/// " + line)
        }
        guard let body = decl.body else {
            out.append(indent + header)
            return
        }
        if body.isEmpty {
            out.append(indent + header + " {}")
            return
        }
        out.append(indent + header + " {")
        for (index, member) in body.enumerated() {
            if index > 0, needsBlankLine(before: member, after: body[index - 1]) { out.append("") }
            switch member {
            case .decl(let inner):
                render(inner, level: level + 1, access: access, into: &out)
            case .code(let lines):
                for line in lines { out.append(line.isEmpty ? "" : indent + "    " + line) }
            }
        }
        out.append(indent + "}")
    }

    /// Stored properties without docs sit together; everything else is separated by a blank line.
    static func needsBlankLine(before member: SwiftMember, after previous: SwiftMember) -> Bool {
        if case .decl(let a) = member, case .decl(let b) = previous, a.body == nil, b.body == nil, a.doc.isEmpty, b.doc.isEmpty {
            return false
        }
        if case .code = member, case .code = previous { return false }
        return true
    }
}
