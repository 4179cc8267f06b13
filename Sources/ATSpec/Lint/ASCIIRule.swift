// ASCIIRule.swift: AT text is plain ASCII: no typographic quotes, no stray non-ASCII characters.

/// `non-ascii`: syntax strings and example command lines are what goes over a
/// serial line, so a `”` or `″` (from a PDF's typography) is a mistake.
struct ASCIIRule: LintRule {
    let id = "non-ascii"
    static let typographic: [Character: String] = ["\u{201C}": "“", "\u{201D}": "”", "\u{2033}": "″", "\u{2018}": "‘", "\u{2019}": "’", "\u{FF02}": "＂"]

    func check(_ spec: Spec, into sink: inout DiagnosticSink) {
        for command in spec.commands {
            for form in command.forms {
                check(form.syntax.text, form.syntax.location, &sink)
                for line in form.responses { check(line.syntax.text, line.syntax.location, &sink) }
                for deferred in form.deferredShapes { check(deferred.syntax.text, deferred.syntax.location, &sink) }
            }
        }
        for urc in spec.urcs {
            for line in urc.lines { check(line.text, line.location, &sink) }
        }
        for final in spec.finalResults { check(final.syntax.text, final.syntax.location, &sink) }
        for example in spec.examples {
            for (index, line) in example.lines.enumerated() where line.utf8.contains(where: { $0 >= 0x80 }) {
                let location = index < example.lineLocations.count ? example.lineLocations[index] : example.location
                if line.contains(where: { Self.typographic[$0] != nil }) {
                    check(line, location, &sink)
                } else if line.uppercased().hasPrefix("AT") {
                    check(line, location, &sink)
                }
            }
        }
    }

    func check(_ text: String, _ location: SourceLocation, _ sink: inout DiagnosticSink) {
        guard text.utf8.contains(where: { $0 >= 0x80 }) else { return }
        var column = 0
        for character in text {
            defer { column += character.utf8.count }
            guard !character.isASCII else { continue }
            let at = SourceLocation(line: location.line, column: location.column + column)
            if let shown = Self.typographic[character] {
                sink.error(id, "typographic quote \(shown) in AT text; a modem sends ASCII \(character == "\u{2018}" || character == "\u{2019}" ? "'" : "\"")", at: at)
            } else {
                sink.error(id, "non-ASCII character '\(character)' in AT text", at: at)
            }
            return
        }
    }
}
