// SimulatorReplayTests.swift: every document example's command lines, played against at-sim, get answers of the kinds and order the transcript shows.

import ATModem
import ATRuntime
import ATSimulator
import ATSpec
import ATTestSupport
import Foundation
import Testing

/// What a line of an answer is, for the comparison: values may differ, kinds may not.
enum AnswerKind: String, Sendable, Hashable, CustomStringConvertible {
    case information, deferred, success, failure, prompt
    var description: String { rawValue }
}

struct Replay {
    let spec: Spec
    let descriptor: ModuleDescriptor

    init(file: String) throws {
        spec = try #require(SpecLoader.loadComposed(path: PackageRoot.path + "/Specs/" + file).spec)
        descriptor = DescriptorBuilder.build(spec)
    }

    /// The form a command line is, with its fields.
    func command(_ line: String) -> (form: FormDescriptor, fields: [CapturedField])? {
        var decoder = ATDecoder(module: descriptor)
        guard case .command(let command, let name, _, let fields)? = decoder.feed(Array(line.utf8) + [0x0D, 0x0A]).first,
            let form = descriptor.forms.first(where: { $0.command == command && $0.name == name })
        else { return nil }
        return (form, fields)
    }

    /// The spec's form of a descriptor.
    func specForm(_ form: FormDescriptor) -> Form? {
        spec.command(form.command)?.forms.first { DescriptorBuilder.formName($0) == form.name }
    }

    /// The kind of an answer line of `form`; nil for a line that is none (a URC, the broker's doing).
    func kind(_ line: String, form: FormDescriptor) -> AnswerKind? {
        let text = line.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix(">") || (specForm(form)?.prompt.map { !$0.text.isEmpty && text == $0.text } ?? false) { return .prompt }
        if let final = descriptor.finals.first(where: { $0.line.match(text) != nil }) { return final.isSuccess ? .success : .failure }
        if form.deferredShapes.contains(where: { $0.match(text) != nil }) { return .deferred }
        if form.responses.contains(where: { $0.match(text) != nil }) { return .information }
        return nil
    }

    /// True when `line` is one of `steps` (its command and form).
    func isStep(_ line: String, _ steps: [MQTTStep]) -> Bool {
        guard let (form, _) = command(line) else { return false }
        return steps.contains { step in
            spec.shape(of: step).map { $0.command.id == form.command && DescriptorBuilder.formName($0.form) == form.name } ?? false
        }
    }

    /// The command lines that bring a module to a session: the first example played from power-on
    /// that connects through the mqtt section, up to that connect's last step, or on to just
    /// before its first publish (so a topic and payload are set where the module keeps them).
    func prelude() -> [(line: String, kinds: [AnswerKind])] {
        guard let mqtt = spec.mqtt, let connect = mqtt.operation(.connect) else { return [] }
        let connected = connect.variants.compactMap(\.steps.last)
        let published = mqtt.operation(.publish)?.variants.compactMap(\.steps.last) ?? []
        for example in spec.examples where example.fromStart {
            let lines = documented(example)
            guard let index = lines.firstIndex(where: { isStep($0.line, connected) }) else { continue }
            if let publish = lines[index...].firstIndex(where: { isStep($0.line, published) }) { return Array(lines[..<publish]) }
            return Array(lines[...index])
        }
        return []
    }

    /// True when the example sends a command of the mqtt section's operations other than connect's.
    func usesConnection(_ example: Example) -> Bool {
        guard let mqtt = spec.mqtt else { return false }
        let commands = Set(mqtt.operations.filter { $0.kind != .connect }.flatMap { $0.variants.flatMap { $0.steps.map(\.command.value) } })
        return documented(example).contains { command($0.line).map { commands.contains($0.form.command) } ?? false }
    }

    /// The example's commands and the kinds of their answers, as the transcript shows them.
    func documented(_ example: Example) -> [(line: String, kinds: [AnswerKind])] {
        var found: [(line: String, kinds: [AnswerKind])] = []
        var form: FormDescriptor?
        for line in example.lines {
            if let (next, _) = command(line) {
                found.append((line, []))
                form = next
            } else if let form, let kind = kind(line, form: form), !found.isEmpty {
                found[found.count - 1].kinds.append(kind)
            }
        }
        return found
    }
}

/// Bytes the modem sent, gathered.
actor Received {
    var bytes: [UInt8] = []
    func add(_ chunk: [UInt8]) { bytes += chunk }
    func take() -> [UInt8] {
        defer { bytes = [] }
        return bytes
    }
    var text: String { String(decoding: bytes, as: UTF8.self) }
}

