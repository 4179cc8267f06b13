// FileDescriptorChannel.swift: a non-blocking file descriptor as an async byte stream, shared by the serial and TCP transports.

import Dispatch

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A non-blocking descriptor (a terminal or a connected socket) read and written
/// from async code without ever blocking Swift's cooperative thread pool.
///
/// Readiness comes from two Dispatch sources, one for reading and one for writing,
/// on a private serial queue. Dispatch rather than a poll() thread, because:
/// - Dispatch watches descriptors with kqueue on Darwin, where poll() does not
///   support devices such as `/dev/cu.usbmodem…`, and with epoll on Linux;
/// - no thread is parked per open transport, and the handlers never run on the
///   cooperative pool;
/// - the sources' cancellation handlers mark the one safe moment to close the
///   descriptor (after them, nothing watches it any more).
///
/// A source runs only while someone waits: the read source while a ``receive()``
/// waits, the write source while a ``send(_:)`` has bytes left. Bytes nobody asked
/// for stay in the kernel, so the channel itself holds at most one read of
/// `readSize` bytes, plus the bytes of the sends its callers are waiting on.
///
/// Each call first tries the descriptor directly (it never blocks), so a receive
/// with data already waiting, or a send the kernel takes whole, needs no hop
/// through the queue. Concurrent sends go out whole and in call order; concurrent
/// receives are served in call order, one chunk each.
final class FileDescriptorChannel: @unchecked Sendable {
    // @unchecked: every mutable thing (the waiters, the sources' run state, the read
    // buffer `scratch`) is only touched under `state`'s lock; the rest is immutable.

    /// How bytes are written.
    enum Output: Sendable {
        /// `write(2)`, for terminals.
        case write
        /// `send(2)` without SIGPIPE, for sockets (a closed peer is an error, not a signal).
        case socket
    }

    /// What the read and write paths report for one of the operating system's answers.
    private enum ReadOutcome {
        case bytes([UInt8])
        case wouldBlock
        case endOfStream
        case failed(ATTransportError)
    }

    private enum WriteOutcome {
        case done
        case wouldBlock
        case failed(ATTransportError)
    }

    private struct Receiver: Sendable {
        let id: UInt64
        let continuation: CheckedContinuation<Result<[UInt8]?, ATTransportError>, Never>
    }

    private struct PendingSend: Sendable {
        let id: UInt64
        let bytes: [UInt8]
        var offset: Int
        let continuation: CheckedContinuation<Result<Void, ATTransportError>, Never>
    }

    /// Whether a Dispatch source is delivering events. Sources are created inactive;
    /// a source that is inactive or suspended never runs its cancellation handler
    /// (and releasing one traps), so ``retire(_:)`` starts it before cancelling it.
    private struct SourceGate: Sendable {
        private var activated = false
        private var running = false
        private var retired = false

        mutating func start(_ source: any DispatchSourceProtocol) {
            guard !running, !retired else { return }
            running = true
            if activated {
                source.resume()
            } else {
                activated = true
                source.activate()
            }
        }

        mutating func stop(_ source: any DispatchSourceProtocol) {
            guard running, !retired else { return }
            running = false
            source.suspend()
        }

        mutating func retire(_ source: any DispatchSourceProtocol) {
            guard !retired else { return }
            start(source)
            retired = true
            source.cancel()
        }
    }

    private struct State: Sendable {
        var closed = false
        var endOfStream = false
        var nextID: UInt64 = 0
        var receivers: [Receiver] = []
        var sends: [PendingSend] = []
        var readGate = SourceGate()
        var writeGate = SourceGate()

        mutating func makeID() -> UInt64 {
            nextID += 1
            return nextID
        }
    }

    /// The descriptor; valid until the channel is closed.
    let fd: Int32
    /// What the descriptor is (a device path, `host:port`), for error messages.
    let target: String
    private let output: Output
    private let readSource: any DispatchSourceRead
    private let writeSource: any DispatchSourceWrite
    private let closer: DescriptorCloser
    private let scratch: UnsafeMutableRawBufferPointer
    private let state = TransportLock(State())

    /// Takes ownership of `fd`, which must already be non-blocking.
    ///
    /// - Parameters:
    ///   - readSize: the most bytes one ``receive()`` returns.
    ///   - beforeClose: runs once, just before the descriptor is closed (on close or
    ///     when the channel is released), e.g. to restore a terminal's settings.
    init(
        fd: Int32, target: String, output: Output, readSize: Int = 16_384,
        beforeClose: @escaping @Sendable (Int32) -> Void = { _ in }
    ) {
        self.fd = fd
        self.target = target
        self.output = output
        let queue = DispatchQueue(label: "ATModem.transport")
        readSource = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
        writeSource = DispatchSource.makeWriteSource(fileDescriptor: fd, queue: queue)
        closer = DescriptorCloser(fd: fd, sources: 2, beforeClose: beforeClose)
        scratch = .allocate(byteCount: max(readSize, 1), alignment: 1)
        // The event handlers hold the channel weakly: a channel nobody uses any
        // more is released, and its deinit cancels the sources and closes `fd`.
        readSource.setEventHandler { [weak self] in self?.readReady() }
        writeSource.setEventHandler { [weak self] in self?.writeReady() }
        let closer = closer
        readSource.setCancelHandler { closer.sourceCancelled() }
        writeSource.setCancelHandler { closer.sourceCancelled() }
    }

