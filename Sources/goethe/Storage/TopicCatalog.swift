import GoetheKit

/// The topics of a store: creating, listing and describing them.
protocol TopicCatalog: Sendable {
  /// Creates a topic; `granularity` nil means the store's default, and the limits `retention`
  /// keeps are the store's defaults.
  func createTopic(_ name: String, granularity: Granularity?, retention: RetentionChanges) async throws -> TopicInfo
  /// Every topic, by name.
  func listTopics() -> [TopicInfo]
  /// A topic as listed, as of its last committed append; without its consumers.
  func topicInfo(_ name: String) throws(GoetheError) -> TopicInfo
  /// A topic with its consumers and their lag.
  func describeTopic(_ name: String) async throws -> TopicInfo
  /// The event counts of the topic's time-index buckets that overlap `from...to`.
  func bucketCounts(_ topic: String, from: UInt64, to: UInt64) async throws -> [BucketCount]
}

extension TopicCatalog {
  func createTopic(_ name: String) async throws -> TopicInfo {
    try await createTopic(name, granularity: nil, retention: RetentionChanges())
  }

  func createTopic(_ name: String, granularity: Granularity?) async throws -> TopicInfo {
    try await createTopic(name, granularity: granularity, retention: RetentionChanges())
  }
}
