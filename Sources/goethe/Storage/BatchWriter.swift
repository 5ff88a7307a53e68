import GoetheKit

/// Puts and deletes, applied in order in batches of bounded size; `finish` writes the rest and
/// syncs the log, which makes the earlier batches durable too.
final class BatchWriter {
  private let db: LevelDB
  private var batch = WriteBatch()
  private static let limit = 4 << 20

  init(_ db: LevelDB) { self.db = db }

  func put(_ key: [UInt8], _ value: [UInt8]) throws(GoetheError) {
    batch.put(key, value)
    try flushIfFull()
  }

  func delete(_ key: [UInt8]) throws(GoetheError) {
    batch.delete(key)
    try flushIfFull()
  }

  func finish() throws(GoetheError) {
    try db.write(batch, sync: true)
    batch = WriteBatch()
  }

  private func flushIfFull() throws(GoetheError) {
    guard batch.byteCount >= Self.limit else { return }
    try db.write(batch, sync: false)
    batch = WriteBatch()
  }
}
