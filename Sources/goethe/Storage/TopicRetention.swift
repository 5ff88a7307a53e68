import GoetheKit

/// Bounding topics: retention limits, removing a topic's oldest events, and deleting topics.
///
/// Which events go is decided where writes are decided (``retentionCut(_:now:limit:)``,
/// ``purgeCut(_:before:limit:)``) and then committed as a write of its own (``trim(_:through:)``),
/// which other nodes apply as it was committed.
protocol TopicRetention: Sendable {
  /// Changes the topic's retention limits.
  func setRetention(_ topic: String, _ changes: RetentionChanges) async throws -> TopicInfo
  /// The last of at most `limit` oldest committed events that the topic's limits remove at `now`
  /// (UNIX nanoseconds), or nil if they remove none.
  func retentionCut(_ topic: String, now: UInt64, limit: Int) async throws -> EventRef?
  /// The last of at most `limit` oldest committed events before `position`, or nil if none is.
  func purgeCut(_ topic: String, before position: Position, limit: Int) async throws -> EventRef?
  /// Removes the topic's events up to and including `last`, a committed event, with their
  /// time-index entries.
  func trim(_ topic: String, through last: EventRef) async throws
  /// Deletes the topic with its events, cursors and time index; returns once they are gone from
  /// the store (compacted away).
  func deleteTopic(_ name: String) async throws
  /// Compacts the topic's records, so that the space of what was removed goes back to the disk.
  func compact(topic: String) async throws
}
