import Foundation
import Synchronization

/// Wakes the leader's replication links when a write is committed, so that they send it at once,
/// and at every heartbeat (``LeaderTerm``), when an idle link sends one; and a shared consumer's
/// pump when a member speaks.
final class CommitSignal: Sendable {
  private struct State {
    var generation: UInt64 = 0
    var waiters: [UUID: CheckedContinuation<Void, Never>] = [:]
  }

  private let state = Mutex(State())

  /// A count of the writes signalled so far, to wait past.
  var generation: UInt64 { state.withLock { $0.generation } }

  func publish() {
    let waiters = state.withLock { state in
      state.generation += 1
      defer { state.waiters = [:] }
      return state.waiters.values
    }
    for waiter in waiters { waiter.resume() }
  }

  /// Returns once a write is signalled after `generation`, or after `timeout`, or on cancellation.
  func wait(after generation: UInt64, timeout: Duration) async {
    await withTaskGroup(of: Void.self) { group in
      group.addTask { await self.next(after: generation) }
      group.addTask { try? await Task.sleep(for: timeout) }
      await group.next()
      group.cancelAll()
    }
  }

  /// Returns once a write is signalled after `generation`, or on cancellation.
  func next(after generation: UInt64) async {
    let id = UUID()
    await withTaskCancellationHandler {
      await withCheckedContinuation { continuation in
        let done = state.withLock { state in
          guard state.generation <= generation, !Task.isCancelled else { return true }
          state.waiters[id] = continuation
          return false
        }
        if done { continuation.resume() }
      }
    } onCancel: {
      state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
    }
  }
}
