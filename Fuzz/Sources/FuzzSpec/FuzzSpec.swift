// FuzzSpec.swift: libFuzzer entry point for the spec loader and linter (the check is Tests/ATSpecTests/Fuzzing/SpecFuzzCheck.swift).

/// Called by libFuzzer with each input; a broken property stops the process so the input is saved.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSpec(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    if let failure = SpecFuzz.check(input) { fatalError("spec: \(failure)") }
    return 0
}
