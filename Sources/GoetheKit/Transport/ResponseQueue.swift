import GRPCCore
import NIOCore
import Synchronization

/// What a call's stream received and its caller has not read yet: filled on the stream's event
/// loop, read by the caller's task.
///
/// Reading is what opens HTTP/2's flow-control window: the stream's window is not topped up while
/// ``highWater`` parts wait here, so a server streaming to a slow reader is held back by flow
/// control rather than filling this queue.
final class ResponseQueue: AsyncSequence, Sendable {
  typealias Part = RPCResponsePart<GRPCFrameBytes>
  typealias Element = Part

  /// Parts held before the stream's window closes, and the count below which it opens again.
  static let highWater = 32
  static let lowWater = 8

  private struct State {
    var parts = CircularBuffer<Part>()
    /// Set once the stream ended: nil after its status, else why it failed.
    var end: Result<Void, any Error>?
    var reader: CheckedContinuation<Part?, any Error>?
    var cancelled = false
    var readsPaused = false
  }

  private let state = Mutex(State())
  /// Opens the stream's window again once the caller caught up.
  private let resume: @Sendable () -> Void

  init(resume: @escaping @Sendable () -> Void) { self.resume = resume }

  /// Whether the response has ended, with its status or a failure.
  var isFinished: Bool { state.withLock { $0.end != nil } }

  /// Whether the stream waits for the caller to read before its window opens again.
  var readsPaused: Bool { state.withLock { $0.readsPaused } }

  // MARK: The stream's side

  /// Adds `part`; a waiting reader gets it at the next ``deliver()``.
  func append(_ part: Part) {
    state.withLock { state in
      guard state.end == nil else { return }
      state.parts.append(part)
      if state.parts.count >= Self.highWater { state.readsPaused = true }
    }
  }

  /// Wakes a waiting reader with the first part. Called once the stream has handed over all it
  /// read from one read of the socket, so that a reader wakes once for a whole unary response.
  func deliver() {
    let (reader, part) = state.withLock { state -> (CheckedContinuation<Part?, any Error>?, Part?) in
      guard let reader = state.reader, let part = state.parts.popFirst() else { return (nil, nil) }
      state.reader = nil
      return (reader, part)
    }
    if let reader, let part { reader.resume(returning: part) }
  }

  /// Ends the queue: after its parts, the reader gets the end of the sequence, or `error`.
  func finish(throwing error: (any Error)? = nil) {
    let (reader, next) = state.withLock { state -> (CheckedContinuation<Part?, any Error>?, Result<Part?, any Error>) in
      guard state.end == nil else { return (nil, .success(nil)) }
      let end: Result<Void, any Error> = error.map { .failure($0) } ?? .success(())
      state.end = end
      guard let reader = state.reader else { return (nil, .success(nil)) }
      state.reader = nil
      if let part = state.parts.popFirst() { return (reader, .success(part)) }
      return (reader, end.map { nil })
    }
    reader?.resume(with: next)
  }

  // MARK: The caller's side

  func next() async throws -> Part? {
    enum Step {
      case part(Part, resume: Bool)
      case end(Result<Void, any Error>)
      case wait
    }
    let step = state.withLock { state -> Step in
      if let part = state.parts.popFirst() {
        let resume = state.readsPaused && state.parts.count <= Self.lowWater
        if resume { state.readsPaused = false }
        return .part(part, resume: resume)
      }
      if let end = state.end { return .end(end) }
      return .wait
    }
    switch step {
    case .part(let part, let resume):
      if resume { self.resume() }
      return part
    case .end(let end):
      try end.get()
      return nil
    case .wait:
      return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { reader in
          let ready = state.withLock { state -> Result<Part?, any Error>? in
            if state.cancelled { return .failure(Self.cancelled) }
            if let part = state.parts.popFirst() { return .success(part) }
            if let end = state.end { return end.map { nil } }
            state.reader = reader
            return nil
          }
          if let ready { reader.resume(with: ready) }
        }
      } onCancel: {
        let reader = state.withLock { state in
          state.cancelled = true
          defer { state.reader = nil }
          return state.reader
        }
        reader?.resume(throwing: Self.cancelled)
      }
    }
  }

  /// What a reader whose task was cancelled gets: gRPC's CANCELLED, which GRPCCore passes on as
  /// it is (it would call a bare CancellationError from a transport an unknown failure).
  private static let cancelled = RPCError(code: .cancelled, message: "the call was cancelled")

  struct AsyncIterator: AsyncIteratorProtocol {
    let queue: ResponseQueue
    mutating func next() async throws -> Part? { try await queue.next() }
  }

  func makeAsyncIterator() -> AsyncIterator { AsyncIterator(queue: self) }
}
