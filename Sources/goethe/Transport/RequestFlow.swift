import Synchronization

/// Back-pressure for a streaming call's requests: once `highWatermark` messages wait unread by the
/// handler, the stream's flow-control window is no longer topped up, so HTTP/2 holds the client
/// back; it is opened again once the handler has taken them down to `lowWatermark`.
final class RequestFlow: Sendable {
  static let highWatermark = 64
  static let lowWatermark = 16

  private let waiting = Atomic<Int>(0)
  /// Opens the window again; called from the handler's task, it hops to the stream's event loop.
  private let resume: @Sendable () -> Void

  init(resume: @escaping @Sendable () -> Void) { self.resume = resume }

  /// Counts a message handed to the handler; true when reading should pause.
  func received() -> Bool {
    waiting.wrappingAdd(1, ordering: .relaxed).newValue >= Self.highWatermark
  }

  /// Counts a message the handler took.
  func consumed() {
    if waiting.wrappingSubtract(1, ordering: .relaxed).newValue == Self.lowWatermark { resume() }
  }
}
