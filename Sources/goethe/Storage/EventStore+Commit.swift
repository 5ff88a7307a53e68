import GoetheKit
import Logging
import Synchronization

/// A write planned under the state lock that waits for the write in progress to commit it.
struct PendingWrite: Sendable {
  var batch: WriteBatch
  var visible: TopicState.Commit?
  var alsoVisible: [TopicState.Commit]
  var committed: [CommittedWrite]?
  var index: UInt64
  var continuation: UnsafeContinuation<WriteTurn, any Error>
}

/// How a waiting write ends: committed by another append, or handed the turn to write itself
/// together with the writes that queued up behind it.
enum WriteTurn: Sendable {
  case committed
  case lead(followers: [PendingWrite])
}

extension EventStore {
  /// What a write planned under the lock produces: the batch, the caller's result, the write as
  /// the commit log records it and, for appends, what becomes visible to readers once the batch
  /// is durable.
  struct Planned<Result: Sendable>: Sendable {
    var batch: WriteBatch
    var result: Result
    var log: CommitLogRecord
    var visible: TopicState.Commit?
    /// What earlier writes planned into the same batch make visible (``EventStore/apply(_:)``).
    var alsoVisible: [TopicState.Commit] = []
    /// The writes it commits as values, where the planner has them at hand (appends, and writes
    /// applied from a leader), for ``RecentWrites``; nil otherwise.
    var committed: [CommittedWrite]? = nil
    /// Its commit index, given when it is logged.
    var index: UInt64 = 0
  }

  /// Plans a write under the state lock and commits it in planning order, durably in `always` mode.
  ///
  /// The write that finds nobody writing is written at once, on its caller's task; writes planned
  /// meanwhile wait (``commitQueued(_:)``) and the writer writes them too, all that queued up in
  /// one LevelDB write per round. So concurrent appends share LevelDB writes and, in `always`
  /// mode, fsyncs (group commit), while batches reach LevelDB in the order their ids were
  /// assigned. Only one task writes at a time. Without fsync the write runs on its caller's
  /// executor and the usual write never suspends; in `always` mode the writing turn runs on the
  /// blocking pool (``BlockingIO``), so that waiting for the disk holds no cooperative or event-loop
  /// thread (``lead(_:with:)``).
  ///
  /// Each write gets the next commit index, and its record goes into the commit log in the same
  /// batch: writes are committed in planning order, so the log is in index order. The high
  /// watermark to keep, if any, goes into that batch too. A `local` write,
  /// this node's own rather than one applied for its leader, is planned only while the store
  /// takes those (``LocalWrites``).
  nonisolated(nonsending) func commit<Result: Sendable>(
    local: Bool = true, _ plan: (inout State) throws(GoetheError) -> Planned<Result>
  ) async throws -> Result {
    let logged = { (state: inout State) throws(GoetheError) -> Planned<Result> in
      if local { try state.checkLocalWrite() }
      var planned = try plan(&state)
      state.lastCommitIndex += 1
      planned.index = state.lastCommitIndex
      planned.batch.put(KeySchema.commitLogKey(planned.index), planned.log.encoded(epoch: state.epoch))
      if let highWatermark = state.highWatermarkToKeep {
        planned.batch.put(KeySchema.highWatermarkKey, KeySchema.highWatermarkValue(highWatermark))
        state.highWatermarkToKeep = nil
      }
      return planned
    }
    if let immediate = try planIfIdle(logged) { return try await lead(immediate, with: []) }
    return try await commitQueued(logged)
  }

  /// Takes the writing turn: writes `own`, the followers and whatever queues up meanwhile.
  ///
  /// Under `always`, the turn runs on the blocking pool, even for a write that found nobody
  /// writing: an event loop that synced there itself would keep its other connections waiting for
  /// the fsync, and the appends they carry from joining the next one (docs/performance.md, "Fsyncs
  /// off the event loops").
  nonisolated(nonsending) private func lead<Result: Sendable>(
    _ own: Planned<Result>, with followers: [PendingWrite]
  ) async throws -> Result {
    guard options.durability == .always else { return try write(own, with: followers, rounds: options.writeRounds) }
    return try await BlockingIO.runToEnd { try self.write(own, with: followers, rounds: self.options.writeRounds) }
  }

  /// Plans the write if nobody is writing, and takes the writing turn; nil otherwise.
  private func planIfIdle<Result: Sendable>(
    _ plan: (inout State) throws(GoetheError) -> Planned<Result>
  ) throws(GoetheError) -> Planned<Result>? {
    try state.withLock { state throws(GoetheError) -> Planned<Result>? in
      try state.checkWritable()
      guard !state.writing else { return nil }
      let planned = try plan(&state)
      state.writing = true
      return planned
    }
  }

