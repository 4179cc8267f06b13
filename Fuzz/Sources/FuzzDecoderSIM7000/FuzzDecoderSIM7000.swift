// FuzzDecoderSIM7000.swift: libFuzzer entry point for the SIM7000 decoder (the check is Tests/DecodingTests/Fuzzing/DecoderFuzzCheck.swift).

/// Called by libFuzzer with each input; a broken property stops the process so the input is saved.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDecoderSIM7000(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    if let failure = DecoderFuzz.check(input, moduleNamed: "SIM7000") { fatalError("SIM7000 decoder: \(failure)") }
    return 0
}
