// EngineSupport.swift: a scripted modem on the far end of a transport, a raw request for replaying transcripts, and a log capture.

import ATModem
import ATRuntime
import Foundation
import Logging
import Testing

/// A request made from a transcript's command line: whatever form of the module it matches.
struct RawRequest<Module: ATModule>: ATRequest {
    let line: String
    let descriptor: FormDescriptor
    let promptData: [UInt8]?

    func encode() -> [UInt8] { Array(line.utf8) + [0x0D] }
    var description: String { line }
    static func response(from lines: ATResponseLines) -> ATResponseLines { lines }
}

/// The modem's end of a transport, answering as a test scripts it.
///
/// It reads what the host sends into a buffer, so a test can wait for a command
/// line or a number of data bytes, and writes answers in chunks of the sizes it is given.
actor ScriptedModem {
    let transport: any ATTransport
    private var received: [UInt8] = []
    private var chunks: [Int]
    private var turn = 0

    init(_ transport: any ATTransport, chunks: [Int] = [Int.max]) {
        self.transport = transport
        self.chunks = chunks
    }

    /// Everything the host sent that the script has not consumed yet.
    var unread: [UInt8] { received }

    private func fill() async throws {
        guard let chunk = try await transport.receive() else { throw ScriptError.closed(pending: String(decoding: received, as: UTF8.self)) }
        received += chunk
    }

    /// Waits for the host's next command line (up to CR) and returns it.
    func command() async throws -> String {
        while true {
            if let end = received.firstIndex(of: 0x0D) {
                let line = String(decoding: received[..<end], as: UTF8.self)
                received.removeSubrange(...end)
                return line
            }
            try await fill()
        }
    }

    /// Waits for the next command line and checks it is `expected`.
    func expect(_ expected: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let line = try await command()
        #expect(line == expected, sourceLocation: sourceLocation)
    }

    /// Waits for exactly `count` bytes of data from the host.
    func data(count: Int) async throws -> [UInt8] {
        while received.count < count { try await fill() }
        let bytes = Array(received.prefix(count))
        received.removeFirst(count)
        return bytes
    }

    /// Sends `bytes`, split into the script's chunk sizes.
    func send(_ bytes: [UInt8]) async throws {
        var start = 0
        while start < bytes.count {
            let size = max(1, chunks[turn % chunks.count])
            turn += 1
            let end = min(bytes.count, start + min(size, bytes.count - start))
            try await transport.send(Array(bytes[start..<end]))
            start = end
        }
    }

    /// Sends `text` as UTF-8.
    func send(_ text: String) async throws {
        try await send(Array(text.utf8))
    }
}

enum ScriptError: Error {
    case closed(pending: String)
}

/// Runs `body` with an engine over an in-memory pair and a scripted modem on the
/// other end; the modem's script runs concurrently as `modem`.
func withEngine<Module: ATModule, Result: Sendable>(
    _ module: Module.Type, configuration: ATEngineConfiguration = .patient, logger: Logger = Logger(label: "test"),
    chunks: [Int] = [Int.max],
    modem script: @escaping @Sendable (ScriptedModem) async throws -> Void,
    _ body: (ATEngine<Module>) async throws -> Result
) async throws -> Result {
    let (host, device) = InMemoryTransport.pair()
    let modem = ScriptedModem(device, chunks: chunks)
    let engine = ATEngine(module: module, transport: host, configuration: configuration, logger: logger)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await engine.run() }
        group.addTask { try await script(modem) }
        defer { group.cancelAll() }
        let result = try await body(engine)
        return result
    }
}

extension ATEngineConfiguration {
    /// Generous limits for tests that expect answers: a test process on a loaded
    /// 2-core machine can be starved for seconds, which must not look like a modem
    /// that did not answer. Tests of time-outs pass their own short `timeout:`.
    /// The same goes for the task that runs ``ATEngine/run()``: it may start late.
    static let patient = ATEngineConfiguration(latencyAllowance: .seconds(60), runStartGrace: .seconds(30))

    /// `patient` with other settings changed.
    static func patient(_ change: (inout ATEngineConfiguration) -> Void) -> ATEngineConfiguration {
        var configuration = patient
        change(&configuration)
        return configuration
    }
}

/// A one-shot signal between the test body and the scripted modem, so a script can
/// wait for what the engine did (it timed out) instead of guessing with sleeps.
struct Signal: Sendable {
    private let stream: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation

    init() {
        (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    func raise() { continuation.yield() }

    func wait() async {
        for await _ in stream { return }
    }
}

/// Collects the unsolicited events that have arrived so far, waiting until `count` have come.
func collect<URC>(_ stream: AsyncStream<ATUnsolicitedEvent<URC>>, count: Int) async -> [ATUnsolicitedEvent<URC>] {
    var events: [ATUnsolicitedEvent<URC>] = []
    guard count > 0 else { return events }
    for await event in stream {
        events.append(event)
        if events.count == count { break }
    }
    return events
}

/// A log handler that keeps every message with its metadata, to check what is logged.
final class CapturedLog: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String] = []

    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return entries.joined(separator: "\n")
    }

    func append(_ entry: String) {
        lock.lock()
        entries.append(entry)
        lock.unlock()
    }

    func logger() -> Logger {
        var logger = Logger(label: "capture") { _ in Handler(log: self) }
        logger.logLevel = .trace
        return logger
    }

    struct Handler: LogHandler {
        let log: CapturedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            log.append("\(event.level) \(event.message) \(merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))")
        }
    }
}
