import Foundation
import GoetheKit
import Synchronization

/// Runs one subscription for tail, replay and consume: says where it really starts, prints the
/// events, shows progress on a terminal, and hands each batch to `afterBatch` once it is written out.
struct EventStream: Sendable {
  enum Origin: Sendable {
    /// A position as typed.
    case position(String)
    /// A consumer's stored cursor.
    case consumer(String)
    /// The end of the topic.
    case tail
    /// Just after the last event printed before a reconnection, which needs no note.
    case resumed
  }

  var topic: String
  var from: ReadStartRequest
  /// What the person asked for, for the start note.
  var origin: Origin
  var to: ReadBound?
  var limit: UInt64?
  var follow: Bool
  var console: Console
  var layout = EventLayout()
  /// The verb of the summary a terminal gets at the end, `replayed` in `replayed 6 events`; none for tail.
  var summary: String? = nil

  /// - Parameters:
  ///   - onStart: called once the server has accepted the subscription.
  ///   - afterBatch: called with each batch once it is written out.
  func run(
    _ client: GoetheClient, onStart: @escaping @Sendable () -> Void = {},
    afterBatch: @escaping @Sendable ([StoredEvent]) async throws -> Void = { _ in }
  ) async throws {
    // A limit of 0 reads none, as `tail -n 0` does; the server reads 0 as no limit, so the
    // stream is bounded before any event instead: the topic and start are still checked.
    let none = limit == 0
    try await client.subscribe(
      topic, from: from, to: none ? .event(0) : to, limit: none ? nil : limit, follow: follow && !none
    ) { subscription in
      onStart()
      if !none { noteStart(subscription) }
      let printer = EventPrinter(console: console, layout: layout)
      var progress = ProgressMeter(console: console, total: expectedCount(subscription))
      var printed = 0
      for try await batch in subscription {
        progress.clear()
        batch.forEach(printer.print)
        console.flush()
        try await afterBatch(batch)
        progress.advance(by: batch.count)
        printed += batch.count
      }
      progress.finish()
      if let summary { console.summary("\(summary) \(printed == 1 ? "1 event" : "\(printed) events")") }
    }
  }

  /// One line on stderr when the start is not exactly what was asked for: the nearest following
  /// event, the first event at or after a time, the first event retention kept, or the next event
  /// to arrive.
  private func noteStart(_ subscription: Subscription) {
    let start = subscription.start
    let waiting = follow ? "; waiting for the next one" : ""
    switch (start.resolution, origin) {
    case (.exact, _):
      break
    case (.nearest, .position(let text)):
      guard let id = start.eventID else { break }
      if case .position(.event(let requested)) = from {
        console.note("no event \(requested); starting at the next one, \(id) (\(console.time(id)))")
      } else {
        console.note("starting at \(id) (\(console.time(id))), the first event at or after \"\(text)\"")
      }
    case (.nearest, _):
      break
    case (.firstRetained, _):
      guard let id = start.eventID else { break }
      let whose = if case .consumer(let consumer) = origin { "consumer \(consumer)'s cursor" } else { "the position" }
      console.noteResumingAtFirstRetained(whose, id)
    case (.waiting, .position(let text)):
      console.note("no event at or after \"\(text)\" yet" + waiting)
    case (.waiting, .consumer(let consumer)):
      console.note("consumer \(consumer) has read every event of \(topic)" + waiting)
    case (.waiting, .resumed):
      break
    case (.waiting, .tail):
      // `tail -n 0` starts after the head on purpose; only an empty topic is worth a note.
      guard subscription.headSequence == 0 else { break }
      console.note("topic \(topic) has no events yet" + waiting)
    }
  }

  /// How many events the stream will deliver without following, when the head tells.
  private func expectedCount(_ subscription: Subscription) -> UInt64? {
    guard let first = subscription.start.sequence, subscription.headSequence >= first else { return nil }
    let count = subscription.headSequence - first + 1
    return limit.map { min($0, count) } ?? count
  }
}

/// `done/total events, rate/s` on stderr, only when stdout and stderr are both terminals and the
/// stream is longer than a screen.
struct ProgressMeter {
  let console: Console
  let total: UInt64?
  private let enabled: Bool
  private var done: UInt64 = 0
  private let started = ContinuousClock.now
  private var shown = false

  init(console: Console, total: UInt64?) {
    self.console = console
    self.total = total
    enabled =
      console.stdoutIsTerminal && console.stderrIsTerminal && console.format != .raw
      && (total ?? 0) > UInt64(console.height)
  }

  mutating func advance(by count: Int) {
    done += UInt64(count)
    guard enabled, let total else { return }
    let seconds = max(
      Double((ContinuousClock.now - started).components.attoseconds) / 1e18
        + Double((ContinuousClock.now - started).components.seconds), 0.001)
    let rate = Int(Double(done) / seconds)
    StandardError.write("\r\u{1B}[2K\(done)/\(total) events, \(rate)/s")
    shown = true
  }

  /// Removes the progress line before events are printed under it.
  mutating func clear() {
    guard shown else { return }
    StandardError.write("\r\u{1B}[2K")
    shown = false
  }

  mutating func finish() { clear() }
}
