// FuzzDecoderSIM800.swift: libFuzzer entry point for the SIM800 decoder (the check is Tests/DecodingTests/Fuzzing/DecoderFuzzCheck.swift).

/// Called by libFuzzer with each input; a broken property stops the process so the input is saved.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDecoderSIM800(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    if let failure = DecoderFuzz.check(input, moduleNamed: "SIM800") { fatalError("SIM800 decoder: \(failure)") }
    return 0
}
