// FuzzDecoderQuectelQMT.swift: libFuzzer entry point for the QuectelQMT decoder (the check is Tests/DecodingTests/Fuzzing/DecoderFuzzCheck.swift).

/// Called by libFuzzer with each input; a broken property stops the process so the input is saved.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDecoderQuectelQMT(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    if let failure = DecoderFuzz.check(input, moduleNamed: "QuectelQMT") { fatalError("QuectelQMT decoder: \(failure)") }
    return 0
}
