// Engine.swift: the async command engine: one command in flight, typed answers, every other line on the unsolicited stream.

import ATRuntime
import Logging

/// Drives a module over a transport: sends one command at a time and returns its
/// typed response, and delivers everything else the modem says on ``unsolicited``.
///
/// ```swift
/// let engine = ATEngine(module: SIM7672X.self, transport: serial)
/// try await withThrowingTaskGroup(of: Void.self) { group in
///     group.addTask { try await engine.run() }
///     _ = try await engine.send(SIM7672X.StartService.Execute())
///     for await event in engine.unsolicited { … }
/// }
/// ```
///
/// ``run()`` reads the transport and must be running for commands to complete.
/// Lines are routed by ``ATDecoder``: information lines and the deferred result of
/// the command in flight are collected for it (the deferred result before or after
/// the final result, as the spec allows); URCs, unknown lines, and answers nobody is
/// waiting for go to ``unsolicited``, including those that arrive between a command's
/// echo and its `OK`, between `OK` and its deferred result, and during a prompt.
public actor ATEngine<Module: ATModule> {
    /// What the modem sent that no command was waiting for, in order. Buffered
    /// without bound by default, so nothing is lost while no one iterates (see
    /// ``ATEngineConfiguration/unsolicitedBufferLimit``); ends when ``run()`` ends.
    public nonisolated let unsolicited: AsyncStream<ATUnsolicitedEvent<Module.URC>>

    private let continuation: AsyncStream<ATUnsolicitedEvent<Module.URC>>.Continuation
    private let transport: any ATTransport
    private let configuration: ATEngineConfiguration
    private let logger: Logger
    private let clock = ContinuousClock()
    private var decoder: ATTypedDecoder<Module>
    /// What has succeeded, for the ordering rules (``ATEngineConfiguration/checksOrderingRules``).
    private var ruleChecker: ATRuleChecker
    /// The settings that time limits derive from, as the module was last set.
    private var settings: ATSettingMemory

    /// The command in flight.
    private var pending: Pending?
    /// Whether a command holds the slot, and who waits for it, in order.
    private var busy = false
    private var queue: [(id: UInt64, continuation: CheckedContinuation<Bool, Never>)] = []
    private var nextID: UInt64 = 0
    /// Set when a command was abandoned: the next one waits for the modem to go quiet.
    private var mustSettle = false
    private var abandonedAt: ContinuousClock.Instant
    private var lastReceived: ContinuousClock.Instant
    /// Why the engine stopped, once ``run()`` has returned.
    private var stopped: ATTransportError?
    private var running = false
    /// Chunks received since the command in flight was sent.
    private var receivedSinceSend = 0
    /// Unsolicited events dropped because the consumer fell behind a configured limit.
    public private(set) var droppedUnsolicitedCount = 0
    /// The listeners of ``listen(bufferLimit:where:)``.
    private var subscribers: [UInt64: Subscriber] = [:]
    private var nextListener: UInt64 = 0

    /// Creates an engine for `module` over `transport`. Nothing is read until ``run()``.
    public init(module: Module.Type, transport: any ATTransport, configuration: ATEngineConfiguration = ATEngineConfiguration(), logger: Logger = Logger(label: "ATModem")) {
        self.transport = transport
        self.configuration = configuration
        self.logger = logger
        decoder = ATTypedDecoder<Module>(maxLineLength: configuration.maxLineLength, maxDataLength: configuration.maxDataLength)
        ruleChecker = ATRuleChecker(rules: Module.descriptor.rules)
        settings = ATSettingMemory(module: Module.descriptor)
        let policy: AsyncStream<ATUnsolicitedEvent<Module.URC>>.Continuation.BufferingPolicy =
            configuration.unsolicitedBufferLimit.map { .bufferingOldest(max(0, $0)) } ?? .unbounded
        (unsolicited, continuation) = AsyncStream.makeStream(of: ATUnsolicitedEvent<Module.URC>.self, bufferingPolicy: policy)
        lastReceived = clock.now
        abandonedAt = clock.now
    }

    // MARK: Reading

    /// Reads the transport and routes what arrives, until the transport closes or the
    /// calling task is cancelled. A command in flight then fails, later commands fail at
    /// once, and ``unsolicited`` ends.
    ///
    /// - Throws: ``ATTransportError`` when reading fails; returns normally at end of
    ///   stream or on cancellation.
    public func run() async throws(ATTransportError) {
        guard !running, stopped == nil else { return }
        running = true
        var failure: ATTransportError?
        while true {
            let chunk: [UInt8]?
            do {
                chunk = try await transport.receive()
            } catch .cancelled {
                stop(.cancelled)
                return
            } catch {
                failure = error
                break
            }
            guard let chunk else { break }
            lastReceived = clock.now
            receivedSinceSend += 1
            for event in decoder.feed(chunk) {
                switch event {
                case .urc(let urc):
                    logger.trace("urc")
                    deliver(.urc(urc))
                case .event(let event):
                    route(event)
                }
            }
        }
        stop(failure ?? .closed)
        if let failure { throw failure }
    }

    private func stop(_ reason: ATTransportError) {
        running = false
        stopped = reason
        if let pending { signal(pending.id, .stopped(reason)) }
        for waiter in queue { waiter.continuation.resume(returning: true) }
        queue.removeAll()
        continuation.finish()
        for subscriber in subscribers.values { subscriber.continuation.finish() }
        subscribers.removeAll()
        logger.debug("engine stopped", metadata: ["reason": "\(reason)"])
    }

    private func route(_ event: DecodedEvent) {
        switch event {
        case .command(_, _, let line, _):
            if var current = pending {
                current.echoed = true
                pending = current
                logger.trace("echo", metadata: ["command": "\(current.label)"])
            } else {
                // Not logged as it came: an echoed command line can hold a password.
                logger.trace("command line", metadata: ["bytes": "\(line.utf8.count)"])
            }
        case .response(let command, let form, let index, let line, let fields):
            guard var current = pending else { return unexpected(ATStray(kind: .response, name: command, form: form, fields: fields, line: ATLine(line))) }
            current.information.append((index, fields))
            if current.raw { current.rawLines.append(ATLine(line)) }
            pending = current
            logger.trace("response", metadata: ["line": "\(line)"])
        case .deferred(let command, let form, let shape, let line, let fields):
            guard var current = pending, current.deferred == nil else {
                return unexpected(ATStray(kind: .deferredResult, name: command, form: form, fields: fields, line: ATLine(line)))
            }
            current.deferred = fields
            current.deferredShape = shape
            if current.raw { current.rawLines.append(ATLine(line)) }
            pending = current
            logger.trace("deferred result", metadata: ["line": "\(line)"])
            evaluate()
        case .final(let name, let isSuccess, let line, let fields):
            guard var current = pending, current.final == nil else { return unexpected(ATStray(kind: .finalResult, name: name, form: nil, fields: fields, line: ATLine(line))) }
            current.final = (name, isSuccess, fields)
            pending = current
            logger.trace("final result", metadata: ["line": "\(line)"])
            evaluate()
        case .prompt:
            guard let current = pending, current.form.hasPrompt, !current.prompted else {
                logger.debug("prompt nobody waits for")
                return
            }
            pending?.prompted = true
            signal(current.id, .prompt)
        case .data(let bytes):
            if let current = pending, current.dataSent {
                logger.trace("data echoed", metadata: ["bytes": "\(bytes.count)"])
            } else {
                deliver(.data(bytes))
            }
        case .dataEcho(let bytes):
            if let current = pending, current.dataSent {
                logger.trace("data echoed again", metadata: ["bytes": "\(bytes.count)"])
            } else {
                deliver(.data(bytes))
            }
        case .uncorrelated(let command, let form, let deferred, let line, let fields):
            if collectedByRawCommand(line) { return }
            unexpected(ATStray(kind: deferred ? .deferredResult : .response, name: command, form: form, fields: fields, line: line))
        case .brokenURC(let broken):
            logger.debug("broken urc", metadata: ["name": "\(broken.name)", "reason": "\(broken.reason)"])
            deliver(.brokenURC(broken))
        case .urc(let match, let lines):
            do throws(ATDecodingError) {
                if let urc = try Module.URC.decode(match) {
                    logger.trace("urc", metadata: ["name": "\(match.name)"])
                    deliver(.urc(urc))
                } else {
                    deliver(.malformedURC(match, lines: lines, ATDecodingError(expected: match.name, field: nil, reason: "not a URC of this module")))
                }
            } catch {
                logger.debug("malformed urc", metadata: ["name": "\(match.name)", "error": "\(error)"])
                deliver(.malformedURC(match, lines: lines, error))
            }
        case .unrecognized(let line):
            if collectedByRawCommand(line) { return }
            logger.debug("unrecognized line", metadata: ["line": "\(line.text)"])
            deliver(.unrecognized(line))
        case .error(let error):
            logger.warning("framing error", metadata: ["error": "\(error)"])
            deliver(.framingError(error))
        }
    }

    /// A raw command in flight collects every line that answers it, described by the spec or not;
    /// false when none is waiting for one.
    private func collectedByRawCommand(_ line: ATLine) -> Bool {
        guard var current = pending, current.raw, current.final == nil else { return false }
        current.rawLines.append(line)
        pending = current
        logger.trace("raw response", metadata: ["bytes": "\(line.bytes.count)"])
        return true
    }

    private func deliver(_ event: ATUnsolicitedEvent<Module.URC>) {
        if case .dropped = continuation.yield(event) {
            droppedUnsolicitedCount += 1
            logger.warning("unsolicited event dropped: the consumer is behind", metadata: ["dropped": "\(droppedUnsolicitedCount)"])
        }
        for (id, subscriber) in subscribers where subscriber.accepts(event) {
            if case .dropped = subscriber.continuation.yield(event) {
                subscribers[id]?.dropped += 1
                droppedUnsolicitedCount += 1
                logger.warning("unsolicited event dropped: a listener is behind", metadata: ["listener": "\(id)", "dropped": "\(subscribers[id]?.dropped ?? 0)"])
            }
        }
    }

    // MARK: Listeners

    private struct Subscriber {
        let continuation: AsyncStream<ATUnsolicitedEvent<Module.URC>>.Continuation
        let accepts: @Sendable (ATUnsolicitedEvent<Module.URC>) -> Bool
        var dropped = 0
    }

    /// Another stream of what ``unsolicited`` carries, for one more listener: every event from
    /// now on that `filter` accepts, in order, independently of ``unsolicited`` and of the other
    /// listeners (a slow listener delays no one). It holds at most `bufferLimit` events that its
    /// listener has not taken yet (default: the configuration's
    /// ``ATEngineConfiguration/unsolicitedBufferLimit``, unbounded when that is nil); events past
    /// it are dropped for this listener only, counted in ``droppedUnsolicitedCount`` and logged.
    /// It ends when ``run()`` ends or when the listener stops iterating.
    ///
    /// ```swift
    /// let registrations = await engine.listen { event in
    ///     if case .urc(.base(.networkRegistrationReport)) = event { true } else { false }
    /// }
    /// ```
    public func listen(
        bufferLimit: Int? = nil, where filter: @escaping @Sendable (ATUnsolicitedEvent<Module.URC>) -> Bool = { _ in true }
    ) -> AsyncStream<ATUnsolicitedEvent<Module.URC>> {
        let limit = bufferLimit ?? configuration.unsolicitedBufferLimit
        let (stream, continuation) = AsyncStream.makeStream(
            of: ATUnsolicitedEvent<Module.URC>.self, bufferingPolicy: limit.map { .bufferingOldest(max(0, $0)) } ?? .unbounded)
        if stopped != nil {
            continuation.finish()
            return stream
        }
        nextListener += 1
        let id = nextListener
        subscribers[id] = Subscriber(continuation: continuation, accepts: filter)
        continuation.onTermination = { [weak self] _ in
            guard let self else { return }
            Task { await self.removeListener(id) }
        }
        return stream
    }

    /// The typed URCs only, for one more listener (see ``listen(bufferLimit:where:)``).
    public func urcs(bufferLimit: Int? = nil) -> AsyncCompactMapSequence<AsyncStream<ATUnsolicitedEvent<Module.URC>>, Module.URC> {
        listen(bufferLimit: bufferLimit) { event in
            if case .urc = event { true } else { false }
        }.compactMap { event in
            if case .urc(let urc) = event { urc } else { nil }
        }
    }

    /// How many listeners ``listen(bufferLimit:where:)`` made are still listening.
    public var listenerCount: Int { subscribers.count }

    private func removeListener(_ id: UInt64) {
        subscribers[id] = nil
    }

    private func unexpected(_ stray: ATStray) {
        logger.debug("stray line", metadata: ["line": "\(stray.line.text)"])
        deliver(.stray(stray))
    }

    /// Decides whether the command in flight has all it waits for.
    private func evaluate() {
        guard let current = pending, let final = current.final else { return }
        let awaitsDeferred = current.form.deferred != nil && current.deferred == nil && current.form.deferredPlacement != .before
        if !awaitsDeferred {
            signal(current.id, .answered)
        } else if !final.isSuccess {
            // Some firmware sends the result line after ERROR; give it a moment.
            startTimer(id: current.id, after: configuration.deferredGraceAfterError, outcome: .answered)
        }
    }

    // MARK: Sending

    /// Sends `request` and returns its typed response.
    ///
    /// Waits for any command before it. For a form that prompts, waits for `>`, then
    /// sends exactly the request's data. The time limit is `timeout`, else the one the
    /// request's own values give (a disconnect's `<timeout>`), else the one the settings made
    /// earlier give (`<pkt_timeout>` × `<retry_times>` after `AT+QMTCFG="timeout"` succeeded),
    /// else the form's documented maximum response time, else the configuration's default (these
    /// plus ``ATEngineConfiguration/latencyAllowance``); for a form
    /// that prompts it applies to the prompt and again to the answer after the data.
    ///
    /// - Throws: ``ATCommandError``: the module's failure result with its meaning, a
    ///   time-out, cancellation, a malformed answer or a transport failure. After any of
    ///   them the engine is ready for the next command (unless the transport failed).
    public func send<Request: ATRequest>(_ request: Request, timeout: Duration? = nil) async throws(ATCommandError<Module.FinalResult>) -> Request.Response
    where Request.Module == Module {
        try await perform(request, timeout: timeout)
    }

    /// Sends `request`, a command of the module this one builds on (``ATModule/BaseModule``: a
    /// `ThreeGPP` request on a SIMCom engine), and returns its typed response, as
    /// ``send(_:timeout:)`` does. A request of any other module does not compile.
    public func send<Request: ATRequest>(_ request: Request, timeout: Duration? = nil) async throws(ATCommandError<Module.FinalResult>) -> Request.Response
    where Request.Module == Module.BaseModule {
        try await perform(request, timeout: timeout)
    }

    /// Sends a command line that no request type covers (`AT+CFUN=1,1`, a vendor command no
    /// spec has), with the same queueing, time-outs, recovery and URC routing as a typed request,
    /// and returns every line that answered it and the module's typed final result.
    ///
    /// When the line is one of the module's forms, its answer is routed as that form's
    /// (information lines, a deferred result) and ``ATRawResponse/typed`` holds it for the
    /// request type; otherwise every line between the echo and the final result that is no URC
    /// is the command's. Lines that match a URC of the module still go to ``unsolicited``.
    /// `secrets` (a PIN, a password) are shown as `***` wherever the engine logs or reports the
    /// command; so are the values of the form's secret parameters. The time limit is `timeout`,
    /// else the form's documented one, else the configuration's default. A form that prompts for
    /// data cannot be sent raw.
    ///
    /// - Throws: ``ATCommandError`` as ``send(_:timeout:)``; a failure final result is
    ///   ``ATCommandError/failed(command:result:lines:)`` with the lines collected.
    public func send(raw command: String, secrets: [String] = [], timeout: Duration? = nil) async throws(ATCommandError<Module.FinalResult>) -> ATRawResponse<Module.FinalResult> {
        var text = command
        while let last = text.last, last == "\r" || last == "\n" { text.removeLast() }
        var label = text
        for secret in secrets where !secret.isEmpty { label = label.replacing(secret, with: "***") }
        if text.isEmpty { throw .invalidCommandLine(command: label, reason: "the command line is empty") }
        if let bad = text.utf8.first(where: { [0x0D, 0x0A, 0x1A, 0x1B, 0x00].contains($0) }) {
            throw .invalidCommandLine(command: label, reason: "it holds the byte 0x\(String(bad, radix: 16, uppercase: true)), which would end the command line early or start data mode; send one command at a time")
        }
        let matched = Module.descriptor.form(matching: text)
        if let (form, fields) = matched {
            for field in fields where form.secrets.contains(field.name) && !field.text.isEmpty {
                label = label.replacing(field.text, with: "***")
            }
        }
        let form = matched?.0 ?? FormDescriptor(
            command: "", name: "raw", syntax: Syntax(prefix: text, tokens: []), shapes: [:], responses: [], deferred: nil,
            deferredPlacement: .after, deferredSuccess: [:], hasPrompt: false, promptLengthParameter: nil, maxResponseTime: nil)
        if form.hasPrompt { throw .missingPromptData(command: label) }
        return try await exchange(
            line: Array(text.utf8) + [0x0D], form: form, label: label, promptData: nil, responseTimeLimit: nil, timeout: timeout, raw: true
        ) { (current, final) throws(ATCommandError<Module.FinalResult>) in
            guard let final else {
                throw .malformedResponse(command: label, ATDecodingError(expected: "a final result of \(Module.descriptor.name)", field: nil, reason: "not a final result of this module"))
            }
            return ATRawResponse(lines: current.rawLines, final: final, typed: matched == nil ? nil : current.lines)
        }
    }

    private func perform<Request: ATRequest>(_ request: Request, timeout: Duration?) async throws(ATCommandError<Module.FinalResult>) -> Request.Response {
        let form = request.descriptor
        if form.hasPrompt, request.promptData == nil { throw .missingPromptData(command: request.description) }
        return try await exchange(
            line: request.encode(), form: form, label: request.description, promptData: request.promptData,
            responseTimeLimit: request.responseTimeLimit, timeout: timeout, raw: false
        ) { (current, _) throws(ATCommandError<Module.FinalResult>) in
            do throws(ATDecodingError) {
                return try Request.response(from: current.lines)
            } catch {
                throw .malformedResponse(command: request.description, error)
            }
        }
    }

    /// One command's exchange: waits for the slot, sends `line` (and the prompt data), waits for
    /// the answer, and hands what was collected to `finish`, with the successful final result
    /// typed for a raw command (a typed request does not need it).
    private func exchange<Result>(
        line: [UInt8], form: FormDescriptor, label: String, promptData: [UInt8]?, responseTimeLimit: Int?, timeout: Duration?, raw: Bool,
        finish: (Pending, Module.FinalResult?) throws(ATCommandError<Module.FinalResult>) -> Result
    ) async throws(ATCommandError<Module.FinalResult>) -> Result {
        guard await acquire() else { throw .cancelled(command: label) }
        defer { release() }
        if let stopped { throw .transport(command: label, stopped) }
        if !running, !(await runStarted()) { throw .notRunning(command: label) }
        if mustSettle { await settle() }
        // The command line's fields, for the ordering rules' scope (`<client_index>`) and the settings that time limits derive from.
        let needsFields = configuration.checksOrderingRules || settings.concerns(form)
        let lineFields = needsFields ? LineMatcher(form).match(String(decoding: line.dropLast(), as: UTF8.self)) ?? [] : []
        if configuration.checksOrderingRules, let violation = ruleChecker.violation(sending: form, fields: lineFields, label: label) {
            logger.debug("command refused by the ordering rules", metadata: ["command": "\(label)", "missing": "\(violation.missing)"])
            throw .outOfOrder(violation)
        }
        let documented = (responseTimeLimit ?? settings.limit(form, fields: lineFields) ?? form.maxResponseTime).map { Duration.milliseconds($0) }
        let limit = timeout ?? (documented ?? configuration.defaultTimeout) + configuration.latencyAllowance

        nextID += 1
        let id = nextID
        pending = Pending(id: id, label: label, form: form, raw: raw)
        decoder.begin(form)
        receivedSinceSend = 0
        logger.debug("send", metadata: ["command": "\(label)"])
        defer { pending = nil }

        do {
            try await transport.send(line)
        } catch {
            abandon(id)
            throw .transport(command: label, error)
        }
        var outcome = await wait(id, limit: limit)
        if case .prompt = outcome, let data = promptData {
            decoder.sent(data)
            pending?.dataSent = true
            logger.trace("prompt data", metadata: ["bytes": "\(data.count)"])
            do {
                try await transport.send(data)
            } catch {
                abandon(id)
                throw .transport(command: label, error)
            }
            outcome = await wait(id, limit: limit)
        }
        switch outcome {
        case .answered:
            let final = try checkedFinal(label: label, typingSuccess: raw)
            let result = try finish(pending ?? Pending(id: id, label: label, form: form, raw: raw), final)
            if configuration.checksOrderingRules { ruleChecker.succeeded(form, fields: lineFields) }
            settings.succeeded(form, fields: lineFields)
            return result
        case .prompt:
            // A second prompt for the same command cannot be signalled; treat as a protocol slip.
            abandon(id)
            throw .timedOut(command: label, after: limit, waitingFor: .finalResult, silent: false)
        case .timedOut:
            let stage: ATCommandError<Module.FinalResult>.Stage =
                pending?.final != nil ? .deferredResult : (form.hasPrompt && pending?.prompted != true ? .prompt : .finalResult)
            let silent = receivedSinceSend == 0
            logger.warning("command timed out", metadata: ["command": "\(label)", "waiting_for": "\(stage.rawValue)", "silent": "\(silent)"])
            await abandonAtPrompt(id)
            throw .timedOut(command: label, after: limit, waitingFor: stage, silent: silent)
        case .cancelled:
            logger.debug("command cancelled", metadata: ["command": "\(label)"])
            await abandonAtPrompt(id)
            throw .cancelled(command: label)
        case .stopped(let reason):
            throw .transport(command: label, reason)
        }
    }

    /// Checks that the command succeeded (a failure final or deferred result is an error) and
    /// returns its final result, typed when it failed or when `typingSuccess`.
    private func checkedFinal(label: String, typingSuccess: Bool) throws(ATCommandError<Module.FinalResult>) -> Module.FinalResult? {
        guard let current = pending, let final = current.final else { throw .timedOut(command: label, after: .zero, waitingFor: .finalResult, silent: false) }
        let failed = !final.isSuccess || !deferredSucceeded(current)
        var result: Module.FinalResult?
        if !final.isSuccess || typingSuccess {
            do throws(ATDecodingError) {
                result = try Module.FinalResult.decode(name: final.name, fields: final.fields)
            } catch {
                throw .malformedResponse(command: label, error)
            }
        }
        if failed {
            logger.debug("command failed", metadata: ["command": "\(label)", "result": "\(result.map(String.init(describing:)) ?? "result line")"])
            throw .failed(command: label, result: final.isSuccess ? nil : result, lines: current.lines)
        }
        return result
    }

    /// True unless the deferred result holds a value the spec does not call success.
    private func deferredSucceeded(_ current: Pending) -> Bool {
        guard let fields = current.deferred else { return true }
        if current.form.deferredFailingShapes.contains(current.deferredShape) { return false }
        for (name, expected) in current.form.deferredSuccess {
            guard let field = fields.first(where: { $0.name == name }) else { continue }
            if field.text == expected { continue }
            if let value = Int(field.text), let wanted = Int(expected), value == wanted { continue }
            return false
        }
        return true
    }

    /// Waits a moment (``ATEngineConfiguration/runStartGrace``) for ``run()`` to start, as
    /// it does when a task that runs it was just created; false when it does not.
    private func runStarted() async -> Bool {
        let deadline = clock.now.advanced(by: configuration.runStartGrace)
        while !running, stopped == nil, clock.now < deadline, !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(2), clock: clock)
        }
        return running
    }

    // MARK: Waiting

    private enum Outcome: Sendable {
        case prompt
        case answered
        case timedOut
        case cancelled
        case stopped(ATTransportError)
    }

    private struct Pending {
        let id: UInt64
        let label: String
        let form: FormDescriptor
        /// A raw command: every line that answers it is collected in `rawLines`.
        var raw = false
        var rawLines: [ATLine] = []
        /// What answered it, for the request type (or the failure).
        var lines: ATResponseLines {
            ATResponseLines(information: information, deferred: deferred, deferredShape: deferredShape, form: form.name)
        }
        var information: [(index: Int, fields: [CapturedField])] = []
        var deferred: [CapturedField]?
        var deferredShape = 0
        var final: (name: String, isSuccess: Bool, fields: [CapturedField])?
        var echoed = false
        var prompted = false
        var dataSent = false
        /// What happened while no one was waiting.
        var ready: Outcome?
        var waiter: CheckedContinuation<Outcome, Never>?
        var timer: Task<Void, Never>?
    }

    /// Waits for the next outcome of command `id`, at most `limit`.
    private func wait(_ id: UInt64, limit: Duration) async -> Outcome {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (waiter: CheckedContinuation<Outcome, Never>) in
                guard var current = pending, current.id == id else { return waiter.resume(returning: .stopped(stopped ?? .closed)) }
                if let ready = current.ready {
                    current.ready = nil
                    pending = current
                    return waiter.resume(returning: ready)
                }
                if Task.isCancelled { return waiter.resume(returning: .cancelled) }
                current.waiter = waiter
                pending = current
                // A grace timer may already run (ERROR came before the wait); keep the shorter one.
                if current.timer == nil { startTimer(id: id, after: limit, outcome: .timedOut) }
            }
        } onCancel: {
            Task { await self.signal(id, .cancelled) }
        }
    }

    private func startTimer(id: UInt64, after delay: Duration, outcome: Outcome) {
        pending?.timer?.cancel()
        let deadline = clock.now.advanced(by: delay)
        pending?.timer = Task { [clock] in
            do {
                try await Task.sleep(until: deadline, clock: clock)
            } catch {
                return
            }
            self.signal(id, outcome)
        }
    }

    /// Resumes the waiter of command `id` with `outcome`, or keeps it for the next wait.
    private func signal(_ id: UInt64, _ outcome: Outcome) {
        guard var current = pending, current.id == id else { return }
        current.timer?.cancel()
        current.timer = nil
        if let waiter = current.waiter {
            current.waiter = nil
            pending = current
            waiter.resume(returning: outcome)
        } else {
            // A complete answer stands; anything else is replaced by what came later
            // (an answer after an unanswered prompt means the data must not be sent).
            if case .answered? = current.ready { return }
            current.ready = outcome
            pending = current
        }
    }

    /// The command is given up: later lines are not attributed to it.
    private func abandon(_ id: UInt64) {
        guard pending?.id == id else { return }
        pending?.timer?.cancel()
        decoder.abandon()
        mustSettle = true
        abandonedAt = clock.now
    }

    /// Gives up command `id`; if the modem may be at its data prompt (the form prompts
    /// and the data was not sent), leaves data mode with ESC, which is ignored in command mode.
    private func abandonAtPrompt(_ id: UInt64) async {
        let atPrompt = pending?.form.hasPrompt == true && pending?.dataSent == false
        abandon(id)
        if atPrompt, configuration.escapeAbandonedPrompt {
            try? await transport.send([0x1B])
        }
    }

    /// Waits until nothing has arrived for ``ATEngineConfiguration/settleAfterAbandon``
    /// since the command was abandoned.
    private func settle() async {
        mustSettle = false
        let start = clock.now
        while stopped == nil {
            let quietUntil = max(lastReceived, abandonedAt).advanced(by: configuration.settleAfterAbandon)
            let now = clock.now
            if now >= quietUntil || now - start >= configuration.maximumSettle { return }
            try? await Task.sleep(until: min(quietUntil, start.advanced(by: configuration.maximumSettle)), clock: clock)
            if Task.isCancelled { return }
        }
    }

    // MARK: The command slot

    private func acquire() async -> Bool {
        if !busy {
            busy = true
            return !Task.isCancelled
        }
        nextID += 1
        let ticket = nextID
        let granted = await withTaskCancellationHandler {
            await withCheckedContinuation { (waiter: CheckedContinuation<Bool, Never>) in
                if Task.isCancelled { return waiter.resume(returning: false) }
                queue.append((ticket, waiter))
            }
        } onCancel: {
            Task { await self.dropWaiter(ticket) }
        }
        if granted, Task.isCancelled {
            release()
            return false
        }
        return granted
    }

    private func dropWaiter(_ ticket: UInt64) {
        guard let index = queue.firstIndex(where: { $0.id == ticket }) else { return }
        queue.remove(at: index).continuation.resume(returning: false)
    }

    private func release() {
        if queue.isEmpty {
            busy = false
        } else {
            queue.removeFirst().continuation.resume(returning: true)
        }
    }
}

extension ATEngine {
    /// Runs an engine for the duration of `body`: starts ``run()``, calls `body`, then
    /// stops reading. The transport is left open.
    public static func withRunning<Result: Sendable>(
        module: Module.Type, transport: any ATTransport, configuration: ATEngineConfiguration = ATEngineConfiguration(),
        logger: Logger = Logger(label: "ATModem"), isolation: isolated (any Actor)? = #isolation, _ body: (ATEngine) async throws -> Result
    ) async throws -> Result {
        let engine = ATEngine(module: module, transport: transport, configuration: configuration, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await engine.run() }
            defer { group.cancelAll() }
            return try await body(engine)
        }
    }
}
