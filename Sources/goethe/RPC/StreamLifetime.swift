import GRPCCore
import Synchronization

/// Runs the body of a streaming handler so that the handler returns when the body ends, when its
/// client goes away, or when the server shuts down, whichever comes first.
///
/// gRPC reports a client that went away through its RPC cancellation handler rather than by
/// cancelling the handler's task, and a body that waits for its client's next message (a v1
/// consumer holding an event) does not notice cancellation; so the body runs in a task of its own,
/// is cancelled, and is not waited for: once the handler returns, gRPC closes the stream and the
/// body's pending read ends with it.
func runStream(store: EventStore, _ body: @escaping @Sendable () async throws -> Void) async throws {
  let work = Task { try await body() }
  let outcome = FirstOutcome()
  let shutdown = Task {
    try await store.notifier.waitUntilClosed()
    work.cancel()
    outcome.finish(.failure(TopicNotifier.closedError))
  }
  defer { shutdown.cancel() }
  try await withRPCCancellationHandler {
    try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { continuation in
        outcome.start(continuation)
        Task { outcome.finish(await work.result) }
      }
    } onCancel: {
      work.cancel()
      outcome.finish(.failure(CancellationError()))
    }
  } onCancelRPC: {
    work.cancel()
    // gRPC cancels calls when the server shuts down, too; say so rather than "cancelled".
    outcome.finish(.failure(store.notifier.isClosed ? TopicNotifier.closedError : CancellationError()))
  }
}

/// Resumes a continuation with the first outcome reported, ignoring later ones.
private final class FirstOutcome: Sendable {
  private struct State {
    var continuation: CheckedContinuation<Void, any Error>?
    var early: Result<Void, any Error>?
  }

  private let state = Mutex(State())

  func start(_ continuation: CheckedContinuation<Void, any Error>) {
    let early = state.withLock { state -> Result<Void, any Error>? in
      if state.early == nil { state.continuation = continuation }
      return state.early
    }
    if let early { continuation.resume(with: early) }
  }

  func finish(_ result: Result<Void, any Error>) {
    let continuation = state.withLock { state -> CheckedContinuation<Void, any Error>? in
      guard let continuation = state.continuation else {
        if state.early == nil { state.early = result }
        return nil
      }
      state.continuation = nil
      state.early = result
      return continuation
    }
    continuation?.resume(with: result)
  }
}
