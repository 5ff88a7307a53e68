import GoetheKit

/// The consumers' cursors: where each named consumer of a topic resumes.
protocol CursorStore: Sendable {
  /// `consumer`'s cursor on `topic`; not found if it has none.
  func cursor(topic: String, consumer: String) throws(GoetheError) -> CursorInfo
  /// `consumer`'s cursor on `topic`, or nil if it has none.
  func existingCursor(topic: String, consumer: String) throws(GoetheError) -> CursorInfo?
  /// Sets `consumer`'s cursor on `topic`, which means "resume after this event".
  func setCursor(topic: String, consumer: String, to position: Position) async throws -> CursorInfo
  /// The cursor that `position` sets: what ``setCursor(topic:consumer:to:)`` would store.
  func cursorTarget(topic: String, position: Position) throws(GoetheError) -> CursorRecord
  /// Records that `consumer` has processed the event `eventID` of `topic`, which must exist.
  func commitCursor(topic: String, consumer: String, eventID: UInt64) async throws -> CursorInfo
  /// Deletes `consumer`'s cursor on `topic`; it then starts from the beginning again.
  func deleteCursor(topic: String, consumer: String) async throws
  /// The cursors of `topic`, or of every topic, by topic then consumer.
  func listCursors(topic: String?) async throws -> [CursorInfo]
}
