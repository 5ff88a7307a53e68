import Synchronization

/// Which lines of produce's input are stored, for the message of a failure. The server
/// acknowledges events in the order they were sent, so the stored lines are the first ones sent.
final class StoredLines: Sendable {
  private struct State {
    /// The numbers of lines sent and not yet acknowledged, oldest first.
    var waiting: [Int] = []
    var count = 0
    var first: Int?
    var last: Int?
  }

  private let state = Mutex(State())

  func sent(_ line: InputLine) {
    state.withLock { $0.waiting.append(line.number) }
  }

  /// The server stored the next `count` lines sent.
  func acknowledged(_ count: Int) {
    state.withLock { state in
      let stored = state.waiting.prefix(count)
      state.first = state.first ?? stored.first
      state.last = stored.last ?? state.last
      state.count += stored.count
      state.waiting.removeFirst(stored.count)
    }
  }

  var count: Int { state.withLock { $0.count } }

  /// `stored lines 1 to 5 (4 events)`, or `nothing was stored`.
  var summary: String {
    state.withLock { state in
      guard let first = state.first, let last = state.last else { return "nothing was stored" }
      let events = state.count == 1 ? "1 event" : "\(state.count) events"
      return first == last ? "stored line \(first) (\(events))" : "stored lines \(first) to \(last) (\(events))"
    }
  }
}
