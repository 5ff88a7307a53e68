import Foundation
import GoetheKit

/// Commits write batches with fsync on a dedicated thread, merging every batch that arrives while
/// an fsync is running into the next write, so that concurrent appenders share fsyncs (group commit).
///
/// Batches are committed in the order they were submitted, which is the order in which the store
/// assigned their ids; a reader therefore never sees a later event before an earlier one.
///
/// Safety of `@unchecked Sendable`: `queue` and `stopping` are only touched with `condition` locked.
final class GroupCommitWriter: @unchecked Sendable {
  typealias Completion = @Sendable (Result<Void, GoetheError>) -> Void

  private struct Item {
    var batch: WriteBatch
    var completion: Completion
  }

  private let db: LevelDB
  private let condition = NSCondition()
  private var queue: [Item] = []
  private var stopping = false
  private let finished = DispatchSemaphore(value: 0)

  init(db: LevelDB) {
    self.db = db
    let thread = Thread { [self] in run() }
    thread.name = "goethe-commit"
    thread.start()
  }

  /// Queues `batch`; `completion` runs on the writer thread once it is durable or has failed.
  /// Returns false, without queueing, once the writer is stopping.
  func submit(_ batch: WriteBatch, completion: @escaping Completion) -> Bool {
    condition.lock()
    defer { condition.unlock() }
    guard !stopping else { return false }
    queue.append(Item(batch: batch, completion: completion))
    condition.signal()
    return true
  }

  /// Commits what is queued, then stops the thread.
  func stop() {
    condition.lock()
    stopping = true
    condition.signal()
    condition.unlock()
    finished.wait()
  }

  private func run() {
    while let group = nextGroup() {
      let result: Result<Void, GoetheError>
      do {
        try db.write(group.count == 1 ? group[0].batch : WriteBatch(merging: group.map(\.batch)), sync: true)
        result = .success(())
      } catch {
        result = .failure(error)
      }
      for item in group { item.completion(result) }
    }
    finished.signal()
  }

  /// Waits for work and takes all of it; nil once stopping with nothing left.
  private func nextGroup() -> [Item]? {
    condition.lock()
    defer { condition.unlock() }
    while queue.isEmpty {
      if stopping { return nil }
      condition.wait()
    }
    defer { queue.removeAll(keepingCapacity: true) }
    return queue
  }
}
