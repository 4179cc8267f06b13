// Table.swift: prints results as Markdown tables, ready to paste into the README.

/// A Markdown table built row by row.
struct Table {
    let title: String
    let columns: [String]
    /// Which columns are right-aligned (numbers).
    let numeric: [Bool]
    var rows: [[String]] = []

    init(_ title: String, columns: [String], numeric: [Bool]? = nil) {
        self.title = title
        self.columns = columns
        self.numeric = numeric ?? columns.indices.map { $0 > 0 }
    }

    mutating func add(_ cells: [String]) { rows.append(cells) }

    func render() -> String {
        var widths = columns.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            let padded = cells.enumerated().map { index, cell in
                let padding = String(repeating: " ", count: max(0, widths[index] - cell.count))
                return numeric[index] ? padding + cell : cell + padding
            }
            return "| " + padded.joined(separator: " | ") + " |"
        }
        let rule = "|" + widths.indices.map { numeric[$0] ? String(repeating: "-", count: widths[$0] + 1) + ":" : ":" + String(repeating: "-", count: widths[$0] + 1) }.joined(separator: "|") + "|"
        return (["**\(title)**", "", line(columns), rule] + rows.map(line)).joined(separator: "\n") + "\n"
    }
}

/// Number formatting for table cells.
enum Format {
    /// `value` with `digits` decimals.
    static func fixed(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return "-" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = Int((abs(value) * scale).rounded())
        let whole = scaled / Int(scale)
        let sign = value < 0 && scaled != 0 ? "-" : ""
        guard digits > 0 else { return sign + grouped(whole) }
        let fraction = String(scaled % Int(scale))
        return sign + grouped(whole) + "." + String(repeating: "0", count: digits - fraction.count) + fraction
    }

    /// An integer with thousands separators.
    static func grouped(_ value: Int) -> String {
        let digits = Array(String(abs(value)))
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return (value < 0 ? "-" : "") + out
    }

    /// Three significant figures or so: 1234 → "1,234", 12.3 → "12.3", 0.123 → "0.12".
    static func short(_ value: Double) -> String {
        if value >= 100 { return fixed(value, 0) }
        if value >= 10 { return fixed(value, 1) }
        return fixed(value, 2)
    }
}
