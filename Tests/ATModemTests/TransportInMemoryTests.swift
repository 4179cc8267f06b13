// TransportInMemoryTests.swift: InMemoryTransport: chunks and order, backpressure, close, cancellation.

import Testing

@testable import ATModem

@Suite("Transport: in memory", .timeLimit(.minutes(1)))
struct TransportInMemoryTests {
    @Test func chunksArriveWholeAndInOrderBothWays() async throws {
        let (host, device) = InMemoryTransport.pair()
        let chunks: [[UInt8]] = [[0x41], [0x54, 0x0D], Array("\r\nOK\r\n".utf8), [0x00, 0xFF]]
        for chunk in chunks { try await host.send(chunk) }
        for chunk in chunks { #expect(try await device.receive() == chunk) }

        for chunk in chunks.reversed() { try await device.send(chunk) }
        for chunk in chunks.reversed() { #expect(try await host.receive() == chunk) }
    }

    @Test func emptySendsDeliverNothing() async throws {
        let (host, device) = InMemoryTransport.pair()
        try await host.send([])
        try await host.send([1])
        #expect(try await device.receive() == [1])
        #expect(host.bufferedByteCount == 0)
    }

    @Test func concurrentSendersDeliverWholeChunksInTheirOwnOrder() async throws {
        // A small capacity, so senders keep waiting for room while the receiver drains.
        let (host, device) = InMemoryTransport.pair(capacity: 16)
        let senders = 4
        let perSender = 200
        try await withThrowingTaskGroup(of: Void.self) { group in
            for sender in 0..<senders {
                group.addTask {
                    for index in 0..<perSender {
                        // Chunk = sender id, then the index in two bytes, repeated to a varying length.
                        let chunk = [UInt8(sender), UInt8(index >> 8), UInt8(index & 0xFF)] + [UInt8](repeating: UInt8(sender), count: index % 5)
                        try await host.send(chunk)
                    }
                }
            }
            var next = [Int](repeating: 0, count: senders)
            for _ in 0..<(senders * perSender) {
                let chunk = try #require(try await device.receive())
                let sender = Int(chunk[0])
                let index = Int(chunk[1]) << 8 | Int(chunk[2])
                #expect(index == next[sender], "sender \(sender)")
                #expect(chunk.count == 3 + index % 5)
                #expect(chunk.dropFirst(3).allSatisfy { $0 == UInt8(sender) })
                #expect(host.bufferedByteCount <= 16, "never more than the capacity")
                next[sender] = index + 1
            }
            try await group.waitForAll()
            #expect(next == [Int](repeating: perSender, count: senders))
        }
    }

    @Test func aSendWaitsForRoomThenGoesThrough() async throws {
        let (host, device) = InMemoryTransport.pair(capacity: 4)
        try await host.send([1, 2, 3])
        let sending = Task { try await host.send([4, 5, 6]) }
        try await waitUntil("the second send waits for room") { host.waitingSendCount == 1 }
        #expect(host.bufferedByteCount == 3)

        #expect(try await device.receive() == [1, 2, 3])
        try await sending.value
        #expect(try await device.receive() == [4, 5, 6])
    }

    @Test func aChunkLargerThanTheCapacityIsDeliveredWhenThePipeIsEmpty() async throws {
        let (host, device) = InMemoryTransport.pair(capacity: 4)
        let big = patternBytes(1000)
        try await host.send(big)
        #expect(try await device.receive() == big)
    }

    @Test func closeLetsThePeerDrainThenEnds() async throws {
        let (host, device) = InMemoryTransport.pair()
        try await host.send([1])
        try await host.send([2, 3])
        try await device.send([9])
        await host.close()

        #expect(try await device.receive() == [1])
        #expect(try await device.receive() == [2, 3])
        #expect(try await device.receive() == nil)
        #expect(try await device.receive() == nil)
        // The closing end drops what it had not received.
        #expect(try await host.receive() == nil)
        await #expect(throws: ATTransportError.closed) { try await host.send([4]) }
        await #expect(throws: ATTransportError.closed) { try await device.send([4]) }
        await device.close()
        await host.close()
    }

    @Test func closeWakesPendingReceivesOnBothEnds() async throws {
        let (host, device) = InMemoryTransport.pair()
        let deviceReceiving = Task { try await device.receive() }
        let hostReceiving = Task { try await host.receive() }
        try await waitUntil("both receives wait") { device.waitingReceiveCount == 1 && host.waitingReceiveCount == 1 }

        await device.close()
        #expect(try await deviceReceiving.value == nil)
        #expect(try await hostReceiving.value == nil)
    }

    @Test func closeFailsAWaitingSend() async throws {
        let (host, device) = InMemoryTransport.pair(capacity: 2)
        try await host.send([1, 2])
        let sending = Task { try await host.send([3]) }
        try await waitUntil("the send waits for room") { host.waitingSendCount == 1 }

        await device.close()
        await #expect(throws: ATTransportError.closed) { try await sending.value }
    }

    @Test func aCancelledReceiveThrowsAndThePipeStaysUsable() async throws {
        let (host, device) = InMemoryTransport.pair()
        let receiving = Task { try await device.receive() }
        try await waitUntil("the receive waits") { device.waitingReceiveCount == 1 }

        receiving.cancel()
        await #expect(throws: ATTransportError.cancelled) { try await receiving.value }
        #expect(device.waitingReceiveCount == 0)

        try await host.send([7])
        #expect(try await device.receive() == [7])
    }

    @Test func aCancelledSendDeliversNothing() async throws {
        let (host, device) = InMemoryTransport.pair(capacity: 2)
        try await host.send([1, 2])
        let sending = Task { try await host.send([3]) }
        try await waitUntil("the send waits for room") { host.waitingSendCount == 1 }

        sending.cancel()
        await #expect(throws: ATTransportError.cancelled) { try await sending.value }
        #expect(try await device.receive() == [1, 2])
        try await host.send([4])
        #expect(try await device.receive() == [4])
    }

    @Test func aReceiveInAnAlreadyCancelledTaskThrowsCancelled() async throws {
        let (_, device) = InMemoryTransport.pair()
        let receiving = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await device.receive()
        }
        await #expect(throws: ATTransportError.cancelled) { try await receiving.value }
        #expect(device.waitingReceiveCount == 0)
    }
}
