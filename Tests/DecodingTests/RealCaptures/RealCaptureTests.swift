// RealCaptureTests.swift: verbatim serial captures of real modems (Tests/RealCaptures/) decoded with their module's spec.

import ATRuntime
import ATSpec
import ATTestSupport
import Foundation
import Testing

/// One capture: its log and its sidecar.
struct RealCapture: CustomStringConvertible, Sendable {
    let id: String
    let lines: [String]
    let spec: String?
    let module: String
    let source: String
    let stripped: String
    /// Lines damaged in the source itself, with the reason.
    let damaged: [String: String]
    /// Lines that are sound but that the spec does not describe (a setting no document
    /// has, a command the module refused), with the reason.
    let notInSpec: [String: String]

    var description: String { id }

    static let folder = PackageRoot.path + "/Tests/RealCaptures"

    /// Every capture in the folder, by id.
    static func all() throws -> [RealCapture] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".json") }.sorted()
        return try names.map { name in
            let id = String(name.dropLast(5))
            let sidecar = try #require(
                try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))) as? [String: Any], "\(name)")
            let log = try String(contentsOfFile: folder + "/" + id + ".log", encoding: .utf8)
            let source = sidecar["source"] as? [String: Any] ?? [:]
            let where_ = [source["repository"], source["path"], source["url"]].compactMap { $0 as? String }.joined(separator: " ")
            func reasons(_ key: String) -> [String: String] {
                var result: [String: String] = [:]
                for entry in sidecar[key] as? [[String: Any]] ?? [] {
                    if let line = entry["line"] as? String { result[line] = entry["why"] as? String ?? "" }
                }
                return result
            }
            return RealCapture(
                id: id, lines: log.split(separator: "\n", omittingEmptySubsequences: false).map(String.init),
                spec: sidecar["spec"] as? String, module: sidecar["module"] as? String ?? "", source: where_,
                stripped: sidecar["stripped"] as? String ?? "", damaged: reasons("damaged"), notInSpec: reasons("not_in_spec"))
        }
    }

    /// The prefix of each spec's MQTT command family, the longest that all its `mqtt`-scoped
    /// commands share (`CMQTT`, `SM`, `QMT`): its command lines are `AT+<family>…`, its answers
    /// and URCs `+<family>…`.
    static let families: [String: String] = {
        var families: [String: String] = [:]
        for name in SpecFolder.names {
            guard let spec = try? Seeds.spec(name) else { continue }
            let ids = spec.commands.filter { $0.scope == "mqtt" }.map(\.id)
            guard var prefix = ids.first else { continue }
            for id in ids.dropFirst() { while !id.hasPrefix(prefix) { prefix.removeLast() } }
            if !prefix.isEmpty { families[name] = prefix }
        }
        return families
    }()

    /// The commands of the spec a vendor spec builds on (`+CSQ`, `&W`, the bare `AT`), the
    /// prefixes of its URCs and of its final results with a prefix (`+CME ERROR`): lines that
    /// a composed module types as well as its own family.
    static let baseNames: (commands: Set<String>, lines: Set<String>) = {
        guard let base = try? Seeds.spec("ThreeGPP") else { return ([], []) }
        let commands = Set(base.commands.flatMap { $0.forms.compactMap { $0.syntax.parsed?.command ?? ($0.syntax.text == "AT" ? "" : nil) } })
        var lines = Set(commands.filter { $0.hasPrefix("+") })
        lines.formUnion(base.finalResults.compactMap { $0.syntax.parsed?.prefix }.filter { $0.hasPrefix("+") }.map { String($0.dropLast($0.hasSuffix(":") ? 1 : 0)) })
        return (commands, lines)
    }()

    /// True for a line of a command of the base spec (`AT+CSQ`, `+CSQ: 21,99`, `+CME ERROR: 10`, `AT`).
    func isBaseLine(_ line: String) -> Bool {
        let upper = line.uppercased()
        guard upper.hasPrefix("AT") || line.hasPrefix("+") else { return false }
        if upper.hasPrefix("AT") {
            let rest = upper.dropFirst(2)
            return Self.baseNames.commands.contains { name in
                guard rest.hasPrefix(name.uppercased()) else { return false }
                // The whole name: `AT+CGACT=1,1`, `AT+CGACT?`, not `AT+CGACTX`; `AT` only alone.
                let after = rest.dropFirst(name.count).first
                return name.isEmpty ? rest.isEmpty : after == nil || !(after?.isLetter ?? false || after?.isNumber ?? false)
            }
        }
        return Self.baseNames.lines.contains { line.hasPrefix($0 + ":") || line == $0 }
    }

    /// True for a line of the spec's command family, or of the base spec it builds on.
    func isFamilyLine(_ line: String) -> Bool {
        guard let spec, let family = Self.families[spec] else { return false }
        let upper = line.uppercased()
        return upper.hasPrefix("AT+" + family) || line.hasPrefix("+" + family) || isBaseLine(line)
    }
}

