// RawAndListenerTests.swift: commands no request type covers, and URCs followed by several listeners.

import ATModem
import ATRuntime
import Foundation
import Logging
import SIM7672X
import Testing
import ThreeGPP

@Suite("Engine: raw commands and listeners", .timeLimit(.minutes(1)))
struct RawAndListenerTests {
    typealias Failure = ATCommandError<SIM7672X.FinalResult>

    @Test func aRawCommandCollectsItsLinesAndTypesItsFinalResult() async throws {
        let response = try await withEngine(SIM7672X.self, modem: { modem in
            try await modem.expect("AT+SIMCOMATI")
            // Lines no spec describes, a URC between them, then OK.
            try await modem.send("AT+SIMCOMATI\r\r\nManufacturer: SIMCOM INCORPORATED\r\n+CMQTTCONNLOST: 0,1\r\nModel: A7670E-LASE\r\n\r\nOK\r\n")
        }) { engine in
            let events = Task {
                var seen: [ATUnsolicitedEvent<SIM7672X.URC>] = []
                for await event in engine.unsolicited {
                    seen.append(event)
                    break
                }
                return seen
            }
            let response = try await engine.send(raw: "AT+SIMCOMATI")
            #expect(await events.value.count == 1)
            return response
        }
        #expect(response.texts == ["Manufacturer: SIMCOM INCORPORATED", "Model: A7670E-LASE"])
        #expect(response.final == .base(.ok))
        #expect(response.typed == nil)
    }

    @Test func aRawCommandOfAKnownFormIsRoutedAndTypedAsThatForm() async throws {
        let response = try await withEngine(SIM7672X.self, modem: { modem in
            try await modem.expect("AT+CSQ")
            try await modem.send("AT+CSQ\r\r\n+CSQ: 23,99\r\n\r\nOK\r\n")
        }) { engine in
            try await engine.send(raw: "AT+CSQ")
        }
        #expect(response.texts == ["+CSQ: 23,99"])
        let typed = try #require(response.typed)
        let signal = try ThreeGPP.SignalQuality.Execute.response(from: typed)
        #expect(signal.line.rssi == 23)
    }

    @Test func aRawCommandThatFailsThrowsTheTypedResultWithItsLines() async throws {
        let failure = try await withEngine(SIM7672X.self, modem: { modem in
            try await modem.expect("AT+CPIN?")
            try await modem.send("AT+CPIN?\r\r\n+CME ERROR: SIM not inserted\r\n")
        }) { engine -> Failure? in
            do throws(Failure) {
                _ = try await engine.send(raw: "AT+CPIN?")
                return nil
            } catch {
                return error
            }
        }
        guard case .failed(_, let result, _)? = failure else {
            Issue.record("expected a failure, got \(String(describing: failure))")
            return
        }
        #expect(result == .base(.cmeError(err: .simNotInserted)))
    }

    @Test func aRawCommandsSecretsAreRedactedInLogsAndErrors() async throws {
        let log = CapturedLog()
        let failure = try await withEngine(SIM7672X.self, logger: log.logger(), modem: { modem in
            try await modem.expect("AT+CPIN=\"4711\"")
            try await modem.send("AT+CPIN=\"4711\"\r\r\n+CME ERROR: incorrect password\r\n")
            try await modem.expect("AT+XPASS=\"s3cret\"")
        }) { engine -> (Failure?, Failure?) in
            var first: Failure?
            do throws(Failure) {
                _ = try await engine.send(raw: "AT+CPIN=\"4711\"")
            } catch {
                first = error
            }
            var second: Failure?
            do throws(Failure) {
                _ = try await engine.send(raw: "AT+XPASS=\"s3cret\"", secrets: ["s3cret"], timeout: .milliseconds(100))
            } catch {
                second = error
            }
            return (first, second)
        }
        // The PIN is a secret parameter of AT+CPIN: redacted without being named.
        #expect(failure.0.map(String.init(describing:))?.contains("4711") == false)
        #expect(failure.0.map(String.init(describing:))?.hasPrefix("AT+CPIN=\"***\" failed") == true)
        #expect(failure.1.map(String.init(describing:))?.hasPrefix("AT+XPASS=\"***\" timed out") == true)
        #expect(!log.text.contains("4711"))
        #expect(!log.text.contains("s3cret"))
        #expect(log.text.contains("command=AT+XPASS=\"***\""))
    }