@Suite("at-sim replays the documents' examples", .serialized, .timeLimit(.minutes(5)))
struct SimulatorReplayTests {
    @Test(arguments: ["SIM7672X.yaml", "SIM800.yaml", "FibocomL610.yaml", "QuectelQMT.yaml", "SIM7000.yaml", "ThreeGPP.yaml"])
    func everyExampleGetsTheAnswersOfItsTranscript(_ file: String) async throws {
        let broker = try LocalBroker.shared()
        defer { withExtendedLifetime(broker) {} }
        let replay = try Replay(file: file)
        var played = 0
        for example in replay.spec.examples {
            let documented = replay.documented(example)
            guard !documented.isEmpty else { continue }
            // AT_SIM_LOG=1 prints every exchange to standard error.
            let log: (@Sendable (String) -> Void)? =
                ProcessInfo.processInfo.environment["AT_SIM_LOG"] == nil ? nil : { @Sendable line in FileHandle.standardError.write(Data(("at-sim \(example.id): " + line + "\n").utf8)) }
            let modem = SpecModem(spec: replay.spec, broker: SimulatorBroker(host: "127.0.0.1", port: broker.port), log: log)
            // An example that does not start at power-on is played on a module already set up, and
            // connected first where it uses the connection.
            var prelude: [(line: String, kinds: [AnswerKind])] = []
            if !example.fromStart {
                await modem.assumeSetUp()
                if replay.usesConnection(example) { prelude = replay.prelude() }
            }
            let (host, device) = InMemoryTransport.pair()
            let serving = Task { try await modem.serve(device) }
            let received = Received()
            let reading = Task {
                while let chunk = try await host.receive() { await received.add(chunk) }
            }
            for (index, (line, kinds)) in (prelude + documented).enumerated() {
                guard let (form, fields) = replay.command(line) else { continue }
                _ = await received.take()
                try await host.send(Array((line + "\r").utf8))
                var got: [AnswerKind] = []
                var promptAnswered = false
                // Until the answer has as many lines as the transcript's, or a final result and a moment more.
                var finalSeenAt: ContinuousClock.Instant?
                for _ in 0..<1000 {
                    let text = await received.text
                    got = text.components(separatedBy: CharacterSet(charactersIn: "\r\n")).compactMap { replay.kind($0, form: form) }
                    if got.contains(.prompt), !promptAnswered {
                        promptAnswered = true
                        // The transcript does not show the data: as many bytes as declared, or a line ended by Ctrl-Z.
                        if let length = form.promptLengthParameter, let declared = fields.first(where: { $0.name == length }).flatMap({ Int($0.text) }) {
                            let count = form.promptEncoding == .raw ? declared : declared * 2
                            try await host.send([UInt8](repeating: UInt8(ascii: "4"), count: count))
                        } else {
                            try await host.send(Array("data".utf8) + [0x1A])
                        }
                    }
                    if got.count >= kinds.count, got.contains(where: { $0 == .success || $0 == .failure }) { break }
                    if finalSeenAt == nil, got.contains(where: { $0 == .success || $0 == .failure }) { finalSeenAt = .now }
                    if let finalSeenAt, ContinuousClock.now - finalSeenAt > .milliseconds(500) { break }
                    try await Task.sleep(for: .milliseconds(10))
                }
                // The extracted transcripts lose prompt lines and final results (the specs' notes say
                // where): a kind the transcript shows none of is not compared.
                if !kinds.contains(.prompt) { got.removeAll { $0 == .prompt } }
                if !kinds.contains(where: { $0 == .success || $0 == .failure }) { got.removeAll { $0 == .success || $0 == .failure } }
                // Information lines compare as a run: how many a read shows depends on the module's state.
                let collapse = { (kinds: [AnswerKind]) in kinds.enumerated().filter { $0.offset == 0 || $0.element != .information || kinds[$0.offset - 1] != .information }.map(\.element) }
                got = collapse(got)
                let kinds = collapse(kinds)
                let what = index < prelude.count ? "(to connect first) " : ""
                #expect(got == kinds, "\(file) \(example.id): \(what)\(line) was answered \(got), the transcript shows \(kinds)")
                played += 1
            }
            await host.close()
            _ = await serving.result
            reading.cancel()
        }
        #expect(played > 0)
    }
}
