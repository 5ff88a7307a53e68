import Foundation
import GoetheKit

/// One committed write as a value: what another node applies verbatim (``EventStore/apply(_:)``)
/// to reach the same stored bytes.
///
/// Every write the store commits gets the next node-wide commit index and the epoch of the leader
/// it was committed under, and is recorded in the commit log (``CommitLogRecord``), from which
/// ``EventStore/committedWrites(after:limit:)`` reads it back. Everything that decides the stored
/// bytes is in the value: event ids and sequence numbers as the writer assigned them, topic
/// numbers and creation times, cursor update times. Nothing is taken from the applying node's
/// clock.
struct CommittedWrite: Equatable, Sendable {
  /// Node-wide, 1 for the first write, one more for each write after it.
  var index: UInt64
  /// The epoch of the leader that committed it; 0 on a single node.
  var epoch: UInt64
  var change: Change

  enum Change: Equatable, Sendable {
    /// `record` carries the topic's retention limits.
    case createTopic(name: String, record: TopicRecord)
    /// Events with consecutive ids from `firstID` and consecutive sequence numbers from
    /// `firstSequence`; `created` when this append created the topic; `producer` when its batches
    /// were stamped, which the applying node remembers as the writer did (``ProducerWindow``).
    case append(
      topic: String, created: TopicRecord?, firstID: UInt64, firstSequence: UInt64, payloads: [Data],
      producer: ProducerRun? = nil)
    case setCursor(topic: String, consumer: String, record: CursorRecord)
    /// Deletes the cursor, and the shared consumer's state if it has one.
    case deleteCursor(topic: String, consumer: String)
    case setRetention(topic: String, limits: RetentionLimits)
    /// Removes the topic's events up to and including `through`, as retention or a purge decided
    /// on the node that committed it.
    case trim(topic: String, through: EventRef)
    /// Removes the topic with its events, cursors and time index.
    case deleteTopic(topic: String)
    /// A shared consumer's state, and its ack floor as its cursor.
    case setConsumer(topic: String, consumer: String, record: ConsumerRecord)
  }
}
