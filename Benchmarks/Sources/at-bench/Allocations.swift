// Allocations.swift: counts the mallocs a piece of code makes, through the linked malloc interposer.

import MallocInterposerSwift

/// Counts heap allocations (malloc, calloc, realloc, posix_memalign) on all threads.
enum Allocations {
    /// Runs `body` with counting on and returns its result and the number of allocations it made.
    static func count<T>(_ body: () throws -> T) rethrows -> (mallocs: Int, result: T) {
        MallocInterposerSwift.initialize()
        MallocInterposerSwift.hook()
        let result = try body()
        MallocInterposerSwift.unhook()
        return (MallocInterposerSwift.getStatistics().mallocCount, result)
    }

    /// True when the interposer sees allocations at all (it does when linked ahead of the C library).
    static var working: Bool {
        let (mallocs, _) = count { () -> Int in
            var array: [Int] = []
            for value in 0..<100 { array.append(value) }
            return array.count
        }
        return mallocs > 0
    }
}
