// TransportLock.swift: a value behind a pthread mutex, for the transports' shared state.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A value that is only read or changed while holding a mutex.
///
/// `Synchronization.Mutex` would raise the package's macOS floor to 15; a pthread
/// mutex works everywhere. The mutex is heap-allocated because a pthread mutex
/// must not move once initialised.
final class TransportLock<State: Sendable>: @unchecked Sendable {
    // @unchecked: `state` is only touched inside `withLock`, under `mutex`.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var state: State

    init(_ state: State) {
        self.state = state
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        // A default (non-recursive, non-robust) mutex cannot fail to initialise.
        let status = pthread_mutex_init(mutex, nil)
        precondition(status == 0, "pthread_mutex_init failed with \(status)")
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` with exclusive access to the state. `body` must not call back into this lock.
    func withLock<Result>(_ body: (inout State) -> Result) -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return body(&state)
    }
}
