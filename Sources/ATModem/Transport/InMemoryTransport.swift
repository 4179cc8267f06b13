// InMemoryTransport.swift: two connected transports in memory, for tests and simulated modems.

/// One end of an in-memory byte pipe; ``pair(capacity:)`` makes both ends.
///
/// What one end sends, the other receives, in the chunks sent (never split or
/// merged). Any number of tasks may send and receive on either end at once:
/// concurrent sends are delivered whole, in the order they were accepted, and
/// concurrent receives are served in call order.
///
/// Buffering is bounded: each direction holds at most `capacity` bytes of sent,
/// unreceived chunks. A send that would go beyond waits until the receiver has
/// taken enough (backpressure, like a serial line with hardware flow control).
/// When the direction is empty, one chunk is accepted whatever its size, so a
/// chunk larger than `capacity` is delivered rather than waiting forever.
///
/// ``close()`` on either end closes the pipe in both directions: the closing
/// end's receives return nil at once, the other end's receives return what was
/// already sent and then nil, and sends on either end (waiting or later) throw
/// ``ATTransportError/closed``.
///
/// A waiting receive or send whose task is cancelled throws
/// ``ATTransportError/cancelled``; a cancelled send delivers nothing; the pipe stays usable.
public struct InMemoryTransport: ATTransport {
    private let link: InMemoryLink
    /// 0 for the host end, 1 for the device end: the index of the direction this end sends into.
    private let side: Int

    /// Makes two connected ends.
    ///
    /// - Parameter capacity: the most bytes of unreceived chunks each direction holds before a send waits.
    public static func pair(capacity: Int = 65_536) -> (host: InMemoryTransport, device: InMemoryTransport) {
        let link = InMemoryLink(capacity: max(capacity, 1))
        return (InMemoryTransport(link: link, side: 0), InMemoryTransport(link: link, side: 1))
    }

    private init(link: InMemoryLink, side: Int) {
        self.link = link
        self.side = side
    }

    /// Waits for the next chunk the other end sent; nil once the pipe is closed and drained.
    public func receive() async throws(ATTransportError) -> [UInt8]? {
        try await link.receive(from: 1 - side)
    }

    /// Hands `bytes` to the other end as one chunk, waiting while the pipe is full.
    /// Sending no bytes delivers nothing.
    public func send(_ bytes: [UInt8]) async throws(ATTransportError) {
        try await link.send(bytes, into: side)
    }

    /// Closes the pipe in both directions (see the type's documentation).
    public func close() async {
        link.close(side: side)
    }

    /// How many bytes this end has sent that the other end has not received yet (tests).
    var bufferedByteCount: Int { link.bufferedByteCount(in: side) }

    /// How many sends on this end wait for room in the pipe (tests).
    var waitingSendCount: Int { link.waitingSendCount(in: side) }

    /// How many receives on this end wait for a chunk (tests).
    var waitingReceiveCount: Int { link.waitingReceiveCount(from: 1 - side) }
}

/// The shared state of a pair: two directions under one lock.
final class InMemoryLink: Sendable {
    private struct Receiver: Sendable {
        let id: UInt64
        let continuation: CheckedContinuation<Result<[UInt8]?, ATTransportError>, Never>
    }

    private struct Sender: Sendable {
        let id: UInt64
        let bytes: [UInt8]
        let continuation: CheckedContinuation<Result<Void, ATTransportError>, Never>
    }

    /// One direction: chunks sent into it and not yet received, and who waits on it.
    private struct Direction: Sendable {
        /// Chunks from `head` on are unreceived; the consumed prefix is dropped in bulk.
        var chunks: [[UInt8]] = []
        var head = 0
        var bufferedBytes = 0
        /// The sending end closed: receivers drain, then get nil.
        var writerClosed = false
        /// The receiving end closed: nothing more is delivered.
        var readerClosed = false
        var receivers: [Receiver] = []
        var senders: [Sender] = []

        var isClosed: Bool { writerClosed || readerClosed }

        mutating func popChunk() -> [UInt8]? {
            guard head < chunks.count else { return nil }
            let chunk = chunks[head]
            chunks[head] = []
            head += 1
            bufferedBytes -= chunk.count
            if head == chunks.count {
                chunks.removeAll(keepingCapacity: true)
                head = 0
            } else if head >= 64, head * 2 >= chunks.count {
                chunks.removeFirst(head)
                head = 0
            }
            return chunk
        }

        /// Hands a chunk to the first waiting receiver, or queues it.
        mutating func deliver(_ chunk: [UInt8]) {
            if receivers.isEmpty {
                chunks.append(chunk)
                bufferedBytes += chunk.count
            } else {
                receivers.removeFirst().continuation.resume(returning: .success(chunk))
            }
        }

