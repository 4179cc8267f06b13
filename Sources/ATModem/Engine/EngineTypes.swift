// EngineTypes.swift: the command engine's configuration, its typed errors, and what it reports unsolicited.

import ATRuntime

/// How the command engine waits, bounds memory and recovers.
public struct ATEngineConfiguration: Sendable, Hashable {
    /// The time limit of a command whose form documents no maximum response time.
    public var defaultTimeout: Duration
    /// Added to every time limit taken from the spec or ``defaultTimeout`` (not to one
    /// passed to ``ATEngine/send(_:timeout:)``), for links that add their own delay: a
    /// TCP bridge across a network, a slow USB hub, a loaded host.
    public var latencyAllowance: Duration
    /// After a failure final result (`ERROR`), how long to wait for a deferred
    /// result that some firmware sends after it (`ERROR` then `+CMQTTSTART: 23`).
    /// A deferred result that comes later goes to the unsolicited stream as
    /// ``ATUnsolicitedEvent/stray(_:)``.
    public var deferredGraceAfterError: Duration
    /// After a command was abandoned (timed out or cancelled), the next command
    /// waits until the modem has been quiet this long (counted from the abandonment
    /// and from the last byte received), so that the late answer of the abandoned
    /// command is not taken for the next one's. Lines that arrive meanwhile go to the
    /// unsolicited stream. An answer later than this can still be misattributed: no
    /// AT exchange can tell it apart.
    public var settleAfterAbandon: Duration
    /// The longest wait for quiet after an abandoned command.
    public var maximumSettle: Duration
    /// The longest line the decoder buffers; longer lines are reported as framing errors.
    public var maxLineLength: Int
    /// The largest raw data block (a URC's payload) the decoder buffers.
    public var maxDataLength: Int
    /// Send ESC (0x1B) when a command is abandoned at its data prompt, which makes
    /// SIMCom and Fibocom modules leave data mode without sending anything.
    public var escapeAbandonedPrompt: Bool
    /// The most unsolicited events held for a consumer that is not keeping up; nil
    /// (the default) holds all of them, so nothing is lost. With a limit, events past
    /// it are dropped, counted in ``ATEngine/droppedUnsolicitedCount`` and logged.
    public var unsolicitedBufferLimit: Int?
    /// How long ``ATEngine/send(_:timeout:)`` waits for ``ATEngine/run()`` to start (a task
    /// that runs it may just have been created) before it fails with
    /// ``ATCommandError/notRunning(command:)``.
    public var runStartGrace: Duration
    /// Check the spec's `must` ordering rules before each command and refuse one they forbid
    /// with ``ATCommandError/outOfOrder(_:)``, before anything is sent. Off by default: the
    /// engine cannot see commands sent before it started or by another host.
    public var checksOrderingRules: Bool

    /// Creates a configuration; every value has a default suited to a serial-attached module.
    public init(
        defaultTimeout: Duration = .seconds(5), latencyAllowance: Duration = .zero, deferredGraceAfterError: Duration = .milliseconds(300),
        settleAfterAbandon: Duration = .milliseconds(100), maximumSettle: Duration = .seconds(2),
        maxLineLength: Int = 4096, maxDataLength: Int = 65536, escapeAbandonedPrompt: Bool = true,
        unsolicitedBufferLimit: Int? = nil, runStartGrace: Duration = .milliseconds(250), checksOrderingRules: Bool = false
    ) {
        self.runStartGrace = runStartGrace
        self.checksOrderingRules = checksOrderingRules
        self.defaultTimeout = defaultTimeout
        self.latencyAllowance = latencyAllowance
        self.deferredGraceAfterError = deferredGraceAfterError
        self.settleAfterAbandon = settleAfterAbandon
        self.maximumSettle = maximumSettle
        self.maxLineLength = maxLineLength
        self.maxDataLength = maxDataLength
        self.escapeAbandonedPrompt = escapeAbandonedPrompt
        self.unsolicitedBufferLimit = unsolicitedBufferLimit
    }
}

/// Why a command did not return its typed response.
public enum ATCommandError<Final: ATFinalResult>: Error, Sendable, Hashable, CustomStringConvertible {
    /// What the engine was waiting for when time ran out.
    public enum Stage: String, Sendable, Hashable {
        /// The `>` data prompt.
        case prompt
        /// The final result (`OK`, `ERROR`).
        case finalResult
        /// The deferred result that follows the final result (`+CMQTTSTART: <err>`).
        case deferredResult
    }

    /// The module answered with a failure: a failure final result (`ERROR`,
    /// `+CME ERROR: <err>`, `ERROR: <err>`), or a deferred result whose fields say
    /// the command failed (`+CMQTTCONNECT: 0,3`). `result` is nil when the final result
    /// was `OK` and only the deferred result failed. `lines` holds what answered the
    /// command, so `Request.response(from: lines)` types it.
    case failed(command: String, result: Final?, lines: ATResponseLines)
    /// No answer within the time limit. The engine stays usable. `silent` is true when not
    /// one byte arrived from the modem after the command was sent: usually the wrong port,
    /// the wrong baud rate, or a modem that is off or in data mode.
    case timedOut(command: String, after: Duration, waitingFor: Stage, silent: Bool)
    /// The calling task was cancelled while the command was queued or in flight.
    case cancelled(command: String)
    /// The answer did not hold the types the spec gives it.
    case malformedResponse(command: String, ATDecodingError)
    /// The command's form prompts for data but the request carries none.
    case missingPromptData(command: String)
    /// The transport failed or was closed; the engine cannot send any more.
    case transport(command: String, ATTransportError)
    /// ``ATEngine/run()`` is not running, so no answer could ever be read: start it
    /// (in a task of its own) before sending. Nothing was sent.
    case notRunning(command: String)
    /// With ``ATEngineConfiguration/checksOrderingRules``: the spec's `must` ordering rules
    /// forbid the command now (no `AT+CMQTTACCQ` for this client yet, say). Nothing was sent.
    case outOfOrder(ATRuleViolation)
    /// A raw command line (``ATEngine/send(raw:secrets:timeout:)``) that cannot be sent as one
    /// command: it is empty, or holds CR, LF, Ctrl-Z, ESC or NUL, which would end it early or
    /// start data mode. Nothing was sent.
    case invalidCommandLine(command: String, reason: String)

