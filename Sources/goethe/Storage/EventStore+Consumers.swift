import GoetheKit

extension EventStore {
  func consumerRecord(topic: String, consumer: String) throws(GoetheError) -> ConsumerRecord? {
    try Names.validateConsumer(consumer)
    let number = try readable(topic).record.number
    guard let value = try db.get(KeySchema.consumerKey(topic: number, consumer: consumer)) else { return nil }
    var record = try value.withUnsafeBytes { bytes in
      Result { () throws(GoetheError) in try ConsumerRecord(decoding: bytes) }
    }.get()
    // A cursor set since (`goethectl cursor set`, a v1 Consume's commit) moves the floor as a
    // reset does: the acks stored above the old floor go too, so that moving back delivers again
    // every event after the new floor.
    if let cursor = try storedCursor(topic: topic, consumer: consumer), cursor != record.floor {
      record.floor = cursor
      record.acked = []
    }
    return record
  }

  func saveConsumer(topic: String, consumer: String, record: ConsumerRecord) async throws {
    try Names.validateConsumer(consumer)
    try await commit { state throws(GoetheError) in
      let number = try state.topic(topic).record.number
      return Planned(
        batch: Self.consumerWrite(topic: number, consumer: consumer, record: record), result: (),
        log: .setConsumer(topic: number, consumer: consumer, record: record), visible: nil)
    }
  }

  /// Writes a shared consumer's state, and its floor as its cursor.
  static func consumerWrite(topic number: UInt32, consumer: String, record: ConsumerRecord) -> WriteBatch {
    let batch = WriteBatch()
    batch.put(KeySchema.cursorKey(topic: number, consumer: consumer), record.floor.encoded)
    batch.put(KeySchema.consumerKey(topic: number, consumer: consumer), record.encoded)
    return batch
  }
}
