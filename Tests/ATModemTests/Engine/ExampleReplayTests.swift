// ExampleReplayTests.swift: every document example played by a scripted modem and driven by the engine, command by command.

import ATModem
import ATModules
import ATRuntime
import ATSpec
import FibocomL610
import SIM7672X
import SIM800
import Testing
import ATTestSupport

/// One command of a transcript: what the host sends, what the modem answers, and
/// what the sans-I/O decoder says the answer means (the oracle the engine must agree with).
struct TranscriptStep: Sendable {
    var line: String
    var form: FormDescriptor
    var data: [UInt8]?
    /// The modem's answer, in order: lines, the prompt, and the echo of the data.
    var answer: [Piece]
    var information: [(index: Int, fields: [CapturedField])] = []
    var deferred: [CapturedField]?
    var final: (name: String, isSuccess: Bool, fields: [CapturedField])?

    enum Piece: Sendable {
        case line([UInt8])
        case prompt
        case echo([UInt8])
    }

    /// What the engine must report: the lines it collected, or the failure result, or a time-out.
    var expectsTimeout: Bool {
        guard let final else { return true }
        let waits = form.deferred != nil && deferred == nil && form.deferredPlacement != .before
        return waits && final.isSuccess
    }
}

/// A transcript split into what comes before the first command and one step per command.
struct Transcript: Sendable {
    var preamble: [[UInt8]] = []
    var steps: [TranscriptStep] = []
    var urcs: [URCMatch] = []

    init(_ example: Example, module: ModuleDescriptor) throws {
        let lines = example.lines
        var oracle = ATDecoder(module: module)
        var current: TranscriptStep?
        var afterPrompt = false
        for (index, wire) in example.wireLines(module) {
            let text = lines[index]
            var bytes = Array(wire.dropLast(2))
            let events = oracle.feed(wire)
            if case .command(_, _, _, _)? = events.first {
                if let current { steps.append(current) }
                let form = try #require(module.form(matching: text)?.0, "example \(example.id): \(text)")
                current = TranscriptStep(line: text, form: form, answer: [])
                afterPrompt = false
                continue
            }
            var piece: TranscriptStep.Piece = .line(bytes)
            for event in events {
                switch event {
                case .prompt:
                    current?.answer.append(.prompt)
                    afterPrompt = true
                    bytes.removeFirst(min(bytes.count, bytes.first == UInt8(ascii: ">") ? 1 : 0))
                    piece = bytes.isEmpty ? .prompt : .echo(bytes)
                case .data(let data) where afterPrompt:
                    // Data ended by a terminator goes out with it, as a request's promptData does.
                    let sent = data + (current?.form.promptTerminator.map { [$0] } ?? [])
                    current?.data = sent
                    piece = .echo(sent)
                    afterPrompt = false
                case .response(_, _, let index, _, let fields):
                    current?.information.append((index, fields))
                case .deferred(_, _, _, _, let fields):
                    current?.deferred = fields
                case .final(let name, let isSuccess, _, let fields):
                    if current?.final == nil { current?.final = (name, isSuccess, fields) }
                case .urc(let match, _):
                    urcs.append(match)
                default:
                    break
                }
            }
            if case .prompt = piece { continue }
            if current == nil {
                preamble.append(bytes)
            } else {
                current?.answer.append(piece)
            }
        }
        if let current { steps.append(current) }
        for index in steps.indices where steps[index].form.hasPrompt && steps[index].data == nil {
            // The transcript does not show the data: send as many bytes as the command declares.
            let step = steps[index]
            let fields = step.form.match(step.line) ?? []
            let declared = step.form.promptLengthParameter.flatMap { name in fields.first { $0.name == name } }.flatMap { Int($0.text) } ?? 0
            steps[index].data = [UInt8](repeating: UInt8(ascii: "x"), count: declared)
        }
    }
}

@Suite("Engine: document examples", .timeLimit(.minutes(1)))
struct ExampleReplayTests {
    static let modules: [String: ModuleDescriptor] = Dictionary(ATModules.all.map { ($0.name, $0.module.descriptor) }, uniquingKeysWith: { first, _ in first })

    static let cases: [(String, Bool)] = SpecFolder.names.flatMap { [($0, true), ($0, false)] }

    @Test func everySpecInSpecsHasItsGeneratedModuleHere() {
        // The engine needs a module's generated types: every spec in Specs/ must be generated (and so in the index).
        #expect(Set(SpecFolder.names) == Set(Self.modules.keys))
    }

    @Test(arguments: cases)
    func everyExampleThroughTheEngine(_ name: String, echo: Bool) async throws {
        let spec = try #require(SpecLoader.loadComposed(path: PackageRoot.path + "/Specs/\(name).yaml").spec)
        let module = try #require(Self.modules[name])
        var random = SplitMix64(seed: echo ? 1 : 2)
        for example in spec.examples {
            let transcript = try Transcript(example, module: module)
            let chunks = (0..<6).map { _ in Int.random(in: 1...48, using: &random) }
            let type = try #require(ATModules.module(named: name), "no generated module for \(name): regenerate Generated/")
            try await replay(transcript, type, echo: echo, chunks: chunks, id: example.id)
        }
    }

