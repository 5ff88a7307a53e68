import Synchronization

/// A bounded queue between one producer and one consumer that takes everything waiting at once:
/// while the consumer works on one take, the next take gathers.
///
/// `put` waits while `capacity` elements wait; both sides end when the task that waits is
/// cancelled, and `finish` ends the consumer's takes once the queue is drained.
final class BatchingQueue<Element: Sendable>: Sendable {
  private struct State {
    var elements: [Element] = []
    var finished = false
    var taker: CheckedContinuation<Void, any Error>?
    var putter: CheckedContinuation<Void, any Error>?
  }

  private let capacity: Int
  private let state = Mutex(State())

  init(capacity: Int) { self.capacity = capacity }

  func put(_ element: Element) async throws {
    try await wait(for: \.putter) { $0.elements.count < capacity }
    let taker = state.withLock { state in
      state.elements.append(element)
      return state.taker.take()
    }
    taker?.resume()
  }

  /// No more elements will come.
  func finish() {
    let taker = state.withLock { state in
      state.finished = true
      return state.taker.take()
    }
    taker?.resume()
  }

  /// Everything waiting, at least one element; nil once finished and drained.
  func takeAll() async throws -> [Element]? {
    try await wait(for: \.taker) { !$0.elements.isEmpty || $0.finished }
    let (elements, putter) = state.withLock { state in
      defer { state.elements.removeAll(keepingCapacity: true) }
      return (state.elements, state.putter.take())
    }
    putter?.resume()
    return elements.isEmpty ? nil : elements
  }

  /// Waits until `ready` holds, parked in the slot `waiter`.
  private func wait(
    for waiter: any WritableKeyPath<State, CheckedContinuation<Void, any Error>?> & Sendable,
    until ready: (State) -> Bool
  ) async throws {
    while !state.withLock({ ready($0) }) {
      try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
          let resumeNow = state.withLock { state -> Bool in
            if ready(state) || Task.isCancelled { return true }
            state[keyPath: waiter] = continuation
            return false
          }
          if resumeNow { continuation.resume() }
        }
      } onCancel: {
        state.withLock { $0[keyPath: waiter].take() }?.resume(throwing: CancellationError())
      }
      try Task.checkCancellation()
    }
  }
}
