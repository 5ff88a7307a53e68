import Foundation
import GoetheKit

/// The events of a store's topics: appending, resolving where a read starts, reading, and waiting
/// for what comes next.
protocol EventLog: Sendable {
  /// Appends `payloads` to `topic` atomically: all are stored or none.
  ///
  /// - Parameters:
  ///   - expectedSequence: when set, the append happens only if the topic's head sequence is this
  ///     (0 for an empty topic); otherwise nothing is written and the error names the actual head.
  ///   - createTopic: create the topic (with the default granularity) if it does not exist.
  ///   - producer: the producer stamps of the batches `payloads` holds. If the deduplication
  ///     window holds one of them, nothing is written, and the error is
  ///     ``GoetheError/Code/alreadyExists`` with ``StoredAlready`` as its cause.
  nonisolated(nonsending) func append(
    _ payloads: [Data], to topic: String, expectedSequence: UInt64?, createTopic: Bool, producer: ProducerRun?
  ) async throws -> AppendResult

  /// Where the batch stamped `stamp`, of `count` events for `topic`, went if the deduplication
  /// window holds it, once it is durable; nil if the window does not hold it.
  func earlierAppend(_ stamp: ProducerStamp, to topic: String, count: Int) async throws -> AppendResult?

  /// Resolves `position` in `topic`: a position that names no stored event resolves to the first
  /// event after it, and past the head to the next event to arrive.
  func resolveStart(_ position: Position, in topic: String) throws(GoetheError) -> ReadStart
  /// The start after `consumer`'s stored cursor, or at the beginning if it has none.
  func resolveStart(afterConsumer consumer: String, in topic: String) throws(GoetheError) -> ReadStart
  /// The start `count` events before the head (the whole topic if it has fewer).
  func resolveStart(lastEvents count: UInt64, in topic: String) async throws -> ReadStart

  /// Up to `limit` events of the topic of `start` with ids in `from...through`, in order, stopping
  /// after the event that brings the payload total to `maxBytes`.
  func read(
    _ start: ReadStart, from: UInt64, through: UInt64, limit: Int, maxBytes: Int
  ) throws(GoetheError) -> [StoredEvent]

  /// Visits up to `limit` events of the topic of `start` with ids in `from...through` without
  /// copying their payloads, which are valid only during the call, until `visit` returns false;
  /// returns how many events `visit` accepted.
  @discardableResult
  func scan(
    _ start: ReadStart, from: UInt64, through: UInt64, limit: Int,
    _ visit: (_ id: UInt64, _ sequence: UInt64, _ payload: UnsafeRawBufferPointer) throws(GoetheError) -> Bool
  ) throws(GoetheError) -> Int

  /// Returns once the topic of `start` has a committed event with an id above `after`; throws
  /// ``GoetheError/Code/unavailable`` once waits have ended (``endWaits()``).
  func waitForEvents(_ start: ReadStart, after: UInt64) async throws

  /// Ends every wait, present and future, with ``GoetheError/Code/unavailable``: the first step of
  /// shutting down, which lets following readers end. Appends still work.
  func endWaits()
  /// Whether ``endWaits()`` was called.
  var waitsHaveEnded: Bool { get }
  /// Returns once ``endWaits()`` is called; throws `CancellationError` if cancelled first.
  func waitUntilWaitsEnd() async throws
}

/// How a wait on the event log ends when ``EventLog/endWaits()`` is called.
enum EventLogWaits {
  static let ended = GoetheError(.unavailable, "the server is shutting down")
}

extension EventLog {
  nonisolated(nonsending) func append(
    _ payloads: [Data], to topic: String, expectedSequence: UInt64? = nil, createTopic: Bool = false,
    producer: ProducerRun? = nil
  ) async throws -> AppendResult {
    try await append(
      payloads, to: topic, expectedSequence: expectedSequence, createTopic: createTopic, producer: producer)
  }

  func read(_ start: ReadStart, from: UInt64, through: UInt64 = .max, limit: Int) throws(GoetheError) -> [StoredEvent] {
    try read(start, from: from, through: through, limit: limit, maxBytes: .max)
  }

  /// Throws NOT_FOUND unless the topic `start` was resolved in is still there: a reader of a topic
  /// deleted and made again under its name would go on reading the deleted one's number.
  func checkStillThere(_ start: ReadStart) throws(GoetheError) {
    guard try resolveStart(.end, in: start.topic).number == start.number else {
      throw GoetheError(.notFound, "topic \(start.topic) was deleted")
    }
  }
}