    deinit {
        // Nobody can be waiting (a waiting call holds the channel); this only retires the sources.
        state.withLock { shutDown(&$0) }
        scratch.deallocate()
    }

    // MARK: Receiving

    /// Waits for the next bytes: at most `readSize` of them, nil at end of stream or once closed.
    func receive() async throws(ATTransportError) -> [UInt8]? {
        let id = state.withLock { $0.makeID() }
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                startReceive(Receiver(id: id, continuation: continuation))
            }
        } onCancel: {
            cancelReceive(id)
        }
        return try result.get()
    }

    private func startReceive(_ receiver: Receiver) {
        state.withLock { state in
            if state.closed || state.endOfStream {
                return receiver.continuation.resume(returning: .success(nil))
            }
            if state.receivers.isEmpty {
                switch readOnce() {
                case .bytes(let bytes):
                    return receiver.continuation.resume(returning: .success(bytes))
                case .endOfStream:
                    state.endOfStream = true
                    return receiver.continuation.resume(returning: .success(nil))
                case .failed(let error):
                    return receiver.continuation.resume(returning: .failure(error))
                case .wouldBlock:
                    break
                }
            }
            // Checked under the lock: a cancellation after this point finds the receiver registered.
            if Task.isCancelled {
                return receiver.continuation.resume(returning: .failure(.cancelled))
            }
            state.receivers.append(receiver)
            state.readGate.start(readSource)
        }
    }

    private func cancelReceive(_ id: UInt64) {
        state.withLock { state in
            guard let index = state.receivers.firstIndex(where: { $0.id == id }) else { return }
            state.receivers.remove(at: index).continuation.resume(returning: .failure(.cancelled))
            if state.receivers.isEmpty { state.readGate.stop(readSource) }
        }
    }

    /// The read source's handler: serves waiting receivers while the descriptor has bytes.
    private func readReady() {
        state.withLock { state in
            guard !state.closed else { return }
            while let first = state.receivers.first {
                switch readOnce() {
                case .bytes(let bytes):
                    state.receivers.removeFirst()
                    first.continuation.resume(returning: .success(bytes))
                case .wouldBlock:
                    return
                case .endOfStream:
                    state.endOfStream = true
                    for receiver in state.receivers { receiver.continuation.resume(returning: .success(nil)) }
                    state.receivers = []
                case .failed(let error):
                    for receiver in state.receivers { receiver.continuation.resume(returning: .failure(error)) }
                    state.receivers = []
                }
            }
            // Nobody waits (or the stream ended, which would keep the source firing): stop watching.
            state.readGate.stop(readSource)
        }
    }

    /// One `read(2)`, retried on EINTR. Only called under the lock (it uses `scratch`).
    private func readOnce() -> ReadOutcome {
        while true {
            let count = TransportPOSIX.read(fd, into: scratch)
            if count > 0 { return .bytes(Array(UnsafeRawBufferPointer(rebasing: scratch[..<count]))) }
            if count == 0 { return .endOfStream }
            let code = TransportPOSIX.errorNumber
            switch code {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            default: return .failed(TransportPOSIX.failure("read", target, code))
            }
        }
    }

    // MARK: Sending

    /// Sends all of `bytes`, waiting while the descriptor cannot take more.
    ///
    /// When the calling task is cancelled while waiting, throws ``ATTransportError/cancelled``;
    /// the bytes already written stay written, the rest is dropped.
    func send(_ bytes: [UInt8]) async throws(ATTransportError) {
        try await enqueueSend(bytes, tryDirectly: true)
    }

    /// Waits until the descriptor is writable (for a socket: until a non-blocking
    /// `connect(2)` has finished, whether it succeeded or not).
    func waitUntilWritable() async throws(ATTransportError) {
        try await enqueueSend([], tryDirectly: false)
    }

    private func enqueueSend(_ bytes: [UInt8], tryDirectly: Bool) async throws(ATTransportError) {
        let id = state.withLock { $0.makeID() }
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                startSend(PendingSend(id: id, bytes: bytes, offset: 0, continuation: continuation), tryDirectly: tryDirectly)
            }
        } onCancel: {
            cancelSend(id)
        }
        try result.get()
    }

    private func startSend(_ pending: PendingSend, tryDirectly: Bool) {
        var pending = pending
        state.withLock { state in
            if state.closed { return pending.continuation.resume(returning: .failure(.closed)) }
            // Only when nothing is queued, so concurrent sends never interleave.
            if tryDirectly, state.sends.isEmpty {
                switch writeSome(&pending) {
                case .done: return pending.continuation.resume(returning: .success(()))
                case .failed(let error): return pending.continuation.resume(returning: .failure(error))
                case .wouldBlock: break
                }
            }
            // Checked under the lock: a cancellation after this point finds the send queued.
            if Task.isCancelled { return pending.continuation.resume(returning: .failure(.cancelled)) }
            state.sends.append(pending)
            state.writeGate.start(writeSource)
        }
    }

    private func cancelSend(_ id: UInt64) {
        state.withLock { state in
            guard let index = state.sends.firstIndex(where: { $0.id == id }) else { return }
            state.sends.remove(at: index).continuation.resume(returning: .failure(.cancelled))
            if state.sends.isEmpty { state.writeGate.stop(writeSource) }
        }
    }

    /// The write source's handler: writes queued sends, in order, while the descriptor takes bytes.
    private func writeReady() {
        state.withLock { state in
            guard !state.closed else { return }
            while !state.sends.isEmpty {
                switch writeSome(&state.sends[0]) {
                case .done:
                    state.sends.removeFirst().continuation.resume(returning: .success(()))
                case .wouldBlock:
                    return
                case .failed(let error):
                    state.sends.removeFirst().continuation.resume(returning: .failure(error))
                }
            }
            state.writeGate.stop(writeSource)
        }
    }

    /// Writes what the descriptor takes of `pending` now: partial writes advance the
    /// offset, EINTR is retried, EAGAIN waits for the write source.
    private func writeSome(_ pending: inout PendingSend) -> WriteOutcome {
        while pending.offset < pending.bytes.count {
            let offset = pending.offset
            let written = pending.bytes.withUnsafeBytes { all in
                let rest = UnsafeRawBufferPointer(rebasing: all[offset...])
                return switch output {
                case .write: TransportPOSIX.write(fd, rest)
                case .socket: TransportPOSIX.sendNoSignal(fd, rest)
                }
            }
            if written > 0 {
                pending.offset += written
                continue
            }
            if written == 0 { return .wouldBlock }
            let code = TransportPOSIX.errorNumber
            switch code {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            case EPIPE: return .failed(.closed)  // the peer closed its end
            default: return .failed(TransportPOSIX.failure(output == .socket ? "send" : "write", target, code))
            }
        }
        return .done
    }

    // MARK: Closing

    /// Closes the channel: waiting receives return nil, waiting sends throw
    /// ``ATTransportError/closed``, and the descriptor is closed once Dispatch has
    /// let go of it (this call returns after that).
    func close() async {
        state.withLock { shutDown(&$0) }
        await closer.waitUntilClosed()
    }

    private func shutDown(_ state: inout State) {
        guard !state.closed else { return }
        state.closed = true
        for receiver in state.receivers { receiver.continuation.resume(returning: .success(nil)) }
        for pending in state.sends { pending.continuation.resume(returning: .failure(.closed)) }
        state.receivers = []
        state.sends = []
        state.readGate.retire(readSource)
        state.writeGate.retire(writeSource)
    }

    // MARK: Introspection (tests)

    /// How many ``receive()`` calls are waiting for bytes.
    var waitingReceiverCount: Int { state.withLock { $0.receivers.count } }

    /// How many ``send(_:)`` calls are waiting for the descriptor to take their bytes.
    var waitingSendCount: Int { state.withLock { $0.sends.count } }
}

/// Closes a descriptor once every Dispatch source watching it has been cancelled.
final class DescriptorCloser: Sendable {
    private struct State: Sendable {
        var sourcesLeft: Int
        var closed = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let fd: Int32
    private let beforeClose: @Sendable (Int32) -> Void
    private let state: TransportLock<State>

    init(fd: Int32, sources: Int, beforeClose: @escaping @Sendable (Int32) -> Void) {
        self.fd = fd
        self.beforeClose = beforeClose
        state = TransportLock(State(sourcesLeft: sources))
    }

    /// Called by each source's cancellation handler; the last one closes the descriptor.
    func sourceCancelled() {
        let last = state.withLock { state in
            state.sourcesLeft -= 1
            return state.sourcesLeft == 0
        }
        guard last else { return }
        beforeClose(fd)
        TransportPOSIX.close(fd)
        let waiters = state.withLock { state in
            state.closed = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once the descriptor is closed.
    func waitUntilClosed() async {
        await withCheckedContinuation { continuation in
            state.withLock { state in
                if state.closed {
                    continuation.resume()
                } else {
                    state.waiters.append(continuation)
                }
            }
        }
    }
}
