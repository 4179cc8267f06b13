// TransportTCPTests.swift: TCPTransport against loopback listeners the tests open: round trips, peer close, refused connections.

import Testing

@testable import ATModem

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite("Transport: TCP on loopback", .timeLimit(.minutes(1)))
struct TransportTCPTests {
    @Test(arguments: ["127.0.0.1", "::1", "localhost"])
    func roundTrip(host: String) async throws {
        let listener = try LoopbackListener(address: host == "::1" ? "::1" : "127.0.0.1")
        defer { listener.close() }
        async let accepted = PeerIO.accept(listener.fd)
        let transport = try await TCPTransport.connect(host: host, port: listener.port)
        let peer = try await accepted
        defer { systemClose(peer) }

        let command = Array("AT+CGMI\r".utf8)
        try await transport.send(command)
        #expect(await PeerIO.read(peer, count: command.count) == command)

        let answer = Array("\r\nSIMCOM INCORPORATED\r\n\r\nOK\r\n".utf8) + [0x00, 0xFF]
        #expect(await PeerIO.write(peer, answer))
        #expect(try await receive(answer.count, from: transport) == answer)

        var noDelay: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        #expect(getsockopt(transport.channel.fd, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, &length) == 0)
        #expect(noDelay != 0)
        await transport.close()
    }

    @Test func theStreamEndsWhenThePeerCloses() async throws {
        let listener = try LoopbackListener()
        defer { listener.close() }
        async let accepted = PeerIO.accept(listener.fd)
        let transport = try await TCPTransport.connect(host: "127.0.0.1", port: listener.port)
        let peer = try await accepted

        #expect(await PeerIO.write(peer, Array("last words".utf8)))
        systemClose(peer)
        // What was sent before the close arrives first, then the end.
        #expect(try await receive(10, from: transport) == Array("last words".utf8))
        #expect(try await transport.receive() == nil)
        #expect(try await transport.receive() == nil)
        await transport.close()
    }

    @Test func peerCloseWakesAPendingReceive() async throws {
        let listener = try LoopbackListener()
        defer { listener.close() }
        async let accepted = PeerIO.accept(listener.fd)
        let transport = try await TCPTransport.connect(host: "127.0.0.1", port: listener.port)
        let peer = try await accepted
        let receiving = Task { try await transport.receive() }
        try await waitUntil("the receive waits") { transport.channel.waitingReceiverCount == 1 }

        systemClose(peer)
        #expect(try await receiving.value == nil)
        await transport.close()
    }

    @Test func aLargeSendArrivesWhole() async throws {
        let listener = try LoopbackListener()
        defer { listener.close() }
        async let accepted = PeerIO.accept(listener.fd)
        let transport = try await TCPTransport.connect(host: "127.0.0.1", port: listener.port)
        let peer = try await accepted
        defer { systemClose(peer) }

        // More than loopback socket buffers hold, so the send meets EAGAIN and partial writes.
        let payload = patternBytes(8 * 1024 * 1024, seed: 3)
        async let drained = PeerIO.read(peer, count: payload.count)
        try await transport.send(payload)
        let received = await drained
        #expect(received.count == payload.count)
        #expect(received == payload)
        await transport.close()
    }

    @Test func closeEndsReceivesAndRefusesSends() async throws {
        let listener = try LoopbackListener()
        defer { listener.close() }
        async let accepted = PeerIO.accept(listener.fd)
        let transport = try await TCPTransport.connect(host: "127.0.0.1", port: listener.port)
        let peer = try await accepted
        defer { systemClose(peer) }
        let receiving = Task { try await transport.receive() }
        try await waitUntil("the receive waits") { transport.channel.waitingReceiverCount == 1 }

        await transport.close()
        #expect(try await receiving.value == nil)
        await #expect(throws: ATTransportError.closed) { try await transport.send([0x41]) }
        // The peer sees the connection end.
        #expect(await PeerIO.read(peer, count: 1) == [])
    }

    @Test func aRefusedConnectionIsATypedErrorNamingHostAndPort() async throws {
        // Bound but not listening: connections to the port are refused, and nobody else can take it meanwhile.
        let closedPort = try LoopbackListener(listening: false)
        defer { closedPort.close() }
        let error = await #expect(throws: ATTransportError.self) {
            try await TCPTransport.connect(host: "127.0.0.1", port: closedPort.port)
        }
        let target = "127.0.0.1:\(closedPort.port)"
        #expect(
            error
                == .system(call: "connect", target: target, errno: ECONNREFUSED, message: String(cString: strerror(ECONNREFUSED))))
        #expect(error?.description.hasPrefix("connect on \(target) failed: Connection refused") == true)
    }

    @Test func anIPv6TargetIsBracketed() async throws {
        let closedPort = try LoopbackListener(address: "::1", listening: false)
        defer { closedPort.close() }
        let error = await #expect(throws: ATTransportError.self) {
            try await TCPTransport.connect(host: "::1", port: closedPort.port)
        }
        #expect(error == .system(call: "connect", target: "[::1]:\(closedPort.port)", errno: ECONNREFUSED, message: String(cString: strerror(ECONNREFUSED))))
    }

    @Test func cancellingAPendingConnectThrowsCancelled() async throws {
        // With a backlog of 0 the accept queue holds one connection; once it is full the
        // listener drops further SYNs, so the next connect stays pending.
        let listener = try LoopbackListener(backlog: 0)
        defer { listener.close() }
        let first = try await TCPTransport.connect(host: "127.0.0.1", port: listener.port)
        let connecting = Task { try await TCPTransport.connect(host: "127.0.0.1", port: listener.port) }
        connecting.cancel()
        await #expect(throws: ATTransportError.cancelled) { try await connecting.value }
        await first.close()
    }

    @Test func anUnknownHostIsATypedErrorNamingHostAndPort() async throws {
        // .invalid never resolves (RFC 6761); the resolver's reason depends on the machine's DNS.
        let error = await #expect(throws: ATTransportError.self) {
            try await TCPTransport.connect(host: "no-such-modem.invalid", port: 2000)
        }
        #expect(error?.description.contains("no-such-modem.invalid:2000") == true, "\(String(describing: error))")
    }

    @Test(arguments: [0, -1, 65_536])
    func aPortOutOfRangeIsRefusedBeforeConnecting(port: Int) async throws {
        let error = await #expect(throws: ATTransportError.self) {
            try await TCPTransport.connect(host: "127.0.0.1", port: port)
        }
        #expect(error == .unsupported("cannot connect to 127.0.0.1:\(port): the port must be in 1-65535"))
    }
}
