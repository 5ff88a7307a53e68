import GoetheKit
import Synchronization

/// Prints the ids of stored events as they are acknowledged: one per line, or JSON lines with
/// topic, id, seq and time; none when quiet. Counts them for the summary a terminal gets at the end.
final class AckPrinter: Sendable {
  let console: Console
  let quiet: Bool
  private let produced = Mutex<(topic: String, count: Int, first: UInt64, last: UInt64)?>(nil)

  init(console: Console, quiet: Bool) {
    self.console = console
    self.quiet = quiet
  }

  /// Prints the ids of `result`'s events, after a note on stderr if the append created the topic
  /// (a typo in a topic name then shows at once).
  func print(_ result: AppendResult) {
    if result.createdTopic { console.note("created topic \(result.topic)") }
    if let last = result.events.last {
      produced.withLock { tally in
        let first = tally?.first ?? result.firstSequence
        tally = (result.topic, (tally?.count ?? 0) + result.count, first, last.sequence)
      }
    }
    guard !quiet else { return }
    for event in result.events {
      switch console.format {
      case .json:
        console.json([
          "topic": .string(result.topic), "id": .string(String(event.id)), "seq": .number(event.sequence),
          "time": .string(console.jsonTime(event.id)),
        ])
      case .text, .raw:
        console.out(String(event.id))
      }
    }
  }

  /// `produced 3 events to t (seq 1..3)`, on a terminal.
  func summarize() {
    guard let tally = produced.withLock({ $0 }) else { return }
    let events = tally.count == 1 ? "1 event" : "\(tally.count) events"
    let sequences = tally.first == tally.last ? "seq \(tally.first)" : "seq \(tally.first)..\(tally.last)"
    console.summary("produced \(events) to \(tally.topic) (\(sequences))")
  }
}
