// FuzzFramer.swift: libFuzzer entry point for the framer (the check is Tests/ATRuntimeTests/Fuzzing/FramerFuzzCheck.swift).

/// Called by libFuzzer with each input; a broken property stops the process so the input is saved.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFramer(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    if let failure = FramerFuzz.check(input) { fatalError("framer: \(failure)") }
    return 0
}
