import Synchronization

/// Back-pressure for a streaming call's requests, and their share of the server's request memory.
///
/// Once `highWatermark` messages, or `highBytes` of them, wait unread by the handler, the
/// stream's flow-control window is no longer topped up, so HTTP/2 holds the client back; it is
/// opened again once the handler has taken them down to `lowWatermark` messages and `lowBytes`.
/// The messages waiting count in ``RequestMemory`` until the handler takes them, or the call ends:
/// HTTP/2's window bounds what one stream sends beyond the pause, not what many streams whose
/// handlers read nothing (a producer whose writer waits, a follower applying a write) hold.
final class RequestFlow: Sendable {
  static let highWatermark = 64
  static let lowWatermark = 16
  static let highBytes = 4 << 20
  static let lowBytes = 1 << 20

  /// What ``received(_:)`` makes of a message.
  enum Arrival: Equatable {
    /// Hand it over, and go on reading.
    case read
    /// Hand it over, and stop topping up the stream's window until the handler catches up.
    case pause
    /// The server holds too many request bytes: the call ends instead.
    case refused
  }

  private struct Waiting {
    var messages = 0
    var bytes = 0
    var paused = false
    /// The call ended: what waited was given back, and nothing is counted any more.
    var closed = false
  }

  private let waiting = Mutex(Waiting())
  private let memory: RequestMemory
  /// Opens the window again; called from the handler's task, it hops to the stream's event loop.
  private let resume: @Sendable () -> Void

  init(memory: RequestMemory, resume: @escaping @Sendable () -> Void) {
    self.memory = memory
    self.resume = resume
  }

  /// Counts a message of `bytes` (the storage it keeps) about to be handed to the handler.
  func received(_ bytes: Int) -> Arrival {
    waiting.withLock { waiting in
      guard !waiting.closed else { return .read }
      guard memory.take(bytes) else { return .refused }
      waiting.messages += 1
      waiting.bytes += bytes
      if waiting.messages >= Self.highWatermark || waiting.bytes >= Self.highBytes { waiting.paused = true }
      return waiting.paused ? .pause : .read
    }
  }

  /// Counts a message of `bytes` the handler took.
  func consumed(_ bytes: Int) {
    let resumes = waiting.withLock { waiting in
      guard !waiting.closed else { return false }
      waiting.messages -= 1
      waiting.bytes -= bytes
      memory.give(bytes)
      guard waiting.paused, waiting.messages <= Self.lowWatermark, waiting.bytes <= Self.lowBytes else { return false }
      waiting.paused = false
      return true
    }
    if resumes { resume() }
  }

  /// The call ended: gives back what still waits unread.
  func close() {
    waiting.withLock { waiting in
      guard !waiting.closed else { return }
      waiting.closed = true
      memory.give(waiting.bytes)
      waiting.bytes = 0
    }
  }
}
