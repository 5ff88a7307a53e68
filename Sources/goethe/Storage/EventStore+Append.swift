import Foundation
import GoetheKit

extension EventStore {
  nonisolated(nonsending) func append(
    _ payloads: [Data], to topic: String, expectedSequence: UInt64?, createTopic: Bool, producer: ProducerRun?
  ) async throws -> AppendResult {
    try validate(payloads)
    if let producer {
      try ProducerStamp.validate(producer: producer.producer)
      guard producer.eventCount == payloads.count else {
        throw GoetheError(
          .invalidArgument, "the producer's batches hold \(producer.eventCount) events, not \(payloads.count)")
      }
    }
    let bytes = payloads.reduce(0) { $0 + UInt64($1.count) }
    return try await commit { state throws(GoetheError) in
      if let producer { try state.checkNotStored(producer) }
      let now = options.clock()
      let plan: TopicState.AppendPlan
      let entry: TopicEntry
      var created: TopicRecord?
      if let existing = state.topics[topic] {
        entry = existing
        plan = try entry.state.planAppend(
          count: payloads.count, bytes: bytes, now: now, expectedSequence: expectedSequence)
      } else {
        // A new topic enters the catalog only once its first append is planned.
        guard createTopic else { throw state.unknownTopic(topic) }
        try Names.validateTopic(topic)
        var new = state.newTopic(
          topic, granularity: options.defaultGranularity, retention: options.defaultRetention, now: now)
        plan = try new.planAppend(count: payloads.count, bytes: bytes, now: now, expectedSequence: expectedSequence)
        entry = state.register(new)
        created = new.record
      }
      let result = AppendResult(
        topic: topic, firstID: plan.firstID, firstSequence: plan.firstSequence, count: payloads.count,
        createdTopic: created != nil)
      return state.plannedAppend(payloads, to: entry, plan, created: created, producer: producer, result: result)
    }
  }

  private func validate(_ payloads: [Data]) throws(GoetheError) {
    guard !payloads.isEmpty else {
      throw GoetheError(.invalidArgument, "an append needs at least one event")
    }
    // Named only when refused: a batch of valid events builds no strings.
    func which(_ index: Int) -> String { payloads.count == 1 ? "the event" : "event \(index + 1) of \(payloads.count)" }
    for (index, payload) in payloads.enumerated() {
      guard !payload.isEmpty else {
        throw GoetheError(.invalidArgument, "\(which(index)) has an empty payload; events need at least one byte")
      }
      guard payload.count <= options.maxEventSize else {
        throw GoetheError(
          .tooLarge,
          "\(which(index)) is \(ByteSize(payload.count)), over the limit of \(ByteSize(options.maxEventSize)) (--max-event-size)"
        )
      }
    }
  }
}

extension EventStore.State {
  /// Puts a new topic's catalog entry into `batch`, and its retention record if it has limits.
  func putNewTopic(_ name: String, _ record: TopicRecord, into batch: WriteBatch) {
    batch.put(KeySchema.topicKey(name), record.encoded)
    if !record.retention.isNone {
      batch.put(
        KeySchema.retentionKey(topic: record.number),
        RetentionRecord(limits: record.retention, trimmedThrough: .empty).encoded)
    }
  }

  /// The write of an append planned onto `entry`: its events, the time-index buckets it closes and,
  /// if it created the topic, the topic's record, in one batch. Its stamped batches, if any, are
  /// remembered under the commit index the write is about to get, which its value carries.
  mutating func plannedAppend<Result>(
    _ payloads: [Data], to entry: TopicEntry, _ plan: TopicState.AppendPlan, created: TopicRecord?,
    producer: ProducerRun?, result: Result
  ) -> EventStore.Planned<Result> {
    if let producer {
      producers.remember(
        producer, topic: entry.state.name, firstID: plan.firstID, firstSequence: plan.firstSequence,
        commitIndex: lastCommitIndex + 1, durableThrough: durableCommitIndex)
    }
    let batch = makeBatch()
    let number = entry.state.record.number
    if let created { putNewTopic(entry.state.name, created, into: batch) }
    KeySchema.putEvents(payloads, topic: number, firstID: plan.firstID, firstSequence: plan.firstSequence, into: batch)
    for bucket in plan.closedBuckets {
      batch.put(KeySchema.timeIndexKey(topic: number, bucket: bucket.start), bucket.encoded)
    }
    return EventStore.Planned(
      batch: batch, result: result,
      log: .append(
        topic: number, created: created, firstID: plan.firstID, firstSequence: plan.firstSequence,
        count: UInt32(payloads.count), producer: producer),
      visible: TopicState.Commit(entry: entry, number: number, head: plan.head, openBucket: plan.openBucket),
      committed: [
        CommittedWrite(
          index: lastCommitIndex + 1, epoch: epoch,
          change: .append(
            topic: entry.state.name, created: created, firstID: plan.firstID, firstSequence: plan.firstSequence,
            payloads: payloads, producer: producer))
      ])
  }
}
