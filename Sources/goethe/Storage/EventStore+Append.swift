import Foundation
import GoetheKit

extension EventStore {
  /// Appends `payloads` to `topic` atomically: all are stored or none.
  ///
  /// - Parameters:
  ///   - expectedSequence: when set, the append happens only if the topic's head sequence is this
  ///     (0 for an empty topic); otherwise nothing is written and the error names the actual head.
  ///   - createTopic: create the topic (with the default granularity) if it does not exist.
  nonisolated(nonsending) func append(
    _ payloads: [Data], to topic: String, expectedSequence: UInt64? = nil, createTopic: Bool = false
  ) async throws -> AppendResult {
    try validate(payloads)
    return try await commit { state throws(GoetheError) in
      let batch = state.makeBatch()
      let now = options.clock()
      let plan: TopicState.AppendPlan
      let entry: TopicEntry
      if let existing = state.topics[topic] {
        entry = existing
        plan = try entry.state.planAppend(count: payloads.count, now: now, expectedSequence: expectedSequence)
      } else {
        // A new topic enters the catalog only once its first append is planned.
        guard createTopic else { throw state.unknownTopic(topic) }
        try Names.validateTopic(topic)
        var created = state.newTopic(topic, granularity: options.defaultGranularity, now: now)
        plan = try created.planAppend(count: payloads.count, now: now, expectedSequence: expectedSequence)
        batch.put(KeySchema.topicKey(topic), created.record.encoded)
        entry = state.register(created)
      }
      let number = entry.state.record.number
      KeySchema.putEvents(
        payloads, topic: number, firstID: plan.firstID, firstSequence: plan.firstSequence, into: batch)
      for bucket in plan.closedBuckets {
        batch.put(KeySchema.timeIndexKey(topic: number, bucket: bucket.start), bucket.encoded)
      }
      let result = AppendResult(
        topic: topic, firstID: plan.firstID, firstSequence: plan.firstSequence, count: payloads.count)
      return Planned(
        batch: batch, result: result,
        visible: TopicState.Commit(entry: entry, number: number, head: plan.head, openBucket: plan.openBucket))
    }
  }

  private func validate(_ payloads: [Data]) throws(GoetheError) {
    guard !payloads.isEmpty else {
      throw GoetheError(.invalidArgument, "an append needs at least one event")
    }
    for (index, payload) in payloads.enumerated() {
      let which = payloads.count == 1 ? "the event" : "event \(index + 1) of \(payloads.count)"
      guard !payload.isEmpty else {
        throw GoetheError(.invalidArgument, "\(which) has an empty payload; events need at least one byte")
      }
      guard payload.count <= options.maxEventSize else {
        throw GoetheError(
          .tooLarge,
          "\(which) is \(ByteSize(payload.count)), over the limit of \(ByteSize(options.maxEventSize)) (--max-event-size)")
      }
    }
  }
}