  /// Plans the write and waits for the write in progress to commit it (or to hand it the turn).
  nonisolated(nonsending) private func commitQueued<Result: Sendable>(
    _ plan: (inout State) throws(GoetheError) -> Planned<Result>
  ) async throws -> Result {
    var planned: Planned<Result>?
    let turn = try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<WriteTurn, any Error>) in
      do {
        let leads = try state.withLock { state throws(GoetheError) -> Bool in
          try state.checkWritable()
          let own = try plan(&state)
          planned = own
          guard state.writing else {
            state.writing = true
            return true
          }
          state.waiting.append(
            PendingWrite(
              batch: own.batch, visible: own.visible, alsoVisible: own.alsoVisible, committed: own.committed,
              index: own.index, continuation: continuation))
          return false
        }
        if leads { continuation.resume(returning: .lead(followers: [])) }
      } catch {
        continuation.resume(throwing: error)
      }
    }
    guard let planned else { preconditionFailure("a write turn without a planned write") }
    switch turn {
    case .committed: return planned.result
    case .lead(let followers): return try await lead(planned, with: followers)
    }
  }

  /// Writes `own` and the followers' batches in one LevelDB write and makes them visible; then
  /// writes what queued up meanwhile, round after round, until nothing waits or after `rounds`
  /// rounds, when it hands what waits to the first waiting write.
  private func write<Result: Sendable>(
    _ own: Planned<Result>, with followers: [PendingWrite], rounds: Int
  ) throws(GoetheError)
    -> Result
  {
    var round = followers
    var isFirst = true
    for count in 1... {
      var failure: GoetheError?
      do {
        let batch =
          isFirst && round.isEmpty
          ? own.batch : WriteBatch(merging: (isFirst ? [own.batch] : []) + round.map(\.batch))
        try db.write(batch, sync: options.durability == .always)
      } catch {
        failure = error
      }
      var isFirstFailure = false
      let (next, waiting) = state.withLock { state -> (PendingWrite?, [PendingWrite]) in
        var waiting = state.waiting
        state.waiting = []
        if let failure {
          isFirstFailure = state.stopWrites(after: failure)
          state.writing = false
          return (nil, waiting)
        }
        if isFirst {
          for commit in own.alsoVisible { state.apply(commit) }
          state.apply(own.visible)
          state.recycle(own.batch)
          state.recent.record(own.committed)
        }
        for write in round {
          for commit in write.alsoVisible { state.apply(commit) }
          state.apply(write.visible)
          state.recycle(write.batch)
          state.recent.record(write.committed)
        }
        state.durableCommitIndex = max(state.durableCommitIndex, round.last?.index ?? own.index)
        state.writing = !waiting.isEmpty
        return waiting.isEmpty || count < rounds ? (nil, waiting) : (waiting.removeFirst(), waiting)
      }
      if let failure {
        reportFailedWrite(failure, isFirst: isFirstFailure)
        for write in round { write.continuation.resume(throwing: failure) }
        let refusal = Self.refusal(after: failure)
        for write in waiting { write.continuation.resume(throwing: refusal) }
        if isFirst { throw failure }
        break
      }
      if isFirst { notify(own.visible, own.alsoVisible) }
      for write in round {
        notify(write.visible, write.alsoVisible)
        write.continuation.resume(returning: .committed)
      }
      if let next {
        next.continuation.resume(returning: .lead(followers: waiting))
        break
      }
      guard !waiting.isEmpty else { break }
      round = waiting
      isFirst = false
    }
    return own.result
  }

  /// Wakes the readers of the topics a durable write appended to.
  private func notify(_ visible: TopicState.Commit?, _ alsoVisible: [TopicState.Commit]) {
    for commit in alsoVisible { notifier.publish(topic: commit.number, head: commit.head.id) }
    if let visible { notifier.publish(topic: visible.number, head: visible.head.id) }
  }

  /// What later writes fail with after `error`: a full disk says so until there is space again;
  /// any other failure stops writes until goethe restarts.
  static func refusal(after error: GoetheError) -> GoetheError {
    guard error.code != .diskFull else { return error }
    return GoetheError(
      .unavailable, "the store stopped accepting writes after a failed write (\(error.message)); restart goethe",
      cause: error)
  }

  /// What follows a failed write once the state has stopped the writes: waits for a topic's events
  /// are woken, the failure is logged, and on a full disk the store waits for space to reopen.
  func reportFailedWrite(_ failure: GoetheError, isFirst: Bool) {
    notifier.reset()
    guard isFirst else { return }
    if failure.code == .diskFull {
      options.logger.error("disk full at \(db.path); writes are refused until space is free, reads go on")
      awaitSpace()
    } else {
      options.logger.error(
        "the store stopped accepting writes after a failed write; restart goethe",
        metadata: ["error": "\(failure.message)", "data-dir": "\(db.path)"])
    }
  }

  /// A write outside the writing turn failed: a deletion's removal of records, a truncation, the
  /// record of a new epoch. LevelDB latches no error when its log append fails, and a later write
  /// would follow the torn record in the log, where a reopen would not read it back: so the store
  /// stops its writes as after a failed write in the turn, until the reopen on space (a full
  /// disk) or a restart.
  func writeFailed(_ failure: GoetheError) {
    let isFirst = state.withLock { $0.stopWrites(after: failure) }
    reportFailedWrite(failure, isFirst: isFirst)
  }
}

extension EventStore.State {
  /// Refuses writes from now on because of `failure`; true if it is the first to.
  mutating func stopWrites(after failure: GoetheError) -> Bool {
    guard self.failure == nil else { return false }
    self.failure = EventStore.refusal(after: failure)
    return true
  }
}
