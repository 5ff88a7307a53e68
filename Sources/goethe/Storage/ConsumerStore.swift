import GoetheKit

/// The stored state of shared consumers (``ConsumerRecord``), written through the commit path so
/// that followers apply it as every other write.
protocol ConsumerStore: Sendable {
  /// `consumer`'s shared state on `topic`, or nil if it has none. When its cursor was moved since
  /// (by `SetCursor`), the cursor is the floor and the acks it passed are dropped.
  func consumerRecord(topic: String, consumer: String) throws(GoetheError) -> ConsumerRecord?
  /// Stores `consumer`'s shared state on `topic`, and its floor as its cursor.
  func saveConsumer(topic: String, consumer: String, record: ConsumerRecord) async throws
}
