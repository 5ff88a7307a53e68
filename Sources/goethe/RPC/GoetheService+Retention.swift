import GoetheKit
import SwiftProtobuf

/// The calls that bound topics: their retention limits, purging their oldest events, deleting them.
extension GoetheService {
  func setRetention(
    request: Io_Typusomega_Goethe_SetRetentionRequest
  ) async throws -> Io_Typusomega_Goethe_TopicInfo {
    let changes = RetentionChanges(
      maxAge: .init(wireValue: request.hasMaxAgeNanos ? request.maxAgeNanos : nil),
      maxEvents: .init(wireValue: request.hasMaxEvents ? request.maxEvents : nil),
      maxBytes: .init(wireValue: request.hasMaxBytes ? request.maxBytes : nil))
    return .init(try await store.setRetention(try requireTopic(request.topic), changes))
  }

  func deleteTopic(
    request: Io_Typusomega_Goethe_DeleteTopicRequest
  ) async throws -> Io_Typusomega_Goethe_DeleteTopicResponse {
    try await store.deleteTopic(try requireTopic(request.topic))
    return .init()
  }

  /// Removes the events before the position in trims of at most 10,000 events each, then
  /// compacts them away. A trim that meets an append closing the bucket it reaches into is
  /// tried again.
  ///
  /// The position is resolved once, when the purge begins: `end` (or a time or id past the head)
  /// names the events the topic holds then, and what is appended while the purge runs stays.
  func purgeTopic(
    request: Io_Typusomega_Goethe_PurgeTopicRequest
  ) async throws -> Io_Typusomega_Goethe_PurgeTopicResponse {
    let topic = try requireTopic(request.topic)
    let before: Position =
      switch request.before.kind {
      case .beginning: .beginning
      case .end: .end
      case .eventID(let id): .event(id)
      case .timeUnixNano(let time): .time(time)
      case .afterConsumer, .last, nil:
        throw GoetheError(.invalidArgument, "a purge removes the events before an event id, a time, or end")
      }
    let previously = try store.topicInfo(topic)
    let boundary = Position.event(try store.resolveStart(before, in: topic).fromID)
    var retries = 0
    while let cut = try await store.purgeCut(topic, before: boundary, limit: 10_000) {
      do {
        try await store.trim(topic, through: cut)
      } catch let error as GoetheError where error.code == .conflict && retries < 100 {
        retries += 1
        await Task.yield()
      }
    }
    try await store.compact(topic: topic)
    let after = try await store.describeTopic(topic)
    return .with {
      // Counted by how far the first sequence moved, which appends meanwhile do not change.
      $0.removed = after.firstSequence - previously.firstSequence
      $0.topic = .init(after)
    }
  }
}
