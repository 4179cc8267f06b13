// ScriptedModem.swift: a simulated module on the device end of a transport, answering like a real one.

import ATModem

/// A module simulated from a script: it echoes what it receives (echo on, as modems
/// start), answers each command line with the script's lines framed `\r\n...\r\n`,
/// sends the script's unsolicited lines after an answer, and answers a command the
/// script does not know with `ERROR`.
public struct ScriptedModem: Sendable {
    /// The answer to one command line.
    public struct Reply: Sendable, Hashable {
        /// The lines of the answer, final result last (`+CSQ: 21,99`, `OK`).
        public var lines: [String]
        /// Lines sent unsolicited after the answer (`+CREG: 1`).
        public var thenUnsolicited: [String]
        /// For a command that prompts for data: how many bytes to take after the `>` prompt
        /// before answering with `lines`.
        public var promptedBytes: Int?

        /// Creates a reply.
        public init(_ lines: [String], thenUnsolicited: [String] = [], promptedBytes: Int? = nil) {
            self.lines = lines
            self.thenUnsolicited = thenUnsolicited
            self.promptedBytes = promptedBytes
        }
    }

    /// The answers, by command line without its CR.
    public var replies: [String: Reply]
    /// Whether received bytes are echoed back.
    public var echo: Bool
    /// The longest command line kept; longer lines are answered with `ERROR`.
    public var maxLineLength: Int

    /// Creates a modem that answers from `replies`.
    public init(replies: [String: Reply], echo: Bool = true, maxLineLength: Int = 556) {
        self.replies = replies
        self.echo = echo
        self.maxLineLength = maxLineLength
    }

    /// Answers command lines from `transport` until it closes.
    public func serve(_ transport: some ATTransport) async throws(ATTransportError) {
        var line: [UInt8] = []
        var overlong = false
        // After a prompt: the data still to take, and the answer to send once it came.
        var awaitingData = 0
        var afterData: Reply?
        while let chunk = try await transport.receive() {
            var rest = chunk[...]
            if awaitingData > 0 {
                let taken = rest.prefix(awaitingData)
                awaitingData -= taken.count
                rest = rest.dropFirst(taken.count)
                if awaitingData == 0, let reply = afterData {
                    afterData = nil
                    try await transport.send(Self.frame(reply.lines))
                    if !reply.thenUnsolicited.isEmpty { try await transport.send(Self.frame(reply.thenUnsolicited)) }
                }
            }
            if echo, !rest.isEmpty { try await transport.send(Array(rest)) }
            for byte in rest {
                switch byte {
                case UInt8(ascii: "\r"):
                    let text = String(decoding: line, as: UTF8.self)
                    let wasOverlong = overlong
                    line.removeAll(keepingCapacity: true)
                    overlong = false
                    if text.isEmpty, !wasOverlong { continue }
                    let reply = wasOverlong ? Reply(["ERROR"]) : replies[text] ?? Reply(["ERROR"])
                    if let count = reply.promptedBytes {
                        // The data follows in this chunk or the next ones; the answer waits for all of it.
                        try await transport.send(Array("\r\n>".utf8))
                        awaitingData = count
                        afterData = reply
                        continue
                    }
                    try await transport.send(Self.frame(reply.lines))
                    if !reply.thenUnsolicited.isEmpty { try await transport.send(Self.frame(reply.thenUnsolicited)) }
                case UInt8(ascii: "\n"):
                    continue
                default:
                    if line.count < maxLineLength { line.append(byte) } else { overlong = true }
                }
            }
        }
    }

    /// Lines as a module sends them: each preceded and followed by CR LF.
    static func frame(_ lines: [String]) -> [UInt8] {
        lines.flatMap { Array("\r\n\($0)\r\n".utf8) }
    }
}

extension ScriptedModem {
    /// A module with a ready SIM that is still searching when asked for its registration
    /// and reports `+CREG: 1` right after; it refuses `AT+CPIN=...` with `+CME ERROR: 3`
    /// because no PIN is asked for. The answers are those of the spec's `start_up` example.
    public static let basic3GPP = ScriptedModem(replies: [
        "AT+CPIN?": Reply(["+CPIN: READY", "OK"]),
        "AT+CSQ": Reply(["+CSQ: 21,99", "OK"]),
        "AT+CREG=1": Reply(["OK"]),
        "AT+CREG?": Reply(["+CREG: 1,2", "OK"], thenUnsolicited: ["+CREG: 1"]),
        "AT+COPS?": Reply(["+COPS: 0,0,\"Example Net\",7", "OK"]),
        "AT+CGATT?": Reply(["+CGATT: 1", "OK"]),
        "AT+CGDCONT=1,\"IP\",\"internet\"": Reply(["OK"]),
        "AT+CGDCONT?": Reply(["+CGDCONT: 1,\"IP\",\"internet\",\"0.0.0.0\",0,0", "OK"]),
        "AT+CPIN=\"1234\"": Reply(["+CME ERROR: 3"]),
    ])
}

extension ScriptedModem {
    /// A SIMCom A7670E (SIM7672X family) during a gateway's bring-up: SIM ready, still
    /// searching when first asked and reporting `+CEREG: 1` right after, a PDP context, then
    /// its MQTT stack connecting and publishing with the results the application note prints.
    /// `sim: "NOT INSERTED"` makes it answer `AT+CPIN?` as a module without a SIM does after
    /// `AT+CMEE=2`.
    public static func gateway(sim: String = "READY", topic: String = "gw/status", payload: Int = 6) -> ScriptedModem {
        var replies: [String: Reply] = [
            "AT+CMEE=2": Reply(["OK"]),
            "AT+CGSN": Reply(["864424040016234", "OK"]),
            "AT+CPIN?": sim == "READY" ? Reply(["+CPIN: READY", "OK"]) : Reply(["+CME ERROR: SIM not inserted"]),
            "AT+CEREG=1": Reply(["OK"]),
            "AT+CEREG?": Reply(["+CEREG: 1,2", "OK"], thenUnsolicited: ["+CEREG: 1"]),
            "AT+CSQ": Reply(["+CSQ: 21,99", "OK"]),
            "AT+CGDCONT=1,\"IP\",\"internet\"": Reply(["OK"]),
            "AT+CGACT=1,1": Reply(["OK"]),
            "AT+CGPADDR=1": Reply(["+CGPADDR: 1,\"10.64.12.7\"", "OK"]),
            "ATI": Reply(["Manufacturer: SIMCOM INCORPORATED", "Model: A7670E-LASE", "Revision: A7670M7_V1.11.1", "IMEI: 864424040016234", "OK"]),
            "AT+CMQTTSTART": Reply(["OK", "+CMQTTSTART: 0"]),
            "AT+CMQTTACCQ=0,\"gateway-17\"": Reply(["OK"]),
            "AT+CMQTTCONNECT=0,\"tcp://broker.example:1883\",60,1": Reply(["OK", "+CMQTTCONNECT: 0,0"]),
            "AT+CMQTTPUB=0,1,60": Reply(["OK", "+CMQTTPUB: 0,0"]),
            "AT+CMQTTDISC=0,60": Reply(["OK", "+CMQTTDISC: 0,0"]),
        ]
        replies["AT+CMQTTTOPIC=0,\(topic.utf8.count)"] = Reply(["OK"], promptedBytes: topic.utf8.count)
        replies["AT+CMQTTPAYLOAD=0,\(payload)"] = Reply(["OK"], promptedBytes: payload)
        return ScriptedModem(replies: replies)
    }
}
