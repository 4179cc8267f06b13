// TypedDecoder.swift: the decoder that reads URCs with a module's generated parsers and leaves the rest to ATDecoder.

/// What ``ATTypedDecoder`` reports: a URC typed as the module's, or any other event of ``ATDecoder``.
public enum ATTypedEvent<URC: ATUnsolicited>: Sendable, Hashable {
    /// A URC of the module, typed.
    case urc(URC)
    /// Any other event, as ``ATDecoder`` reports it. A URC the module's bindings cannot type
    /// (a field that does not hold its type) stays a ``DecodedEvent/urc(_:lines:)`` here, so
    /// that `URC.decode` can say why.
    case event(DecodedEvent)
}

/// Decodes modem output into typed URCs and ``DecodedEvent``s, reading URCs with the parsers
/// `at-bindgen` generated for `Module` (its `URC.scan`) wherever it can.
///
/// Between commands, with nothing held, each line is first offered to the generated parsers:
/// they read a URC's fields straight from the bytes (no per-field text, no lookup by name) and
/// give it up on anything unexpected. Every other line, and everything while a command is in
/// flight, goes to the interpreting ``ATDecoder``. Both read the same: the events are the same
/// with and without the generated parsers (`generatedParsers: false`), however the input is
/// cut; the tests hold them to it on every document example, real capture and fuzz input.
///
/// A URC read by a generated parser comes without its line text; the typed value is all there is.
///
/// ```swift
/// var decoder = ATTypedDecoder<SIM7672X>()
/// interpreter.feed(bytes) { event in
///     if case .urc(.connectionLost(let lost)) = event { print(lost.clientIndex, lost.cause) }
/// }
/// ```
public struct ATTypedDecoder<Module: ATModule>: Sendable {
    /// The interpreting decoder, which takes every line the generated parsers do not.
    public var decoder: ATDecoder { interpreter }
    @usableFromInline var interpreter: ATDecoder
    /// True when lines are offered to the generated parsers first.
    public var usesGeneratedParsers: Bool { generatedParsers }
    @usableFromInline let generatedParsers: Bool
    /// How many URCs the generated parsers read.
    public var generatedCount: Int { scanned }
    @usableFromInline var scanned = 0
    /// The start of a URC the generated parsers need more bytes of.
    @usableFromInline var pending: [UInt8] = []
    /// The interpreting decoder's events of one stretch, in storage kept from stretch to stretch.
    @usableFromInline var events: [DecodedEvent] = []
    @usableFromInline let maxLineLength: Int
    @usableFromInline let maxDataLength: Int

    /// Creates a decoder of `Module`'s output; the bounds are ``ATDecoder``'s, and the bytes held
    /// for a URC the generated parsers wait on stay below `maxLineLength + maxDataLength`.
    public init(maxLineLength: Int = 4096, maxDataLength: Int = 65536, generatedParsers: Bool = true) {
        interpreter = ATDecoder(module: Module.descriptor, maxLineLength: maxLineLength, maxDataLength: maxDataLength)
        self.generatedParsers = generatedParsers
        self.maxLineLength = max(1, maxLineLength)
        self.maxDataLength = max(0, maxDataLength)
    }

    /// Bytes held: in the interpreting decoder, and of a URC waiting for its end.
    public var bufferedByteCount: Int { interpreter.bufferedByteCount + pending.count }

    /// The command in flight, if any (see ``ATDecoder/commandInFlight``).
    public var commandInFlight: FormDescriptor? { interpreter.commandInFlight }

    /// The host is sending `form` (see ``ATDecoder/begin(_:)``).
    public mutating func begin(_ form: FormDescriptor) {
        flushPending()
        interpreter.begin(form)
    }

    /// The host gave up on the command in flight (see ``ATDecoder/abandon()``).
    public mutating func abandon() {
        flushPending()
        interpreter.abandon()
    }

    /// The host sent `bytes` after a prompt (see ``ATDecoder/sent(_:)``).
    public mutating func sent(_ bytes: [UInt8]) {
        flushPending()
        interpreter.sent(bytes)
    }

