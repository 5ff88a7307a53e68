import Synchronization

/// Runs async bodies one at a time, in the order they asked: a lock that can be held across
/// suspension points, which an actor cannot (it is reentrant at every await).
final class AsyncTurns: Sendable {
  private struct State {
    var busy = false
    var waiting: [CheckedContinuation<Void, Never>] = []
  }

  private let state = Mutex(State())

  func run<Result: Sendable>(_ body: () async throws -> Result) async throws -> Result {
    await take()
    defer { release() }
    return try await body()
  }

  private func take() async {
    await withCheckedContinuation { continuation in
      let granted = state.withLock { state in
        if state.busy {
          state.waiting.append(continuation)
          return false
        }
        state.busy = true
        return true
      }
      if granted { continuation.resume() }
    }
  }

  private func release() {
    let next = state.withLock { state in
      guard !state.waiting.isEmpty else {
        state.busy = false
        return nil as CheckedContinuation<Void, Never>?
      }
      return state.waiting.removeFirst()
    }
    next?.resume()
  }
}
