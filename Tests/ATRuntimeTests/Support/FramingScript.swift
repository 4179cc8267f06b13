// FramingScript.swift: test input as modem bytes interleaved with the host's expectation calls.

import ATRuntime

/// One step of a framing test: bytes from the modem, or a call the host makes at that point.
enum Step: Sendable, CustomStringConvertible {
    case text(String)
    case raw([UInt8])
    case expectPrompt
    case expectEcho(String)
    case expectData(Int)

    var description: String {
        switch self {
        case .text(let text): return "text(\(text.debugDescription))"
        case .raw(let bytes): return "raw(\(bytes.count) bytes)"
        case .expectPrompt: return "expectPrompt"
        case .expectEcho(let text): return "expectEcho(\(text.debugDescription))"
        case .expectData(let count): return "expectData(\(count))"
        }
    }
}

/// The bytes of `text`, as UTF-8.
func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// A `.line` event for `text`.
func line(_ text: String) -> FrameEvent { .line(bytes(text)) }

/// A `.data` event for `text`.
func data(_ text: String) -> FrameEvent { .data(bytes(text)) }

/// An `.echo` event for `text`.
func echo(_ text: String) -> FrameEvent { .echo(bytes(text)) }

extension FrameEvent {
    /// The event's kind and byte count, for failure messages about large events.
    var shape: String {
        switch self {
        case .line(let bytes): return "line(\(bytes.count) bytes)"
        case .prompt: return "prompt"
        case .data(let bytes): return "data(\(bytes.count) bytes)"
        case .echo(let bytes): return "echo(\(bytes.count) bytes)"
        case .error(let error): return "error(\(error.debugDescription.prefix(60)))"
        }
    }
}

/// A script flattened: all modem bytes, and each host call with the byte offset it is made at.
struct FlatScript {
    var input: [UInt8] = []
    var calls: [(offset: Int, step: Step)] = []

    init(_ steps: [Step]) {
        for step in steps {
            switch step {
            case .text(let text): input += bytes(text)
            case .raw(let raw): input += raw
            case .expectPrompt, .expectEcho, .expectData: calls.append((input.count, step))
            }
        }
    }

    /// Every byte offset at which a host call is made.
    var callOffsets: [Int] { calls.map(\.offset) }
}
