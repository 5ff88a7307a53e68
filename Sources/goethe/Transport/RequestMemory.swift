import Synchronization

/// The bytes the server holds of requests its handlers have not taken, over all its
/// connections: messages still arriving, the request of a call whose client has not yet ended
/// its side, and the messages of a streaming call waiting for its handler (``RequestFlow``). HTTP/2's flow control bounds what one stream sends, not what 1,024 streams on
/// each of many connections send and never finish; so a call whose request would take the total
/// past the limit fails with RESOURCE_EXHAUSTED instead, and the daemon's memory stays bounded
/// whatever its clients send.
final class RequestMemory: Sendable {
  let limit: Int
  private let held = Atomic<Int>(0)

  init(limit: Int) { self.limit = limit }

  /// What is held now.
  var bytes: Int { held.load(ordering: .relaxed) }

  /// Takes `count` more bytes if that stays within the limit.
  func take(_ count: Int) -> Bool {
    var current = held.load(ordering: .relaxed)
    while true {
      guard current + count <= limit else { return false }
      let (exchanged, original) = held.weakCompareExchange(
        expected: current, desired: current + count, ordering: .relaxed)
      if exchanged { return true }
      current = original
    }
  }

  /// Gives back `count` bytes taken before.
  func give(_ count: Int) { held.subtract(count, ordering: .relaxed) }
}
