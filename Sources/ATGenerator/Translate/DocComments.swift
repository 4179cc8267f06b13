// DocComments.swift: doc comment lines from a spec item's prose, ranges, defaults and citations.

import ATRuntime
import ATSpec

enum DocComments {
    /// Wraps prose into lines of at most `width` characters.
    static func wrap(_ text: String, width: Int = 100) -> [String] {
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            for word in paragraph.split(separator: " ") {
                if !line.isEmpty, line.count + 1 + word.count > width {
                    lines.append(line)
                    line = ""
                }
                line += line.isEmpty ? String(word) : " " + word
            }
            lines.append(line)
        }
        while lines.last == "" { lines.removeLast() }
        return lines
    }

    /// `an 2.2.8` for a citation.
    /// A response time as prose: the figure, what it is derived from, or the parameter that gives it.
    static func responseTime(_ time: ResponseTime) -> String {
        if let parameter = time.parameter {
            return "the value of `<\(parameter.value)>` (\(time.parameterUnit))"
        }
        var text = "\(time.milliseconds) ms"
        if let formula = time.formula { text += " (\(formula) with the documented defaults)" }
        else if !time.derivedFrom.isEmpty { text += " (derived from " + time.derivedFrom.map { "`<\($0)>`" }.joined(separator: ", ") + ")" }
        return text
    }

    static func cite(_ citation: SourceCitation?) -> String? {
        guard let citation else { return nil }
        return citation.section.isEmpty ? citation.doc.value : "\(citation.doc.value) \(citation.section)"
    }

    /// The source line for a validator: `SIM7672X.yaml, an 2.2.8`.
    static func sourceText(_ spec: Spec, _ citation: SourceCitation?) -> String {
        let file = spec.file.split(separator: "/").last.map(String.init) ?? spec.file
        return [file, cite(citation)].compactMap { $0 }.joined(separator: ", ")
    }

    /// Prose lines of an item: description, then our note.
    static func prose(_ annotations: Annotations) -> [String] {
        var lines: [String] = []
        if let description = annotations.description { lines += wrap(description) }
        if let note = annotations.note {
            if !lines.isEmpty { lines.append("") }
            lines += wrap("- Note: " + note)
        }
        return lines
    }

    /// Citations and disagreements of an item.
    static func sources(_ annotations: Annotations) -> [String] {
        var lines: [String] = []
        var cited = [annotations.source].compactMap(cite)
        cited += annotations.alsoIn.compactMap(cite)
        if !cited.isEmpty { lines.append("- Source: " + cited.joined(separator: "; ")) }
        for conflict in annotations.conflicts {
            var text = "- Important: \(cite(conflict.source) ?? "another source") reads \(conflict.key.value) as \(conflict.value)"
            if let note = conflict.note { text += ". " + note }
            lines += wrap(text)
        }
        if annotations.inferred { lines.append("- Warning: inferred; not stated in the documents.") }
        if !annotations.onlyIn.isEmpty { lines.append("- Remark: only in " + annotations.onlyIn.map(\.value).joined(separator: ", ") + ".") }
        return lines
    }

    /// A parameter's documentation: prose, then its constraints.
    static func parameter(_ parameter: Parameter) -> [String] {
        var lines = ["`<\(parameter.name)>`" + (parameter.annotations.asPrinted.map { " (printed `\($0)`)" } ?? "") + "."]
        let prose = self.prose(parameter.annotations)
        if !prose.isEmpty { lines += [""] + prose }
        var facts: [String] = []
        if let range = parameter.range?.value { facts.append("- Range: \(range)" + (parameter.unit.map { " \($0)" } ?? "")) } else if let unit = parameter.unit { facts.append("- Unit: \(unit)") }
        if let length = parameter.length?.value { facts.append("- Length: \(length) bytes") }
        if let charset = parameter.charset { facts.append("- Charset: \(charset)") }
        if let defaultValue = parameter.defaultValue { facts.append("- Default: \(defaultValue.value.isEmpty ? "empty" : defaultValue.value)") }
        if let format = parameter.format {
            var text = "- Format: \(format.kind)"
            if let scheme = format.scheme { text += ", starting with `\(scheme)`" }
            if let port = format.defaultPort { text += ", default port \(port)" }
            facts.append(text)
        }
        if parameter.secret { facts.append("- Important: secret; never shown in descriptions or logs.") }
        if parameter.type == .flag {
            for value in parameter.values { facts += wrap("- \(value.value == 1 ? "true" : "false") (\(value.value)): \(value.description ?? value.name ?? "")") }
        }
        facts += sources(parameter.annotations)
        if !facts.isEmpty { lines += [""] + facts }
        return lines
    }
}