        func hasRoom(for count: Int, capacity: Int) -> Bool {
            bufferedBytes == 0 || bufferedBytes + count <= capacity
        }

        /// Moves waiting senders' chunks in, in order, while they fit.
        mutating func admitSenders(capacity: Int) {
            while let first = senders.first, hasRoom(for: first.bytes.count, capacity: capacity) {
                senders.removeFirst()
                deliver(first.bytes)
                first.continuation.resume(returning: .success(()))
            }
        }
    }

    private struct State: Sendable {
        var directions = [Direction(), Direction()]
        var nextID: UInt64 = 0

        mutating func makeID() -> UInt64 {
            nextID += 1
            return nextID
        }
    }

    private let capacity: Int
    private let state = TransportLock(State())

    init(capacity: Int) {
        self.capacity = capacity
    }

    func receive(from index: Int) async throws(ATTransportError) -> [UInt8]? {
        let id = state.withLock { $0.makeID() }
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                startReceive(Receiver(id: id, continuation: continuation), from: index)
            }
        } onCancel: {
            state.withLock { state in
                guard let at = state.directions[index].receivers.firstIndex(where: { $0.id == id }) else { return }
                state.directions[index].receivers.remove(at: at).continuation.resume(returning: .failure(.cancelled))
            }
        }
        return try result.get()
    }

    private func startReceive(_ receiver: Receiver, from index: Int) {
        state.withLock { state in
            let capacity = capacity
            if state.directions[index].readerClosed {
                return receiver.continuation.resume(returning: .success(nil))
            }
            if let chunk = state.directions[index].popChunk() {
                state.directions[index].admitSenders(capacity: capacity)
                return receiver.continuation.resume(returning: .success(chunk))
            }
            if state.directions[index].writerClosed {
                return receiver.continuation.resume(returning: .success(nil))
            }
            // Checked under the lock: a cancellation after this point finds the receiver registered.
            if Task.isCancelled {
                return receiver.continuation.resume(returning: .failure(.cancelled))
            }
            state.directions[index].receivers.append(receiver)
        }
    }

    func send(_ bytes: [UInt8], into index: Int) async throws(ATTransportError) {
        let id = state.withLock { $0.makeID() }
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                startSend(Sender(id: id, bytes: bytes, continuation: continuation), into: index)
            }
        } onCancel: {
            state.withLock { state in
                guard let at = state.directions[index].senders.firstIndex(where: { $0.id == id }) else { return }
                state.directions[index].senders.remove(at: at).continuation.resume(returning: .failure(.cancelled))
            }
        }
        try result.get()
    }

    private func startSend(_ sender: Sender, into index: Int) {
        state.withLock { state in
            let capacity = capacity
            if state.directions[index].isClosed {
                return sender.continuation.resume(returning: .failure(.closed))
            }
            if sender.bytes.isEmpty {
                return sender.continuation.resume(returning: .success(()))
            }
            // Waiting senders go first, so chunks arrive in the order sends were accepted.
            if state.directions[index].senders.isEmpty,
                state.directions[index].hasRoom(for: sender.bytes.count, capacity: capacity)
            {
                state.directions[index].deliver(sender.bytes)
                return sender.continuation.resume(returning: .success(()))
            }
            if Task.isCancelled {
                return sender.continuation.resume(returning: .failure(.cancelled))
            }
            state.directions[index].senders.append(sender)
        }
    }

    /// Closes both directions from `side`'s point of view.
    func close(side: Int) {
        state.withLock { state in
            // What this side sent: the other side drains it, then gets nil.
            var outgoing = state.directions[side]
            outgoing.writerClosed = true
            for sender in outgoing.senders { sender.continuation.resume(returning: .failure(.closed)) }
            outgoing.senders = []
            // Receivers wait only on an empty direction, so they are at the end already.
            for receiver in outgoing.receivers { receiver.continuation.resume(returning: .success(nil)) }
            outgoing.receivers = []
            state.directions[side] = outgoing

            // What the other side sent to this one: dropped, nothing more is delivered.
            var incoming = state.directions[1 - side]
            incoming.readerClosed = true
            for sender in incoming.senders { sender.continuation.resume(returning: .failure(.closed)) }
            for receiver in incoming.receivers { receiver.continuation.resume(returning: .success(nil)) }
            incoming = Direction()
            incoming.readerClosed = true
            incoming.writerClosed = true
            state.directions[1 - side] = incoming
        }
    }

    func bufferedByteCount(in index: Int) -> Int { state.withLock { $0.directions[index].bufferedBytes } }
    func waitingSendCount(in index: Int) -> Int { state.withLock { $0.directions[index].senders.count } }
    func waitingReceiveCount(from index: Int) -> Int { state.withLock { $0.directions[index].receivers.count } }
}