    @Test func rawCommandsQueueBehindTypedOnes() async throws {
        let order = try await withEngine(SIM7672X.self, modem: { modem in
            try await modem.expect("AT+CMQTTSTART")
            try await modem.send("AT+CMQTTSTART\r\r\nOK\r\n\r\n+CMQTTSTART: 0\r\n")
            try await modem.expect("AT+CFUN=1,1")
            try await modem.send("AT+CFUN=1,1\r\r\nOK\r\n")
        }) { engine in
            async let typed: Void = { _ = try await engine.send(SIM7672X.StartService.Execute()) }()
            try await Task.sleep(for: .milliseconds(20))
            let raw = try await engine.send(raw: "AT+CFUN=1,1")
            try await typed
            return raw.final
        }
        #expect(order == .base(.ok))
    }

    @Test func everyListenerGetsEveryURCAndASlowOneLosesOnlyPastItsBound() async throws {
        let (host, device) = InMemoryTransport.pair()
        let engine = ATEngine(module: SIM7672X.self, transport: host)
        let runner = Task { try await engine.run() }
        let all = await engine.listen()
        let lost = await engine.listen { event in
            if case .urc(.connectionLost) = event { true } else { false }
        }
        let slow = await engine.listen(bufferLimit: 2)
        let typed = await engine.urcs()
        #expect(await engine.listenerCount == 4)
        try await device.send(Array("+CMQTTCONNLOST: 0,1\r\n+CREG: 1\r\n+CMQTTCONNLOST: 1,3\r\nRDY\r\n".utf8))
        await device.close()
        _ = try? await runner.value

        var allEvents: [ATUnsolicitedEvent<SIM7672X.URC>] = []
        for await event in all { allEvents.append(event) }
        #expect(allEvents.count == 4)
        #expect(allEvents.last == .unrecognized(ATLine("RDY")))
        var lostEvents = 0
        for await _ in lost { lostEvents += 1 }
        #expect(lostEvents == 2)
        var slowEvents = 0
        for await _ in slow { slowEvents += 1 }
        #expect(slowEvents == 2)
        var urcs: [SIM7672X.URC] = []
        for await urc in typed { urcs.append(urc) }
        #expect(urcs.count == 3)
        #expect(urcs.contains { if case .base(.networkRegistrationReport) = $0 { true } else { false } })
        // The slow listener's two lost events are counted; the main stream is unbounded.
        #expect(await engine.droppedUnsolicitedCount == 2)
    }

    @Test func aListenerThatStopsIsForgottenAndOneMadeAfterTheEndEndsAtOnce() async throws {
        let (host, device) = InMemoryTransport.pair()
        let engine = ATEngine(module: SIM7672X.self, transport: host)
        let runner = Task { try await engine.run() }
        let listener = Task {
            for await _ in await engine.listen() { break }
        }
        while await engine.listenerCount == 0 { try await Task.sleep(for: .milliseconds(1)) }
        try await device.send(Array("+CMQTTNONET\r\n".utf8))
        await listener.value
        var waited = 0
        while await engine.listenerCount > 0, waited < 2000 {
            try await Task.sleep(for: .milliseconds(1))
            waited += 1
        }
        #expect(await engine.listenerCount == 0)
        await device.close()
        _ = try? await runner.value
        var late = 0
        for await _ in await engine.listen() { late += 1 }
        #expect(late == 0)
    }
}

@Suite("Engine: raw command lines that cannot be sent")
struct RawCommandLineTests {
    @Test(arguments: ["AT+CFUN=1\rAT+CPIN=\"0000\"", "AT+CMQTTPAYLOAD=0,3\u{1A}", "", "AT\u{1B}", "AT\nAT"])
    func aLineThatWouldBeSeveralCommandsOrDataIsRefusedBeforeAnythingIsSent(_ line: String) async throws {
        let (host, device) = InMemoryTransport.pair()
        let engine = ATEngine(module: SIM7672X.self, transport: host)
        let runner = Task { try await engine.run() }
        var refused: ATCommandError<SIM7672X.FinalResult>?
        do throws(ATCommandError<SIM7672X.FinalResult>) {
            _ = try await engine.send(raw: line, secrets: ["0000"], timeout: .milliseconds(200))
        } catch {
            refused = error
        }
        // The next command is the first thing the modem sees.
        async let next = try? engine.send(raw: "AT", timeout: .seconds(30))
        let first = try await device.receive()
        try await device.send(Array("AT\r\r\nOK\r\n".utf8))
        #expect(await next?.final == .base(.ok))
        #expect(first == Array("AT\r".utf8))
        await device.close()
        _ = try? await runner.value
        guard case .invalidCommandLine(let command, _)? = refused else {
            Issue.record("expected the line to be refused, got \(String(describing: refused))")
            return
        }
        #expect(!command.contains("0000"))
    }
}
