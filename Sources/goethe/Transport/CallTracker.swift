import Synchronization

/// Counts the calls whose handlers are running, so that the server returns from serving only
/// once every handler has ended: nothing may use the store after the daemon closes it.
final class CallTracker: Sendable {
  private struct State {
    var running = 0
    var idleWaiters: [CheckedContinuation<Void, Never>] = []
  }

  private let state = Mutex(State())

  func started() { state.withLock { $0.running += 1 } }

  func ended() {
    let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
      state.running -= 1
      guard state.running == 0 else { return [] }
      defer { state.idleWaiters.removeAll() }
      return state.idleWaiters
    }
    for waiter in waiters { waiter.resume() }
  }

  /// Returns once no handler runs.
  func waitUntilIdle() async {
    await withCheckedContinuation { continuation in
      let idle = state.withLock { state in
        if state.running == 0 { return true }
        state.idleWaiters.append(continuation)
        return false
      }
      if idle { continuation.resume() }
    }
  }
}
