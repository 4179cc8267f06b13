// DerivedTimeLimitTests.swift: time limits the spec derives from settings made by earlier commands.

import ATModem
import ATRuntime
import QuectelQMT
import Testing

@Suite("Engine: time limits derived from settings")
struct DerivedTimeLimitTests {
    typealias Failure = ATCommandError<QuectelQMT.FinalResult>

    @Test func aSubscribeWaitsPacketTimeoutTimesRetriesAsTheClientWasConfigured() async throws {
        // QuectelQMT.yaml: AT+QMTSUB's limit is <pkt_timeout> x <retry_times> (BG95 3.2.6), set by AT+QMTCFG="timeout".
        let configure = try QuectelQMT.Configure.Write(.timeout(clientIndex: 0, pktTimeout: 1, retryTimes: 2, timeoutNotice: nil))
        let subscribe = try QuectelQMT.Subscribe.Write(clientIndex: 0, messageID: 1, subscriptions: [.init(topic: "a", qos: .atMostOnce)])
        let form = subscribe.descriptor
        #expect(form.responseTimeSettings == ["pkt_timeout", "retry_times"] && form.responseTimeSettingUnit == 1000)
        _ = try await withEngine(QuectelQMT.self, configuration: ATEngineConfiguration(), modem: { modem in
            try await modem.expect("AT+QMTCFG=\"timeout\",0,1,2")
            try await modem.send("\r\nOK\r\n")
            try await modem.expect("AT+QMTSUB=0,1,\"a\",0")
            // OK, and the result never comes.
            try await modem.send("\r\nOK\r\n")
        }) { engine in
            // The setting's own documented limit (300 ms) is not what is tested: a loaded machine
            // may take longer to answer it, so it gets a generous one of its own.
            _ = try await engine.send(configure, timeout: .seconds(30))
            await #expect {
                try await engine.send(subscribe)
            } throws: { error in
                guard case Failure.timedOut(_, let after, let stage, _) = error else { return false }
                return after == .seconds(2) && stage == .deferredResult
            }
        }
    }

    @Test func aSettingCountsOnlyForTheLinesThatShareItsContext() throws {
        let forms = QuectelQMT.descriptor.forms
        let configure = try #require(forms.first { $0.command == "QMTCFG" && $0.name == "timeout" })
        let subscribe = try #require(forms.first { $0.command == "QMTSUB" && $0.name == "write" })
        var memory = ATSettingMemory(module: QuectelQMT.descriptor)
        #expect(memory.concerns(configure) && memory.concerns(subscribe))
        func fields(_ pairs: [(String, String)]) -> [CapturedField] { pairs.map { CapturedField(name: $0.0, text: $0.1, quoted: false) } }
        // Nothing set yet: the documented figure applies.
        #expect(memory.limit(subscribe, fields: fields([("client_idx", "0")])) == nil)
        memory.succeeded(configure, fields: fields([("client_idx", "1"), ("pkt_timeout", "10"), ("retry_times", "3")]))
        #expect(memory.limit(subscribe, fields: fields([("client_idx", "1")])) == 30_000)
        #expect(memory.limit(subscribe, fields: fields([("client_idx", "0")])) == nil, "client 1's setting is not client 0's")
        // A later setting for the same client replaces the earlier one.
        memory.succeeded(configure, fields: fields([("client_idx", "1"), ("pkt_timeout", "4"), ("retry_times", "2")]))
        #expect(memory.limit(subscribe, fields: fields([("client_idx", "1")])) == 8_000)
    }
}
