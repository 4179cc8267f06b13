// RealDeviceEngineTests.swift: the engine against what real firmware sends: answers without a prefix, data echoed twice, secrets in stray lines, a run loop that was never started.

import ATModem
import ATRuntime
import ATSpec
import ATTestSupport
import Logging
import SIM7672X
import Testing

/// A module built from the fixture spec, whose `AT+CGSN` answers `<sn>` without a prefix.
/// Its result names (`ok`, `error`, `cme_error`) are SIM7672X's, so that module's types type them.
enum PrefixlessModem: ATModule {
    typealias URC = SIM7672X.URC
    typealias FinalResult = SIM7672X.FinalResult
    static let descriptor: ModuleDescriptor = {
        let loaded = SpecLoader.load(text: FixtureSpecs.prefixless, file: "Prefixless.yaml")
        return loaded.spec.map(DescriptorBuilder.build) ?? ModuleDescriptor(name: "broken", finals: [], urcs: [], forms: [])
    }()
}

/// `AT+CGSN`, answered by the IMEI on a line of its own.
struct ReadSerialNumber: ATRequest {
    typealias Module = PrefixlessModem
    var descriptor: FormDescriptor { PrefixlessModem.descriptor.forms.first { $0.command == "CGSN" }! }
    func encode() -> [UInt8] { Array("AT+CGSN\r".utf8) }
    var description: String { "AT+CGSN" }
    static func response(from lines: ATResponseLines) throws(ATDecodingError) -> String {
        guard let serial = lines.lines(0).first?.first?.text else { throw ATDecodingError(expected: "<sn>", field: "sn", reason: "missing") }
        return serial
    }
}

@Suite("Engine: real firmware")
struct RealDeviceEngineTests {
    typealias Failure = ATCommandError<SIM7672X.FinalResult>

    @Test func anAnswerWithoutPrefixIsTypedAndOKEndsTheCommand() async throws {
        let (serial, failure) = try await withEngine(PrefixlessModem.self, modem: { modem in
            try await modem.expect("AT+CGSN")
            try await modem.send("AT+CGSN\r\r\n490154203237518\r\n\r\nOK\r\n")
            try await modem.expect("AT+CGSN")
            try await modem.send("\r\n+CME ERROR: 10\r\n")
        }) { engine in
            let serial = try await engine.send(ReadSerialNumber())
            var failure: Failure?
            do throws(Failure) {
                _ = try await engine.send(ReadSerialNumber())
            } catch {
                failure = error
            }
            return (serial, failure)
        }
        #expect(serial == "490154203237518")
        guard case .failed(_, .base(.cmeError(let code))?, _)? = failure else {
            Issue.record("expected +CME ERROR, got \(String(describing: failure))")
            return
        }
        #expect(code == .simNotInserted)
    }

    @Test func dataEchoedASecondTimeIsNeitherDeliveredNorUnrecognized() async throws {
        let topic = Array("GsmMqttTest/publish".utf8)
        let events = try await withEngine(SIM7672X.self, modem: { modem in
            try await modem.expect("AT+CMQTTTOPIC=0,19")
            try await modem.send("AT+CMQTTTOPIC=0,19\r\r\n>")
            let data = try await modem.data(count: topic.count)
            // SIM7670G firmware B05: the data after the prompt, again on its own line, a blank line, OK.
            try await modem.send(data + [0x0D, 0x0A] + data + Array("\r\n\r\nOK\r\n\r\n+CMQTTCONNLOST: 0,1\r\n".utf8))
        }) { engine in
            _ = try await engine.send(SIM7672X.SetPublishTopic.Write(clientIndex: 0, topic: topic))
            return await collect(engine.unsolicited, count: 1)
        }
        #expect(events == [.urc(.connectionLost(.init(clientIndex: 0, cause: .init(rawValue: 1))))])
    }

    @Test func strayLinesCarryNoSecretAndLateAnswersAreTyped() async throws {
        let log = CapturedLog()
        let password = "pa55-w0rd-xyz"
        let events = try await withEngine(SIM7672X.self, logger: log.logger(), modem: { modem in
            try await modem.expect("AT+CMQTTSTART")
            // An echo of a connect the engine did not send, garbled; then the late result of a connect.
            try await modem.send("AT+CMQTTCONNECT=0,\"tcp://h:1883\",60,1,\"u\",\"\(password)\",9\r\n+CMQTTCONNECT: 0,11\r\nOK\r\n\r\n+CMQTTSTART: 0\r\n")
        }) { engine in
            _ = try await engine.send(SIM7672X.StartService.Execute())
            return await collect(engine.unsolicited, count: 2)
        }
        #expect(!"\(events)".contains(password))
        #expect(!log.text.contains(password))
        guard events.count == 2, case .unrecognized(let line) = events[0], case .stray(let stray) = events[1] else {
            Issue.record("\(events)")
            return
        }
        #expect(line.text == "AT+CMQTTCONNECT=<redacted>")
        #expect(stray.kind == .deferredResult && stray.name == "CMQTTCONNECT")
        let typed = try SIM7672X.Connect.Write.response(from: ATResponseLines(deferred: stray.fields))
        #expect(typed.result?.resultCode == .noConnection)
    }

    @Test func sendingWhileRunIsNotRunningFailsAtOnceSayingSo() async throws {
        let (host, _) = InMemoryTransport.pair()
        let engine = ATEngine(module: SIM7672X.self, transport: host, configuration: ATEngineConfiguration(runStartGrace: .milliseconds(50)))
        var failure: Failure?
        do throws(Failure) {
            _ = try await engine.send(SIM7672X.StartService.Execute())
        } catch {
            failure = error
        }
        // Not a time-out after the command's own limit (12 s): it says what is wrong.
        guard case .notRunning(let command)? = failure else {
            Issue.record("expected notRunning, got \(String(describing: failure))")
            return
        }
        #expect(command == "AT+CMQTTSTART")
        #expect("\(failure.map(String.init(describing:)) ?? "")".contains("run() is not running"))
        await host.close()
    }

    @Test func aTimeOutWithNotOneByteFromTheModemSaysSo() async throws {
        let failure = try await withEngine(SIM7672X.self, modem: { modem in
            try await modem.expect("AT+CMQTTSTOP")
            try await modem.expect("AT+CMQTTSTART")
            try await modem.send("+CMQTTSTART: 23\r\n")
        }) { engine in
            var failures: [Failure] = []
            for request in [SIM7672X.StopService.Execute() as any ATRequest, SIM7672X.StartService.Execute()] {
                do throws(Failure) {
                    if let stop = request as? SIM7672X.StopService.Execute {
                        _ = try await engine.send(stop, timeout: .milliseconds(50))
                    } else if let start = request as? SIM7672X.StartService.Execute {
                        _ = try await engine.send(start, timeout: .milliseconds(300))
                    }
                } catch {
                    failures.append(error)
                }
            }
            return failures
        }
        guard failure.count == 2, case .timedOut(_, _, .finalResult, true) = failure[0], case .timedOut(_, _, _, false) = failure[1] else {
            Issue.record("\(failure)")
            return
        }
        #expect("\(failure[0])".contains("nothing at all came from the modem"))
        #expect(!"\(failure[1])".contains("nothing at all came"))
    }
}