/// What decoding one capture gave, line by line.
struct CaptureReport {
    /// Indices of the lines of the family, and of those not typed.
    var family: [Int] = []
    var untyped: [Int] = []
    var events: [DecodedEvent] = []
}

@Suite("Real device captures")
struct RealCaptureTests {
    static let captures: [RealCapture] = (try? RealCapture.all()) ?? []

    /// Decodes the capture one line at a time, so each event is known to come from the line
    /// just fed; a line is typed unless it is reported unrecognized, or is one of the lines
    /// of a multi-part URC reported broken.
    static func decode(_ capture: RealCapture) throws -> CaptureReport {
        let module = try #require(capture.spec.flatMap { Seeds.modules[$0] }, "\(capture.id): no module for spec \(capture.spec ?? "nil")")
        var decoder = ATDecoder(module: module)
        var report = CaptureReport()
        var fed: [Int] = []  // lines fed since the last event, for a URC's parts
        func note(_ events: [DecodedEvent], line index: Int?) {
            for event in events {
                switch event {
                case .unrecognized:
                    if let index { report.untyped.append(index) }
                case .brokenURC(let broken):
                    // Its lines are the last ones fed before this one with those texts.
                    var remaining = broken.lines
                    for candidate in fed.reversed() where !remaining.isEmpty {
                        if let position = remaining.lastIndex(of: capture.lines[candidate].trimmingCharacters(in: .whitespaces)) ?? remaining.lastIndex(of: capture.lines[candidate]) {
                            remaining.remove(at: position)
                            report.untyped.append(candidate)
                        }
                    }
                default: break
                }
            }
            report.events += events
        }
        for (index, line) in capture.lines.enumerated() {
            if capture.isFamilyLine(line) { report.family.append(index) }
            let events = decoder.feed(Array((line + "\n").utf8))
            fed.append(index)
            note(events, line: index)
            if !events.isEmpty, !events.contains(where: { if case .brokenURC = $0 { return true } else { return false } }) {
                fed = [index]
            }
        }
        note(decoder.finish(), line: nil)
        return report
    }

    @Test func thereAreAtLeastTwentyCapturesEachWithItsSource() throws {
        #expect(Self.captures.count >= 20)
        for capture in Self.captures {
            #expect(!capture.source.isEmpty, "\(capture.id): no source")
            #expect(!capture.module.isEmpty, "\(capture.id): no module")
            #expect(!capture.stripped.isEmpty, "\(capture.id): what was stripped is not said")
            #expect(capture.spec == nil || Seeds.modules[capture.spec ?? ""] != nil, "\(capture.id): unknown spec \(capture.spec ?? "")")
            for (line, why) in capture.damaged.merging(capture.notInSpec, uniquingKeysWith: { first, _ in first }) {
                #expect(capture.lines.contains(line), "\(capture.id): listed line '\(line)' is not in the log")
                #expect(!why.isEmpty, "\(capture.id): no reason given for '\(line)'")
            }
        }
    }

    @Test(arguments: captures.filter { $0.spec != nil })
    func everyLineOfTheCommandFamilyIsTyped(_ capture: RealCapture) throws {
        let report = try Self.decode(capture)
        for index in report.untyped where capture.isFamilyLine(capture.lines[index]) {
            let line = capture.lines[index]
            #expect(capture.damaged[line] != nil || capture.notInSpec[line] != nil, "\(capture.id) line \(index + 1): '\(line)' is not typed")
        }
        #expect(!report.family.isEmpty, "\(capture.id): no line of the command family")
        // A line listed as outside the spec really is: none of its occurrences is typed.
        let untyped = Set(report.untyped.map { capture.lines[$0] })
        for line in capture.notInSpec.keys.sorted() {
            #expect(untyped.contains(line), "\(capture.id): '\(line)' is listed as not in the spec, but the module types it")
        }
    }

    @Test func totals() throws {
        var family = 0
        var typed = 0
        var damaged = 0
        var notInSpec = 0
        var withSpec = 0
        for capture in Self.captures where capture.spec != nil {
            withSpec += 1
            let report = try Self.decode(capture)
            let untyped = Set(report.untyped.filter { capture.isFamilyLine(capture.lines[$0]) })
            family += report.family.count
            typed += report.family.count - untyped.count
            notInSpec += untyped.filter { capture.notInSpec[capture.lines[$0]] != nil }.count
            damaged += untyped.filter { capture.notInSpec[capture.lines[$0]] == nil }.count
        }
        print("real captures: \(Self.captures.count) (\(withSpec) with a spec); family lines \(family): typed \(typed), damaged in the source \(damaged), not in the spec \(notInSpec)")
        #expect(family > 0 && typed + damaged + notInSpec == family)
    }
}
