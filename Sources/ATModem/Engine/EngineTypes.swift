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

    /// Creates a configuration; every value has a default suited to a serial-attached module.
    public init(
        defaultTimeout: Duration = .seconds(5), latencyAllowance: Duration = .zero, deferredGraceAfterError: Duration = .milliseconds(300),
        settleAfterAbandon: Duration = .milliseconds(100), maximumSettle: Duration = .seconds(2),
        maxLineLength: Int = 4096, maxDataLength: Int = 65536, escapeAbandonedPrompt: Bool = true,
        unsolicitedBufferLimit: Int? = nil
    ) {
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
    /// No answer within the time limit. The engine stays usable.
    case timedOut(command: String, after: Duration, waitingFor: Stage)
    /// The calling task was cancelled while the command was queued or in flight.
    case cancelled(command: String)
    /// The answer did not hold the types the spec gives it.
    case malformedResponse(command: String, ATDecodingError)
    /// The command's form prompts for data but the request carries none.
    case missingPromptData(command: String)
    /// The transport failed or was closed; the engine cannot send any more.
    case transport(command: String, ATTransportError)

    public var description: String {
        switch self {
        case .failed(let command, let result, let lines):
            let deferred = lines.deferred.map { " (result " + $0.map { "\($0.name)=\($0.text)" }.joined(separator: ",") + ")" } ?? ""
            return "\(command) failed: \(result.map(String.init(describing:)) ?? "result line reports failure")\(deferred)"
        case .timedOut(let command, let after, let stage):
            return "\(command) timed out after \(after) waiting for its \(stage.rawValue)"
        case .cancelled(let command):
            return "\(command) cancelled"
        case .malformedResponse(let command, let error):
            return "\(command): malformed response: \(error)"
        case .missingPromptData(let command):
            return "\(command) prompts for data but the request has none"
        case .transport(let command, let error):
            return "\(command): \(error)"
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
    /// A line the spec does not describe (a boot banner such as `RDY`, garbage).
    case unrecognized(String)
    /// A response, final or deferred result that came when no command was waiting for
    /// it: typically the late answer of a command that timed out or was cancelled.
    case stray(String)
    /// Raw bytes nobody expected (an echo of data after its command was abandoned).
    case data([UInt8])
    /// A framing problem (an overlong line, an absurd declared length); decoding went on.
    case framingError(FrameError)
}
