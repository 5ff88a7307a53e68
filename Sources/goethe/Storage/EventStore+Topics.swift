import GoetheKit
import Synchronization

extension EventStore {
  func createTopic(_ name: String, granularity: Granularity?, retention: RetentionChanges) async throws -> TopicInfo {
    try await commit { state throws(GoetheError) in
      try Names.validateTopic(name)
      guard state.topics[name] == nil else {
        throw GoetheError(.alreadyExists, "topic \(name) exists already")
      }
      let topic = state.newTopic(
        name, granularity: granularity ?? options.defaultGranularity,
        retention: retention.applied(to: options.defaultRetention), now: options.clock())
      state.register(topic)
      let batch = WriteBatch()
      state.putNewTopic(name, topic.record, into: batch)
      return Planned(
        batch: batch, result: topic.info, log: .createTopic(name: name, record: topic.record), visible: nil)
    }
  }

  func listTopics() -> [TopicInfo] {
    state.withLock { $0.topics.values.map(\.state.info) }.sorted { $0.name < $1.name }
  }

  func topicInfo(_ name: String) throws(GoetheError) -> TopicInfo { try readable(name).info }

  func describeTopic(_ name: String) async throws -> TopicInfo {
    var info = try state.withLock { state throws(GoetheError) in try state.topic(name).info }
    info.consumers = try await listCursors(topic: name)
    return info
  }

  /// The topic's number and committed head, for readers.
  func readable(_ name: String) throws(GoetheError) -> TopicState {
    try state.withLock { state throws(GoetheError) in try state.topic(name) }
  }
}

extension EventStore.State {
  /// A topic with the next free number, not yet in the catalog.
  func newTopic(_ name: String, granularity: Granularity, retention: RetentionLimits, now: UInt64) -> TopicState {
    TopicState(
      name: name,
      record: TopicRecord(number: nextTopicNumber, granularity: granularity, created: now, retention: retention))
  }

  /// Puts a topic into the catalog (its record is written by the caller).
  @discardableResult
  mutating func register(_ topic: TopicState) -> TopicEntry {
    let entry = TopicEntry(topic)
    topics[topic.name] = entry
    nextTopicNumber = max(nextTopicNumber, topic.record.number + 1)
    return entry
  }
}

extension TopicState {
  /// The topic as listed, as of its last committed append.
  var info: TopicInfo {
    let count = committedCount
    return TopicInfo(
      name: name, granularity: record.granularity, created: record.created, headSequence: committed.sequence,
      firstEventID: count > 0 ? firstID : nil, lastEventID: count > 0 ? committed.id : nil, eventCount: count,
      bytes: bytes, retention: record.retention)
  }
}
