// FrameSink.swift: where the framer's byte loop puts what it recognises: an event array, or the decoder's batch.

/// Receives what the framer recognises, in order.
protocol FrameSink {
    /// A complete line, without its terminator. `bytes` may be kept after the call only
    /// when `inInput` is true: it then points into the input being framed.
    mutating func line(_ bytes: UnsafeBufferPointer<UInt8>, inInput: Bool)
    /// A prompt, data block, echo or error.
    mutating func frame(_ event: FrameEvent)
}

extension Array: FrameSink where Element == FrameEvent {
    mutating func line(_ bytes: UnsafeBufferPointer<UInt8>, inInput: Bool) { append(.line([UInt8](bytes))) }
    mutating func frame(_ event: FrameEvent) { append(event) }
}

/// What one feed of the framer produced, for the decoder, kept without allocating: a line
/// that lay whole in the input is referred to where it lies, any other line is copied into
/// one reused arena.
///
/// It is `@unchecked Sendable` because it may hold pointers into the input of the feed in
/// progress; the decoder handles and empties it before that feed returns, so no pointer
/// outlives the bytes it points to.
struct FrameBatch: FrameSink, @unchecked Sendable {
    /// One recognised item.
    enum Item {
        /// A slot not in use.
        case none
        /// A line copied into `arena`.
        case storedLine(Range<Int>)
        /// A line that lies in the input being framed.
        case inputLine(UnsafeBufferPointer<UInt8>)
        /// Any other event.
        case event(FrameEvent)
    }

    /// The items; only the first `count` are this batch's.
    private(set) var items: [Item] = []
    /// How many items this batch holds.
    private(set) var count = 0
    /// The bytes of the lines that did not lie whole in the input, back to back.
    private(set) var arena: [UInt8] = []

    mutating func line(_ bytes: UnsafeBufferPointer<UInt8>, inInput: Bool) {
        if inInput {
            append(.inputLine(bytes))
        } else {
            let start = arena.count
            arena.append(contentsOf: bytes)
            append(.storedLine(start..<arena.count))
        }
    }

    mutating func frame(_ event: FrameEvent) { append(.event(event)) }

    private mutating func append(_ item: Item) {
        if count < items.count {
            items[count] = item
        } else {
            items.append(item)
        }
        count += 1
    }

    /// Empties the batch, keeping its storage for the next one.
    mutating func removeAll() {
        for index in 0..<count { items[index] = .none }
        count = 0
        if !arena.isEmpty { arena.removeAll(keepingCapacity: true) }
    }
}
