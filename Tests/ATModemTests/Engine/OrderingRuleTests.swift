// OrderingRuleTests.swift: the engine's opt-in check of the spec's ordering rules, before anything is sent.

import ATModem
import ATRuntime
import SIM7672X
import Testing

@Suite("Engine: ordering rules")
struct OrderingRuleTests {
    typealias Failure = ATCommandError<SIM7672X.FinalResult>

    @Test func aCommandTheRulesForbidIsRefusedBeforeItIsSentAndAllowedOnceItsPrerequisiteSucceeded() async throws {
        let checking = ATEngineConfiguration.patient { $0.checksOrderingRules = true }
        let acquire = try SIM7672X.AcquireClient.Write(clientIndex: 0, clientID: "a")
        let connectOther = try SIM7672X.Connect.Write(clientIndex: 1, serverAddress: "tcp://broker:1883", keepAliveTime: 60, cleanSession: true)
        try await withEngine(SIM7672X.self, configuration: checking, modem: { modem in
            // The first line the modem sees is AT+CMQTTSTART: the refused AT+CMQTTACCQ never went out.
            try await modem.expect("AT+CMQTTSTART")
            try await modem.send("\r\nOK\r\n\r\n+CMQTTSTART: 0\r\n")
            try await modem.expect("AT+CMQTTACCQ=0,\"a\"")
            try await modem.send("\r\nOK\r\n")
        }) { engine in
            await #expect {
                try await engine.send(acquire)
            } throws: { error in
                guard case Failure.outOfOrder(let violation) = error else { return false }
                return violation.missing == "AT+CMQTTSTART" && violation.rule.source.hasPrefix("SIM7672X.yaml") && "\(error)".contains("must have succeeded first")
            }
            _ = try await engine.send(SIM7672X.StartService.Execute())
            _ = try await engine.send(acquire)
            // Scoped per client: client 0 is acquired, client 1 is not.
            await #expect {
                try await engine.send(connectOther)
            } throws: { error in
                guard case Failure.outOfOrder(let violation) = error else { return false }
                return violation.missing == "AT+CMQTTACCQ with <client_index> 1"
            }
        }
    }

    @Test func withoutTheOptInNothingIsRefused() async throws {
        let acquire = try SIM7672X.AcquireClient.Write(clientIndex: 0, clientID: "a")
        _ = try await withEngine(SIM7672X.self, modem: { modem in
            try await modem.expect("AT+CMQTTACCQ=0,\"a\"")
            try await modem.send("\r\nERROR\r\n")
        }) { engine in
            await #expect {
                try await engine.send(acquire)
            } throws: { error in
                guard case Failure.failed = error else { return false }
                return true
            }
        }
    }

    @Test func aClearingCommandUndoesWhatItClearsPerScope() throws {
        // SIM7672X.yaml: AT+CMQTTPUB clears the topic and the payload of its client.
        let spec = SIM7672X.descriptor.rules
        #expect(spec.contains { $0.kind == .clears && $0.subject.command == "CMQTTPUB" && $0.others.map(\.command) == ["CMQTTTOPIC", "CMQTTPAYLOAD"] })
        // With a rule that a publish needs its topic, a second publish needs a new topic.
        let rules = [
            RuleDescriptor(
                kind: .mustPrecede, strength: .must, subject: .init(command: "CMQTTTOPIC", scope: "client_index"),
                others: [.init(command: "CMQTTPUB", scope: "client_index")], text: "topic first", source: "test"),
        ] + spec.filter { $0.kind == .clears && $0.subject.command == "CMQTTPUB" }
        var checker = ATRuleChecker(rules: rules)
        let forms = SIM7672X.descriptor.forms
        let topic = try #require(forms.first { $0.command == "CMQTTTOPIC" && $0.name == "write" })
        let publish = try #require(forms.first { $0.command == "CMQTTPUB" && $0.name == "write" })
        func client(_ index: Int) -> [CapturedField] { [CapturedField(name: "client_index", text: "\(index)", quoted: false)] }
        #expect(checker.violation(sending: publish, fields: client(0), label: "AT+CMQTTPUB=0,1,60")?.missing == "AT+CMQTTTOPIC with <client_index> 0")
        checker.succeeded(topic, fields: client(0))
        checker.succeeded(topic, fields: client(1))
        #expect(checker.violation(sending: publish, fields: client(0), label: "AT+CMQTTPUB=0,1,60") == nil)
        checker.succeeded(publish, fields: client(0))
        #expect(checker.violation(sending: publish, fields: client(0), label: "AT+CMQTTPUB=0,1,60") != nil)
        // Client 1's topic is untouched by client 0's publish.
        #expect(checker.violation(sending: publish, fields: client(1), label: "AT+CMQTTPUB=1,1,60") == nil)
        // A test form is never refused.
        let test = try #require(forms.first { $0.command == "CMQTTPUB" && $0.name == "test" })
        #expect(checker.violation(sending: test, fields: [], label: "AT+CMQTTPUB=?") == nil)
    }
}
