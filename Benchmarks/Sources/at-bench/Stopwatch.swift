// Stopwatch.swift: monotonic wall-clock timing, order statistics of samples, and unbuffered output.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Nanoseconds from the monotonic clock.
enum Stopwatch {
    static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    /// Runs `body` and returns how long it took in seconds, with its result.
    static func time<T>(_ body: () throws -> T) rethrows -> (seconds: Double, result: T) {
        let start = now()
        let result = try body()
        return (Double(now() - start) / 1e9, result)
    }
}

/// Order statistics of samples.
enum Statistics {
    static func median(_ values: [Double]) -> Double { percentile(values, 50) }

    /// The nearest-rank percentile `p` (0 to 100) of `values`.
    static func percentile(_ values: [Double], _ p: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(sorted.count - 1, max(0, rank - 1))]
    }
}

/// Unbuffered output: results on standard output, progress on standard error (so a long run
/// shows where it is without mixing into the tables).
enum Output {
    static func line(_ text: String) { write(1, text + "\n") }

    static func progress(_ text: String) { write(2, "… " + text + "\n") }

    private static func write(_ descriptor: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                #if canImport(Glibc)
                    return Glibc.write(descriptor, base + offset, raw.count - offset)
                #else
                    return Darwin.write(descriptor, base + offset, raw.count - offset)
                #endif
            }
            if written <= 0 { return }
            offset += written
        }
    }
}
