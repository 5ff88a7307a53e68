import Synchronization
import Testing

/// Waits until `condition` holds, checking every 20 ms; records an issue and throws if it does not
/// within `timeout`.
func eventually(
  _ what: String, within timeout: Duration = .seconds(10), sourceLocation: SourceLocation = #_sourceLocation,
  _ condition: () async throws -> Bool
) async throws {
  let deadline = ContinuousClock.now + timeout
  while try await !condition() {
    guard ContinuousClock.now < deadline else {
      Issue.record("timed out after \(timeout) waiting until \(what)", sourceLocation: sourceLocation)
      throw TimedOut(what: what)
    }
    try await Task.sleep(for: .milliseconds(20))
  }
}

struct TimedOut: Error {
  var what: String
}

/// Everything a stream yields, as it arrives, until ``cancel()``.
final class Recorder<Element: Sendable>: Sendable {
  private let state = Mutex<(values: [Element], failure: (any Error)?)>(([], nil))
  private let task = Mutex<Task<Void, Never>?>(nil)

  init(_ stream: AsyncThrowingStream<Element, any Error>) {
    let started = Task { [weak self] in
      do {
        for try await value in stream { self?.state.withLock { $0.values.append(value) } }
      } catch {
        self?.state.withLock { $0.failure = error }
      }
    }
    task.withLock { $0 = started }
  }

  var values: [Element] { state.withLock { $0.values } }
  var last: Element? { values.last }
  var failure: (any Error)? { state.withLock { $0.failure } }

  func cancel() { task.withLock { $0?.cancel() } }

  deinit { task.withLock { $0?.cancel() } }
}