    public var description: String {
        switch self {
        case .failed(let command, let result, let lines):
            let deferred = lines.deferred.map { " (result " + $0.map { "\($0.name)=\($0.shownText)" }.joined(separator: ",") + ")" } ?? ""
            return "\(command) failed: \(result.map(String.init(describing:)) ?? "result line reports failure")\(deferred)"
        case .timedOut(let command, let after, let stage, let silent):
            let cause = silent ? ": nothing at all came from the modem (check the port, the baud rate and that the modem is on)" : ""
            return "\(command) timed out after \(after) waiting for its \(stage.rawValue)\(cause)"
        case .cancelled(let command):
            return "\(command) cancelled"
        case .malformedResponse(let command, let error):
            return "\(command): malformed response: \(error)"
        case .missingPromptData(let command):
            return "\(command) prompts for data but the request has none"
        case .transport(let command, let error):
            return "\(command): \(error)"
        case .notRunning(let command):
            return "\(command) not sent: the engine's run() is not running, so no answer could be read"
        case .outOfOrder(let violation):
            return "not sent: \(violation)"
        case .invalidCommandLine(let command, let reason):
            return "\(command) not sent: \(reason)"
        }
    }
}

/// Something the modem sent that no command was waiting for. Nothing is dropped:
/// what cannot be typed is reported as it came.
public enum ATUnsolicitedEvent<URC: ATUnsolicited>: Sendable, Hashable {
    /// A URC of the module, typed.
    case urc(URC)
    /// A line that matched one of the module's URCs but whose fields do not hold their types.
    case malformedURC(URCMatch, lines: [String], ATDecodingError)
    /// A line the spec does not describe (a boot banner such as `RDY`, garbage), with its
    /// bytes as they came (``ATLine/text`` for the text).
    case unrecognized(ATLine)
    /// A response, final or deferred result that came when no command was waiting for
    /// it: typically the late answer of a command that timed out or was cancelled, typed
    /// by the spec as far as the line alone allows.
    case stray(ATStray)
    /// A multi-part URC that did not complete (cut off, parts that do not add up to the
    /// declared lengths, too large), with everything collected for it.
    case brokenURC(BrokenURC)
    /// Raw bytes nobody expected (an echo of data after its command was abandoned).
    case data([UInt8])
    /// A framing problem (an overlong line, an absurd declared length); decoding went on.
    case framingError(FrameError)
}

/// A line that answers a command, which arrived when no command was waiting for it.
///
/// Its fields are typed by the spec's line; type them further with the command's request
/// type, e.g. `SIM7672X.Connect.Write.response(from: ATResponseLines(deferred: stray.fields))`.
public struct ATStray: Sendable, Hashable, CustomStringConvertible {
    /// What kind of answer the line is.
    public enum Kind: String, Sendable, Hashable {
        /// An information line of `command`.
        case response
        /// The deferred result of `command`.
        case deferredResult
        /// A final result code; `name` is the final result's.
        case finalResult
    }

    /// What kind of answer it is.
    public var kind: Kind
    /// The command id (for a response or a deferred result) or the final result's name.
    public var name: String
    /// The form whose line it matched, for a response or a deferred result.
    public var form: String?
    /// The captured fields.
    public var fields: [CapturedField]
    /// The line, secrets redacted: its bytes as they came for an answer of a command the
    /// decoder did not see in flight, its text's bytes for one it had already given up on.
    public var line: ATLine

    /// Creates a value.
    public init(kind: Kind, name: String, form: String?, fields: [CapturedField], line: ATLine) {
        self.kind = kind
        self.name = name
        self.form = form
        self.fields = fields
        self.line = line
    }

    public var description: String { "\(line) (\(kind.rawValue) of \(name))" }
}

/// What answered a raw command (``ATEngine/send(raw:secrets:timeout:)``).
public struct ATRawResponse<Final: ATFinalResult>: Sendable, Hashable {
    /// Every line that answered the command, in order, without the echo, the final result and
    /// the URCs: information lines and a deferred result (secret values shown as `***` for a
    /// form of the module), and the lines the spec does not describe, as they came.
    public var lines: [ATLine]
    /// The final result, typed (`.ok`, or `.base(.ok)` for a module that builds on another).
    public var final: Final
    /// When the command line is one of the module's forms: its answer as a typed request of that
    /// form would see it, so `Request.response(from: typed)` types it.
    public var typed: ATResponseLines?

    /// Creates a value.
    public init(lines: [ATLine], final: Final, typed: ATResponseLines? = nil) {
        self.lines = lines
        self.final = final
        self.typed = typed
    }

    /// The lines' text, one string each.
    public var texts: [String] { lines.map(\.text) }
}
