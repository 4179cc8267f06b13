// DecodedEvent.swift: what the decoder makes of modem output: commands, responses, results, URCs, and what it could not type.

/// One thing the decoder recognised in the byte stream.
public enum DecodedEvent: Sendable, Hashable {
    /// A command line (the modem's echo, or a transcript's command) and the form it matched.
    case command(command: String, form: String, line: String, fields: [CapturedField])
    /// An information line answering the command in flight; `index` is the response it matched.
    case response(command: String, form: String, index: Int, line: String, fields: [CapturedField])
    /// The deferred result of a command, which may come before or after its final result.
    case deferred(command: String, form: String, line: String, fields: [CapturedField])
    /// A final result code.
    case final(name: String, isSuccess: Bool, line: String, fields: [CapturedField])
    /// The data prompt `>`.
    case prompt
    /// Bytes the host sent after a prompt, as the modem echoed them.
    case data([UInt8])
    /// An unsolicited result code, with the lines it was assembled from.
    case urc(URCMatch, lines: [String])
    /// A line the spec does not describe here. Never dropped.
    case unrecognized(String)
    /// A framing problem (a line too long, an absurd declared length); decoding goes on.
    case error(FrameError)
}
