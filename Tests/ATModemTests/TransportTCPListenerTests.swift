// TransportTCPListenerTests.swift: TCPListener accepts connections that carry bytes both ways, and stops cleanly.

import Testing

@testable import ATModem

@Suite("Transport: TCP listener", .timeLimit(.minutes(1)))
struct TransportTCPListenerTests {
    @Test func anAcceptedConnectionCarriesBytesBothWays() async throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        #expect(listener.port > 0)
        async let accepted = listener.accept()
        let host = try await TCPTransport.connect(host: "127.0.0.1", port: listener.port)
        let device = try await accepted
        try await host.send(Array("AT\r".utf8))
        #expect(try await device.receive() == Array("AT\r".utf8))
        let answer = Array("\r\nOK\r\n".utf8) + [0x00, 0xFF]
        try await device.send(answer)
        var received: [UInt8] = []
        while received.count < answer.count, let chunk = try await host.receive() { received += chunk }
        #expect(received == answer)
        await host.close()
        #expect(try await device.receive() == nil, "the host's close ends the device's stream")
        await device.close()
    }

    @Test func closingStopsAWaitingAccept() async throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        let waiting = Task { () throws(ATTransportError) -> TCPTransport in try await listener.accept() }
        try await Task.sleep(for: .milliseconds(100))
        listener.close()
        let result = await waiting.result
        guard case .failure(let error) = result else {
            Issue.record("accept returned after close")
            return
        }
        #expect(error as? ATTransportError == .closed)
    }

    @Test func aTakenPortOrABadAddressIsATypedError() throws {
        let first = try TCPListener(host: "127.0.0.1", port: 0)
        defer { first.close() }
        #expect(throws: ATTransportError.self) { try TCPListener(host: "127.0.0.1", port: first.port) }
        #expect(throws: ATTransportError.unsupported("cannot listen on example.com:7000: not an IPv4 address")) { try TCPListener(host: "example.com", port: 7000) }
    }
}
