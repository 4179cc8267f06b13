// EngineBehaviourTests.swift: correlation, interleaved URCs, prompts, failures, time-outs, cancellation and recovery.

import ATModem
import ATRuntime
import FibocomL610
import Logging
import SIM7672X
import SIM800
import Testing

@Suite("Engine", .timeLimit(.minutes(1)))
struct EngineBehaviourTests {
    typealias Failure = ATCommandError<SIM7672X.FinalResult>

    // MARK: Deferred results

    @Test(arguments: [
        "\r\nOK\r\n\r\n+CMQTTSTART: 0\r\n",  // A76xx firmware: OK, then the result
        "\r\n+CMQTTSTART: 0\r\n\r\nOK\r\n",  // SIM7600 firmware: the result, then OK
    ])
    func deferredResultBeforeOrAfterOK(_ answer: String) async throws {
        let response = try await withEngine(SIM7672X.self, modem: { modem in
            try await modem.expect("AT+CMQTTSTART")
            try await modem.send("AT+CMQTTSTART\r" + answer)
        }) { engine in
            try await engine.send(SIM7672X.StartService.Execute())
        }
        #expect(response.result?.resultCode == .operationSucceeded)
    }

    @Test func failedConnectReportsTheResultLineBeforeERROR() async throws {
        let request = try SIM7672X.Connect.Write(clientIndex: 0, serverAddress: "tcp://broker:1883", keepAliveTime: 60, cleanSession: true)
        let line = String(decoding: request.encode().dropLast(), as: UTF8.self)
        await #expect {
            try await withEngine(SIM7672X.self, modem: { modem in
                try await modem.expect(line)
                try await modem.send("\r\n+CMQTTCONNECT: 0,3\r\n\r\nERROR\r\n")
            }) { engine in
                try await engine.send(request)
            }
        } throws: { error in
            guard case Failure.failed(_, let result, let lines) = error else { return false }
            let typed = try? SIM7672X.Connect.Write.response(from: lines)
            return result == .base(.error) && typed?.result?.resultCode == .sockConnectFail && typed?.result?.clientIndex == 0
        }
    }

    @Test func okThenAFailingResultIsAFailure() async throws {
        await #expect {
            try await withEngine(SIM7672X.self, modem: { modem in
                try await modem.expect("AT+CMQTTSTART")
                try await modem.send("\r\nOK\r\n\r\n+CMQTTSTART: 23\r\n")
            }) { engine in
                try await engine.send(SIM7672X.StartService.Execute())
            }
        } throws: { error in
            guard case Failure.failed(_, let result, let lines) = error else { return false }
            let typed = try? SIM7672X.StartService.Execute.response(from: lines)
            return result == nil && typed?.result?.resultCode == .networkIsOpened && "\(error)".contains("AT+CMQTTSTART failed")
        }
    }

    @Test func resultAfterERRORWithinTheGracePeriodIsAttributed() async throws {
        await #expect {
            try await withEngine(SIM7672X.self, configuration: .patient { $0.deferredGraceAfterError = .seconds(30) }, modem: { modem in
                try await modem.expect("AT+CMQTTSTART")
                try await modem.send("\r\nERROR\r\n")
                try await Task.sleep(for: .milliseconds(20))
                try await modem.send("\r\n+CMQTTSTART: 23\r\n")
            }) { engine in
                try await engine.send(SIM7672X.StartService.Execute())
            }
        } throws: { error in
            guard case Failure.failed(_, let result, let lines) = error else { return false }
            return result == .base(.error) && lines.deferred?.first?.text == "23"
        }
    }

    @Test func cmeErrorIsTypedWithItsCode() async throws {
        let error = await #expect(throws: Failure.self) {
            try await withEngine(SIM7672X.self, modem: { modem in
                try await modem.expect("AT+CMQTTSTOP")
                try await modem.send("\r\n+CME ERROR: 10\r\n")
            }) { engine in
                try await engine.send(SIM7672X.StopService.Execute())
            }
        }
        guard case .failed(_, let result, _)? = error else {
            Issue.record("expected a failure, got \(String(describing: error))")
            return
        }
        #expect(result == .base(.cmeError(err: .simNotInserted)))
        #expect(error?.description == "AT+CMQTTSTOP failed: +CME ERROR: 10: SIM not inserted")
    }

    @Test func l610ModuleErrorCarriesTheManualsMeaning() async throws {
        let request = try FibocomL610.Open.Write(clientID: 1, host: "broker", port: 1883, cleanSession: false, keepAlive: 80)
        let line = String(decoding: request.encode().dropLast(), as: UTF8.self)
        let error = await #expect(throws: ATCommandError<FibocomL610.FinalResult>.self) {
            try await withEngine(FibocomL610.self, modem: { modem in
                try await modem.expect(line)
                try await modem.send("\r\nERROR: 704\r\n")
            }) { engine in
                try await engine.send(request)
            }
        }
        guard case .failed(_, let result?, _)? = error, case .mqttError(let code) = result else {
            Issue.record("expected ERROR: <err>, got \(String(describing: error))")
            return
        }
        #expect(code.rawValue == 704)
        #expect(result.description.hasPrefix("ERROR: 704: "))
        #expect(result.description.count > "ERROR: 704: ".count)
    }

    // MARK: URCs never lost

    @Test func urcsBetweenEchoAndOKBetweenOKAndResultAndDuringAPrompt() async throws {
        let topic = Array("simcommsg".utf8)
        let (events, response) = try await withEngine(SIM7672X.self, modem: { modem in
            try await modem.expect("AT+CMQTTTOPIC=0,9")
            try await modem.send("AT+CMQTTTOPIC=0,9\r\r\n+CMQTTCONNLOST: 0,1\r\n\r\n>")
            let data = try await modem.data(count: 9)
            #expect(data == topic)
            try await modem.send("\r\n+CMQTTNONET\r\n\r\nOK\r\n")
            try await modem.expect("AT+CMQTTSTART")
            try await modem.send("AT+CMQTTSTART\r\r\nOK\r\n\r\n+CMQTTCONNLOST: 1,2\r\n\r\n+CMQTTSTART: 0\r\n")
        }) { engine in
            _ = try await engine.send(SIM7672X.SetPublishTopic.Write(clientIndex: 0, topic: topic))
            let response = try await engine.send(SIM7672X.StartService.Execute())
            return (await collect(engine.unsolicited, count: 3), response)
        }
        #expect(response.result?.isSuccess == true)
        #expect(events == [
            .urc(.connectionLost(.init(clientIndex: 0, cause: .init(rawValue: 1)))),
            .urc(.noNetwork),
            .urc(.connectionLost(.init(clientIndex: 1, cause: .init(rawValue: 2)))),
        ])
    }

    @Test func promptSendsExactlyTheDeclaredDataEvenWhenEchoedRightAfterThePrompt() async throws {
        let payload = (0..<10240).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        _ = try await withEngine(SIM7672X.self, chunks: [1000, 3, 517], modem: { modem in
            try await modem.expect("AT+CMQTTPAYLOAD=0,10240")
            try await modem.send("AT+CMQTTPAYLOAD=0,10240\r\r\n>")
            let data = try await modem.data(count: 10240)
            #expect(data == payload)
            // The modem echoes the payload right after the prompt, then answers.
            try await modem.send(data + Array("\r\nOK\r\n".utf8))
            let extra = await modem.unread
            #expect(extra.isEmpty)
        }) { engine in
            try await engine.send(SIM7672X.SetPublishPayload.Write(clientIndex: 0, payload: payload))
        }
    }

    @Test func errorInsteadOfThePromptFailsWithoutSendingData() async throws {
        let error = await #expect(throws: Failure.self) {
            try await withEngine(SIM7672X.self, modem: { modem in
                try await modem.expect("AT+CMQTTTOPIC=0,3")
                try await modem.send("\r\nERROR\r\n")
                try await modem.expect("AT+CMQTTSTART")
            }) { engine in
                do {
                    _ = try await engine.send(SIM7672X.SetPublishTopic.Write(clientIndex: 0, topic: Array("a/b".utf8)))
                } catch {
                    // The data was not sent: the next thing the modem reads is the next command.
                    _ = try? await engine.send(SIM7672X.StartService.Execute(), timeout: .milliseconds(50))
                    throw error
                }
            }
        }
        guard case .failed(_, .base(.error)?, _)? = error else {
            Issue.record("expected ERROR, got \(String(describing: error))")
            return
        }
    }

    @Test func longBinaryMessageInPartsArrivesWhole() async throws {
        let payload = (0..<10240).map { UInt8(truncatingIfNeeded: $0 ^ 0xA5) }
        var stream = Array("\r\n+CMQTTRXSTART: 0,9,10240\r\n\r\n+CMQTTRXTOPIC: 0,9\r\nsimcommsg\r\n".utf8)
        var offset = 0
        for part in [1500, 1500, 4096, 3144] {
            stream += Array("\r\n+CMQTTRXPAYLOAD: 0,\(part)\r\n".utf8) + payload[offset..<(offset + part)]
            offset += part
        }
        stream += Array("\r\n+CMQTTRXEND: 0\r\n".utf8)
        let bytes = stream
        let events = try await withEngine(SIM7672X.self, chunks: [7, 1024, 333], modem: { modem in
            try await modem.send(bytes)
        }) { engine in
            await collect(engine.unsolicited, count: 1)
        }
        guard case .urc(.receivedMessage(let message))? = events.first else {
            Issue.record("expected a message, got \(events)")
            return
        }
        #expect(message.payload == payload)
        #expect(message.topic == Array("simcommsg".utf8))
        #expect(message.payloadTotalLength == 10240)
    }

    @Test func aConfiguredLimitDropsAndCountsWhatTheConsumerCannotTake() async throws {
        let configuration = ATEngineConfiguration.patient { $0.unsolicitedBufferLimit = 2 }
        let (events, dropped) = try await withEngine(SIM7672X.self, configuration: configuration, modem: { modem in
            try await modem.send("\r\n+CMQTTNONET\r\n\r\n+CMQTTCONNLOST: 0,1\r\n\r\n+CMQTTNONET\r\n\r\n+CMQTTNONET\r\n")
            try await modem.expect("AT+CMQTTSTART")
            try await modem.send("\r\n+CMQTTSTART: 0\r\n\r\nOK\r\n")
        }) { engine in
            // The command completes after all four URCs were routed; nobody read them yet.
            _ = try await engine.send(SIM7672X.StartService.Execute())
            return (await collect(engine.unsolicited, count: 2), await engine.droppedUnsolicitedCount)
        }
        #expect(events == [.urc(.noNetwork), .urc(.connectionLost(.init(clientIndex: 0, cause: .init(rawValue: 1))))])
        #expect(dropped == 2)
    }

    // MARK: Time-outs, cancellation, recovery

    @Test func timeoutFailsTypedAndTheEngineStaysUsable() async throws {
        let configuration = ATEngineConfiguration.patient { $0.settleAfterAbandon = .seconds(2) }
        let timedOut = Signal()
        let (error, response, events) = try await withEngine(SIM7672X.self, configuration: configuration, modem: { modem in
            try await modem.expect("AT+CMQTTSTOP")
            // Silence past the time limit, then the late answer while the engine settles.
            await timedOut.wait()
            try await modem.send("\r\nOK\r\n\r\n+CMQTTSTOP: 0\r\n")
            try await modem.expect("AT+CMQTTSTART")
            try await modem.send("\r\nOK\r\n\r\n+CMQTTSTART: 0\r\n")
        }) { engine in
            var failure: Failure?
            do throws(Failure) {
                _ = try await engine.send(SIM7672X.StopService.Execute(), timeout: .milliseconds(30))
            } catch {
                failure = error
            }
            timedOut.raise()
            let response = try await engine.send(SIM7672X.StartService.Execute())
            return (failure, response, await collect(engine.unsolicited, count: 2))
        }
        guard case .timedOut(let command, let after, let stage, let silent)? = error else {
            Issue.record("expected a time-out, got \(String(describing: error))")
            return
        }
        #expect(command == "AT+CMQTTSTOP" && after == .milliseconds(30) && stage == .finalResult && silent)
        #expect(response.result?.isSuccess == true)
        // The late answer of the abandoned command is reported, not taken for the next command's.
        // `+CMQTTSTOP: 0` is typed as AT+CMQTTSTOP's deferred result, though no command waits for it.
        let ok = ATStray(kind: .finalResult, name: "ok", form: nil, fields: [], line: "OK")
        let stop = ATStray(
            kind: .deferredResult, name: "CMQTTSTOP", form: "execute", fields: [CapturedField(name: "err", text: "0", quoted: false)], line: "+CMQTTSTOP: 0")
        #expect(events == [.stray(ok), .stray(stop)])
    }

    @Test func waitingForTheDeferredResultTimesOutAtThatStage() async throws {
        let error = await #expect(throws: Failure.self) {
            try await withEngine(SIM7672X.self, modem: { modem in
                try await modem.expect("AT+CMQTTSTART")
                try await modem.send("\r\nOK\r\n")
            }) { engine in
                try await engine.send(SIM7672X.StartService.Execute(), timeout: .milliseconds(40))
            }
        }
        guard case .timedOut(_, _, .deferredResult, false)? = error else {
            Issue.record("got \(String(describing: error))")
            return
        }
    }

    @Test func rebootBannerAndGarbageMidCommandDoNotWedgeTheEngine() async throws {
        let configuration = ATEngineConfiguration.patient { $0.settleAfterAbandon = .milliseconds(10) }
        let (error, response, events) = try await withEngine(SIM7672X.self, configuration: configuration, modem: { modem in
            try await modem.expect("AT+CMQTTSTOP")
            try await modem.send([0x00, 0xFF, 0x13, 0x37] + Array("\r\n\r\nRDY\r\n\r\n+CPIN: READY\r\n".utf8))
            try await modem.expect("AT+CMQTTSTART")
            try await modem.send("\r\nOK\r\n\r\n+CMQTTSTART: 0\r\n")
        }) { engine in
            var failure: Failure?
            do throws(Failure) {
                _ = try await engine.send(SIM7672X.StopService.Execute(), timeout: .milliseconds(60))
            } catch {
                failure = error
            }
            let response = try await engine.send(SIM7672X.StartService.Execute())
            return (failure, response, await collect(engine.unsolicited, count: 3))
        }
        guard case .timedOut? = error else {
            Issue.record("expected a time-out, got \(String(describing: error))")
            return
        }
        #expect(response.result?.isSuccess == true)
        // The garbage comes with its bytes as they were, not a lossy text.
        #expect(Array(events.prefix(2)) == [.unrecognized(ATLine(bytes: [0x00, 0xFF, 0x13, 0x37])), .unrecognized("RDY")])
        // The SIM status after the banner is a URC of the base module the SIM7672X builds on.
        guard case .urc(.base(.simStatus))? = events.last else {
            Issue.record("expected +CPIN: READY as a URC, got \(events)")
            return
        }
    }

    @Test func garbageBeforeTheAnswerIsReportedAndTheCommandCompletes() async throws {
        let (response, events) = try await withEngine(SIM800.self, modem: { modem in
            try await modem.expect("AT+SMSTATE?")
            try await modem.send("\r\n~~noise~~\r\n\r\n+SMSTATE: 1\r\n\r\nOK\r\n")
        }) { engine in
            (try await engine.send(SIM800.ConnectionState.Read()), await collect(engine.unsolicited, count: 1))
        }
        #expect(response.line.status.rawValue == 1)
        #expect(events == [.unrecognized("~~noise~~")])
    }

    @Test func withRunningReadsForTheDurationOfItsBody() async throws {
        let (host, device) = InMemoryTransport.pair()
        let modem = ScriptedModem(device)
        let script = Task {
            try await modem.expect("AT+SMSTATE?")
            try await modem.send("\r\n+SMSTATE: 2\r\n\r\nOK\r\n")
        }
        let response = try await ATEngine.withRunning(module: SIM800.self, transport: host, configuration: .patient) { engine in
            try await engine.send(SIM800.ConnectionState.Read())
        }
        try await script.value
        #expect(response.line.status.rawValue == 2)
        // The transport is left open for the caller.
        try await device.send(Array("late".utf8))
        #expect(try await host.receive() == Array("late".utf8))
    }

    @Test func cancellationFailsTheCommandAndTheEngineGoesOn() async throws {
        let (error, response) = try await withEngine(SIM7672X.self, modem: { modem in
            try await modem.expect("AT+CMQTTSTOP")
            try await modem.expect("AT+CMQTTSTART")
            try await modem.send("\r\nOK\r\n\r\n+CMQTTSTART: 0\r\n")
        }) { engine in
            let task = Task { try await engine.send(SIM7672X.StopService.Execute(), timeout: .seconds(30)) }
            try await Task.sleep(for: .milliseconds(20))
            task.cancel()
            let outcome = await task.result
            let response = try await engine.send(SIM7672X.StartService.Execute())
            return (outcome, response)
        }
        guard case .failure(Failure.cancelled(let command)) = error else {
            Issue.record("expected cancellation, got \(error)")
            return
        }
        #expect(command == "AT+CMQTTSTOP")
        #expect(response.result?.isSuccess == true)
    }

    @Test(arguments: [false, true])
    func abandoningAPromptCommandLeavesDataModeWithESC(promptShown: Bool) async throws {
        let timedOut = Signal()
        // The modem's ERROR for the abandoned prompt must come within the settle time to be
        // told apart from the next command's answer; a loaded test machine needs a long one.
        let configuration = ATEngineConfiguration.patient { $0.settleAfterAbandon = .seconds(2) }
        let response = try await withEngine(SIM7672X.self, configuration: configuration, modem: { modem in
            try await modem.expect("AT+CMQTTTOPIC=0,3")
            // The prompt comes too late (or not at all): the engine gives up and sends ESC,
            // so the modem does not take the next command line for the topic's data.
            await timedOut.wait()
            if promptShown { try await modem.send("\r\n>") }
            let escape = try await modem.data(count: 1)
            #expect(escape == [0x1B])
            try await modem.send("\r\nERROR\r\n")
            try await modem.expect("AT+CMQTTSTART")
            try await modem.send("\r\n+CMQTTSTART: 0\r\n\r\nOK\r\n")
        }) { engine in
            let error = await #expect(throws: Failure.self) {
                try await engine.send(SIM7672X.SetPublishTopic.Write(clientIndex: 0, topic: Array("a/b".utf8)), timeout: .milliseconds(30))
            }
            timedOut.raise()
            guard case .timedOut(_, _, .prompt, _)? = error else {
                Issue.record("expected a time-out at the prompt, got \(String(describing: error))")
                return SIM7672X.StartService.ExecuteResponse(result: nil)
            }
            return try await engine.send(SIM7672X.StartService.Execute())
        }
        #expect(response.result?.isSuccess == true)
    }

    @Test func commandsFromManyTasksRunOneAtATimeInOrder() async throws {
        let count = 20
        let indices = try await withEngine(SIM7672X.self, modem: { modem in
            for _ in 0..<count {
                let line = try await modem.command()
                // Nothing else may arrive before this command is answered.
                let unread = await modem.unread
                #expect(unread.isEmpty)
                let index = line.split(separator: "=").last?.split(separator: ",").first.map(String.init) ?? "?"
                try await Task.sleep(for: .milliseconds(1))
                try await modem.send("\r\nOK\r\n\r\n+CMQTTDISC: \(index),0\r\n")
            }
        }) { engine in
            try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<count {
                    group.addTask {
                        let response = try await engine.send(SIM7672X.Disconnect.Write(clientIndex: index % 2, timeout: 60))
                        #expect(response.result?.clientIndex == index % 2)
                        return index
                    }
                }
                var done: [Int] = []
                for try await index in group { done.append(index) }
                return done
            }
        }
        #expect(indices.sorted() == Array(0..<count))
    }

    @Test func transportClosingMidCommandFailsItAndEndsTheStream() async throws {
        let (host, device) = InMemoryTransport.pair()
        let engine = ATEngine(module: SIM7672X.self, transport: host)
        let reader = Task { try await engine.run() }
        let modem = ScriptedModem(device)
        let answer = Task {
            try await modem.expect("AT+CMQTTSTOP")
            await device.close()
        }
        let error = await #expect(throws: Failure.self) {
            try await engine.send(SIM7672X.StopService.Execute())
        }
        guard case .transport(_, .closed)? = error else {
            Issue.record("got \(String(describing: error))")
            return
        }
        try await answer.value
        try await reader.value
        var remaining = 0
        for await _ in engine.unsolicited { remaining += 1 }
        #expect(remaining == 0)
        let later = await #expect(throws: Failure.self) { try await engine.send(SIM7672X.StartService.Execute()) }
        guard case .transport(_, .closed)? = later else {
            Issue.record("got \(String(describing: later))")
            return
        }
    }

    // MARK: Logging

    @Test func secretsAreRedactedInTheLog() async throws {
        let log = CapturedLog()
        let request = try SIM7672X.Connect.Write(clientIndex: 0, serverAddress: "tcp://broker:1883", keepAliveTime: 60, cleanSession: true, userName: "alice", password: "hunter2-secret")
        let line = String(decoding: request.encode().dropLast(), as: UTF8.self)
        #expect(line.contains("hunter2-secret"))
        _ = try await withEngine(SIM7672X.self, logger: log.logger(), modem: { modem in
            try await modem.expect(line)
            try await modem.send(line + "\r\r\nOK\r\n\r\n+CMQTTCONNECT: 0,0\r\n")
        }) { engine in
            try await engine.send(request)
        }
        #expect(log.text.contains("AT+CMQTTCONNECT"))
        #expect(!log.text.contains("hunter2-secret"))
    }
}
