// Memory.swift: the process's resident memory and its peak, read from /proc, with the peak reset between steps.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Resident set size readings (Linux).
enum Memory {
    /// Kibibytes of `VmRSS` (now) and `VmHWM` (peak since start or the last reset).
    static func read() -> (current: Int, peak: Int) {
        guard let status = Machine.readText("/proc/self/status") else { return (0, 0) }
        var current = 0
        var peak = 0
        for line in status.split(separator: "\n") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count >= 2, let value = Int(parts[1]) else { continue }
            if line.hasPrefix("VmRSS:") { current = value }
            if line.hasPrefix("VmHWM:") { peak = value }
        }
        return (current, peak)
    }

    /// Returns freed heap to the system and resets the peak to the current size; false if the peak cannot be reset.
    @discardableResult
    static func resetPeak() -> Bool {
        trimHeap()
        guard let file = fopen("/proc/self/clear_refs", "w") else { return false }
        defer { fclose(file) }
        return fputs("5", file) >= 0
    }

    /// glibc's `malloc_trim(0)`, looked up at run time (the Glibc module does not export it).
    static func trimHeap() {
        #if canImport(Glibc)
            typealias Trim = @convention(c) (Int) -> Int32
            if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") {
                _ = unsafeBitCast(symbol, to: Trim.self)(0)
            }
        #endif
    }

    /// Runs `body` and returns its result with the peak resident memory it added, in KiB, and the absolute peak.
    static func peak<T>(_ body: () throws -> T) rethrows -> (added: Int, peak: Int, result: T) {
        resetPeak()
        let before = read().current
        let result = try body()
        let after = read().peak
        return (max(0, after - before), after, result)
    }
}
