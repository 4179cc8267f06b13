// FuzzDecoderFibocomL610.swift: libFuzzer entry point for the FibocomL610 decoder (the check is Tests/DecodingTests/Fuzzing/DecoderFuzzCheck.swift).

/// Called by libFuzzer with each input; a broken property stops the process so the input is saved.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDecoderFibocomL610(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    if let failure = DecoderFuzz.check(input, moduleNamed: "FibocomL610") { fatalError("FibocomL610 decoder: \(failure)") }
    return 0
}