    func replay<Module: ATModule>(_ transcript: Transcript, _ module: Module.Type, echo: Bool, chunks: [Int], id: String) async throws {
        let configuration = ATEngineConfiguration.patient {
            $0.deferredGraceAfterError = .seconds(1)
            $0.settleAfterAbandon = .milliseconds(20)
        }
        let (host, device) = InMemoryTransport.pair()
        let modem = ScriptedModem(device, chunks: chunks)
        let engine = ATEngine(module: module, transport: host, configuration: configuration)
        let steps = transcript.steps
        let preamble = transcript.preamble
        let script: @Sendable () async throws -> Void = {
            for line in preamble { try await modem.send(line + [0x0D, 0x0A]) }
            for step in steps {
                try await modem.expect(step.line)
                if echo { try await modem.send(Array(step.line.utf8) + [0x0D]) }
                var pieces = step.answer[...]
                while let piece = pieces.popFirst() {
                    switch piece {
                    case .line(let bytes):
                        try await modem.send(bytes + [0x0D, 0x0A])
                    case .prompt:
                        try await modem.send("> ")
                        let data = try await modem.data(count: step.data?.count ?? 0)
                        #expect(data == step.data ?? [], "example \(id): \(step.line) data")
                        if case .echo(let echoed)? = pieces.first {
                            pieces.removeFirst()
                            try await modem.send(echoed + [0x0D, 0x0A])
                        }
                    case .echo(let bytes):
                        try await modem.send(bytes + [0x0D, 0x0A])
                    }
                }
            }
            // A last command that the example leaves unanswered times out before the line closes.
            if steps.last?.expectsTimeout == true { try await Task.sleep(for: .milliseconds(600)) }
            await device.close()
        }
        let scriptDone = DoneFlag()
        let scriptTask = Task { () throws -> Void in
            do {
                try await script()
            } catch {
                await scriptDone.set()
                throw error
            }
            await scriptDone.set()
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await engine.run() }
            for step in steps {
                let request = RawRequest<Module>(line: step.line, descriptor: step.form, promptData: step.form.hasPrompt ? step.data : nil)
                let timeout: Duration? = step.expectsTimeout ? .milliseconds(150) : nil
                do throws(ATCommandError<Module.FinalResult>) {
                    let lines = try await engine.send(request, timeout: timeout)
                    #expect(!step.expectsTimeout, "example \(id): \(step.line) should have timed out")
                    #expect(step.final?.isSuccess == true, "example \(id): \(step.line) answered \(String(describing: step.final))")
                    #expect(lines.information.map(\.index) == step.information.map(\.index), "example \(id): \(step.line)")
                    #expect(lines.information.map(\.fields) == step.information.map(\.fields), "example \(id): \(step.line)")
                    #expect(lines.deferred == step.deferred, "example \(id): \(step.line)")
                } catch .failed(_, let result, let lines) {
                    let final = try #require(step.final, "example \(id): \(step.line) failed without a final result")
                    if final.isSuccess {
                        #expect(result == nil && lines.deferred != nil, "example \(id): \(step.line)")
                    } else {
                        #expect(result == (try Module.FinalResult.decode(name: final.name, fields: final.fields)), "example \(id): \(step.line)")
                    }
                    #expect(lines.deferred == step.deferred, "example \(id): \(step.line)")
                } catch .timedOut(_, _, let stage, _) {
                    #expect(step.expectsTimeout, "example \(id): \(step.line) timed out waiting for \(stage)")
                } catch {
                    Issue.record("example \(id): \(step.line): \(error)")
                }
            }
            // The script ends by closing the line. One that still waits after every command was
            // sent expects what the engine did not send: a failure, not a test that never ends.
            if !(await scriptDone.wait(upTo: .seconds(20))) {
                Issue.record("example \(id): the scripted modem still waits after the last command; unread: \(String(decoding: await modem.unread, as: UTF8.self))")
                scriptTask.cancel()
                await device.close()
                await host.close()
            }
            if case .failure(let error) = await scriptTask.result { Issue.record("example \(id): the scripted modem: \(error)") }
            var typed: [Module.URC] = []
            for await event in engine.unsolicited {
                switch event {
                case .urc(let urc): typed.append(urc)
                default: Issue.record("example \(id): unexpected \(event)")
                }
            }
            let expected = try transcript.urcs.map { match in try #require(try Module.URC.decode(match)) }
            #expect(typed == expected, "example \(id)")
            group.cancelAll()
        }
    }
}


/// Set once, read by whoever waits for it.
actor DoneFlag {
    private(set) var isSet = false
    func set() { isSet = true }

    /// True once set within `limit`.
    func wait(upTo limit: Duration) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while !isSet, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(10)) }
        return isSet
    }
}
