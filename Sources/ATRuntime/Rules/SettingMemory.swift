// SettingMemory.swift: the values the module was last set to, for time limits the spec derives from settings.

/// Remembers the values of the settings that time limits are derived from
/// (``FormDescriptor/responseTimeSettings``), as the commands that set them succeeded:
/// `AT+QMTCFG="timeout",0,10,2` makes the limit of `AT+QMTSUB=0,...` 10 s × 2.
///
/// A value is kept with the other fields of the line that set it (its `<client_idx>`), and
/// a command uses it only when the fields both lines have agree: client 1's setting does not
/// change client 0's limit. One value is kept per setting and context, so memory stays bounded.
public struct ATSettingMemory: Sendable {
    private struct Record: Sendable {
        var value: Int
        var context: [String: String]
    }

    /// The settings any form's limit is derived from.
    public let names: Set<String>
    private var records: [String: [Record]] = [:]

    /// Creates an empty memory for the settings `module`'s forms derive limits from.
    public init(module: ModuleDescriptor) {
        names = Set(module.forms.flatMap(\.responseTimeSettings))
    }

    /// True when `form` sets or uses a remembered setting, so its command line's fields are needed.
    public func concerns(_ form: FormDescriptor) -> Bool {
        !form.responseTimeSettings.isEmpty || form.syntax.parameterNames.contains(where: names.contains)
    }

    /// Records the settings a command that succeeded carried.
    public mutating func succeeded(_ form: FormDescriptor, fields: [CapturedField]) {
        let set = fields.filter { names.contains($0.name) }
        guard !set.isEmpty else { return }
        var context: [String: String] = [:]
        for field in fields where !names.contains(field.name) { context[field.name] = field.text }
        for field in set {
            guard let value = Int(field.text) else { continue }
            var kept = records[field.name, default: []]
            kept.removeAll { $0.context == context }
            kept.append(Record(value: value, context: context))
            records[field.name] = kept
        }
    }

    /// The limit in milliseconds that the remembered settings give `form` sent with `fields`;
    /// nil when the form derives none or a setting was never made (the documented figure applies).
    public func limit(_ form: FormDescriptor, fields: [CapturedField]) -> Int? {
        guard !form.responseTimeSettings.isEmpty else { return nil }
        var product = 1
        for name in form.responseTimeSettings {
            let matching = records[name]?.last { record in
                record.context.allSatisfy { key, value in fields.first { $0.name == key }.map { $0.text == value } ?? true }
            }
            guard let value = matching?.value else { return nil }
            product = product.multipliedReportingOverflow(by: value).partialValue
        }
        return product.multipliedReportingOverflow(by: form.responseTimeSettingUnit).partialValue
    }
}
