import GoetheKit
import Synchronization

/// Wakes readers waiting at the head of a topic when newer events are committed, without polling.
///
/// The notifier remembers each topic's committed head, so a reader that asks to wait for events
/// after an id that is already behind the head returns at once: no wake-up is lost between a
/// reader finding nothing new and it starting to wait.
final class TopicNotifier: Sendable {
  private struct Waiter {
    var token: UInt64
    var after: UInt64
    /// Woken by a reset of what the store planned as well (``reset()``).
    var wakesOnReset: Bool
    var continuation: CheckedContinuation<Void, any Error>
  }

  private struct State {
    var heads: [UInt32: UInt64] = [:]
    var waiters: [UInt32: [Waiter]] = [:]
    /// Deleted topics: a wait on one returns at once.
    var retired: Set<UInt32> = []
    var closeWaiters: [UInt64: CheckedContinuation<Void, any Error>] = [:]
    var nextToken: UInt64 = 0
    var resets: UInt64 = 0
    var closed = false
  }

  private let state = Mutex(State())

  /// Records that `topic`'s committed head is now `head` and wakes the readers waiting for it.
  func publish(topic: UInt32, head: UInt64) {
    let woken = state.withLock { state -> [Waiter] in
      state.heads[topic, default: 0] = max(state.heads[topic, default: 0], head)
      guard !state.waiters.isEmpty, var waiting = state.waiters[topic] else { return [] }
      let ready = waiting.filter { $0.after < head }
      waiting.removeAll { $0.after < head }
      state.waiters[topic] = waiting.isEmpty ? nil : waiting
      return ready
    }
    for waiter in woken { waiter.continuation.resume() }
  }

  /// How many times what the store planned was reset (``reset()``).
  var resets: UInt64 { state.withLock { $0.resets } }

  /// Records that writes the store planned may never be written, as a write failed or the store
  /// read its state again from the disk, and wakes the waits that asked for it: what they waited
  /// for may be gone.
  func reset() {
    let woken = state.withLock { state -> [Waiter] in
      state.resets += 1
      var woken: [Waiter] = []
      for (topic, waiting) in state.waiters where waiting.contains(where: \.wakesOnReset) {
        woken += waiting.filter(\.wakesOnReset)
        let staying = waiting.filter { !$0.wakesOnReset }
        state.waiters[topic] = staying.isEmpty ? nil : staying
      }
      return woken
    }
    for waiter in woken { waiter.continuation.resume() }
  }

  /// Takes up the heads the store read again from the disk: a truncation may have lowered them,
  /// and a head kept above a topic's would make a wait at its new head return at once, and its
  /// reader look again and again. The waits on a topic no longer there are woken, to find it gone.
  func reload(heads: [UInt32: UInt64]) {
    let woken = state.withLock { state -> [Waiter] in
      state.heads = heads
      var woken: [Waiter] = []
      for (topic, waiting) in state.waiters {
        let isReady = { (waiter: Waiter) in heads[topic].map { waiter.after < $0 } ?? true }
        woken += waiting.filter(isReady)
        let staying = waiting.filter { !isReady($0) }
        state.waiters[topic] = staying.isEmpty ? nil : staying
      }
      return woken
    }
    for waiter in woken { waiter.continuation.resume() }
  }

  /// How many wait for `topic`'s head to pass what they saw.
  func waiterCount(topic: UInt32) -> Int { state.withLock { $0.waiters[topic]?.count ?? 0 } }

  /// Wakes the readers waiting on the deleted `topics`, now and later, so that they look again and
  /// find the topic gone.
  func retire(_ topics: [UInt32]) {
    let woken = state.withLock { state -> [Waiter] in
      state.retired.formUnion(topics)
      return topics.flatMap { state.waiters.removeValue(forKey: $0) ?? [] }
    }
    for waiter in woken { waiter.continuation.resume() }
  }

  /// Returns once `topic` has an event with an id greater than `after`, or is deleted, or, given
  /// `resetsSeen` (``resets`` read before the caller looked at the store), once the store has reset
  /// what it planned since; throws `CancellationError` when the calling task is cancelled and
  /// ``GoetheError/Code/unavailable`` when the store closes.
  func wait(topic: UInt32, after: UInt64, resetsSeen: UInt64? = nil) async throws {
    let token = newToken()
    try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
        let outcome = state.withLock { state -> Result<Void, any Error>? in
          if state.closed { return .failure(EventLogWaits.ended) }
          if Task.isCancelled { return .failure(CancellationError()) }
          if (state.heads[topic] ?? 0) > after || state.retired.contains(topic) { return .success(()) }
          if let resetsSeen, state.resets != resetsSeen { return .success(()) }
          state.waiters[topic, default: []].append(
            Waiter(token: token, after: after, wakesOnReset: resetsSeen != nil, continuation: continuation))
          return nil
        }
        if let outcome { continuation.resume(with: outcome) }
      }
    } onCancel: {
      let waiter = state.withLock { state -> Waiter? in
        guard let index = state.waiters[topic]?.firstIndex(where: { $0.token == token }) else { return nil }
        return state.waiters[topic]?.remove(at: index)
      }
      waiter?.continuation.resume(throwing: CancellationError())
    }
  }

  /// Returns once ``close()`` is called; throws `CancellationError` if the task is cancelled first.
  func waitUntilClosed() async throws {
    let token = newToken()
    try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
        let outcome = state.withLock { state -> Result<Void, any Error>? in
          if state.closed { return .success(()) }
          if Task.isCancelled { return .failure(CancellationError()) }
          state.closeWaiters[token] = continuation
          return nil
        }
        if let outcome { continuation.resume(with: outcome) }
      }
    } onCancel: {
      state.withLock { $0.closeWaiters.removeValue(forKey: token) }?.resume(throwing: CancellationError())
    }
  }

  private func newToken() -> UInt64 {
    state.withLock { state in
      state.nextToken += 1
      return state.nextToken
    }
  }

  /// Whether ``close()`` was called: the store is shutting down.
  var isClosed: Bool { state.withLock { $0.closed } }

  /// Ends every wait with ``GoetheError/Code/unavailable``; later waits fail at once.
  func close() {
    let (all, closeWaiters) = state.withLock { state in
      state.closed = true
      defer {
        state.waiters.removeAll()
        state.closeWaiters.removeAll()
      }
      return (state.waiters.values.flatMap { $0 }, Array(state.closeWaiters.values))
    }
    for waiter in all { waiter.continuation.resume(throwing: EventLogWaits.ended) }
    for waiter in closeWaiters { waiter.resume() }
  }
}
