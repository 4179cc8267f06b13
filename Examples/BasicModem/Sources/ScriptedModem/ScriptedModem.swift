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

        /// Creates a reply.
        public init(_ lines: [String], thenUnsolicited: [String] = []) {
            self.lines = lines
            self.thenUnsolicited = thenUnsolicited
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
        while let chunk = try await transport.receive() {
            if echo { try await transport.send(chunk) }
            for byte in chunk {
                switch byte {
                case UInt8(ascii: "\r"):
                    let text = String(decoding: line, as: UTF8.self)
                    let wasOverlong = overlong
                    line.removeAll(keepingCapacity: true)
                    overlong = false
                    if text.isEmpty, !wasOverlong { continue }
                    let reply = wasOverlong ? Reply(["ERROR"]) : replies[text] ?? Reply(["ERROR"])
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