    /// Decodes the next chunk of modem output, calling `body` with each event in order.
    @inlinable
    public mutating func feed(_ bytes: some Sequence<UInt8>, _ body: (ATTypedEvent<Module.URC>) -> Void) {
        if pending.isEmpty {
            let handled: Void? = bytes.withContiguousStorageIfAvailable { process($0, body) }
            if handled == nil { Array(bytes).withUnsafeBufferPointer { process($0, body) } }
            return
        }
        var held: [UInt8] = []
        swap(&held, &pending)
        held.append(contentsOf: bytes)
        held.withUnsafeBufferPointer { process($0, body) }
    }

    /// Decodes the next chunk of modem output.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [ATTypedEvent<Module.URC>] {
        var result: [ATTypedEvent<Module.URC>] = []
        feed(bytes) { result.append($0) }
        return result
    }

    /// The input has ended: reports what is held (see ``ATDecoder/finish()``).
    public mutating func finish() -> [ATTypedEvent<Module.URC>] {
        var result: [ATTypedEvent<Module.URC>] = []
        // Events of bytes flushed by a host call and not yet delivered come first.
        if !events.isEmpty { deliver { result.append($0) } }
        if !pending.isEmpty {
            var held: [UInt8] = []
            swap(&held, &pending)
            held.withUnsafeBufferPointer { interpret($0) { result.append($0) } }
        }
        for event in interpreter.finish() { result.append(Self.typed(event)) }
        return result
    }

    /// A held URC start goes to the interpreting decoder before the host's next call changes what lines mean.
    private mutating func flushPending() {
        guard !pending.isEmpty else { return }
        var held: [UInt8] = []
        swap(&held, &pending)
        // Its events come with the next feed's: nothing is lost, the order is kept.
        held.withUnsafeBufferPointer { interpreter.feed($0, into: &events) }
    }

    @inlinable
    mutating func process(_ input: UnsafeBufferPointer<UInt8>, _ body: (ATTypedEvent<Module.URC>) -> Void) {
        if !events.isEmpty { deliver(body) }
        let count = input.count
        var position = 0
        while position < count {
            if generatedParsers, interpreter.isIdle {
                var scanner = ATScanner(input, at: position, maxLineLength: maxLineLength, maxDataLength: maxDataLength)
                if let urc = Module.URC.scan(&scanner), scanner.position > position {
                    scanned += 1
                    body(.urc(urc))
                    position = scanner.position
                    continue
                }
                if scanner.exhausted, count - position < maxLineLength + maxDataLength {
                    // More bytes may complete the URC: the line waits, as it would in the framer.
                    pending.append(contentsOf: UnsafeBufferPointer(rebasing: input[position..<count]))
                    return
                }
            }
            var end = LineEnds.first(in: input, from: position, to: count)
            if end < count { end += input[end] == 0x0D && end + 1 < count && input[end + 1] == 0x0A ? 2 : 1 }
            interpreter.feed(UnsafeBufferPointer(rebasing: input[position..<end]), into: &events)
            if !events.isEmpty { deliver(body) }
            position = end
        }
    }

    /// Feeds `input` to the interpreting decoder alone.
    private mutating func interpret(_ input: UnsafeBufferPointer<UInt8>, _ body: (ATTypedEvent<Module.URC>) -> Void) {
        interpreter.feed(input, into: &events)
        deliver(body)
    }

    @inlinable
    mutating func deliver(_ body: (ATTypedEvent<Module.URC>) -> Void) {
        for event in events { body(Self.typed(event)) }
        events.removeAll(keepingCapacity: true)
    }

    /// An event of the interpreting decoder, its URC typed when the bindings can.
    @inlinable
    static func typed(_ event: DecodedEvent) -> ATTypedEvent<Module.URC> {
        if case .urc(let match, _) = event, let urc = try? Module.URC.decode(match) { return .urc(urc) }
        return .event(event)
    }
}
