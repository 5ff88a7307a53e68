import GoetheKit
import Testing

@testable import goethe

/// A feed reads the topic it was started in, and no other.
@Suite(.timeLimit(.minutes(1)))
struct EventFeedTests {
  /// A topic deleted and made again under its name is another topic: a feed of the deleted one
  /// ends with NOT_FOUND, rather than read on in the deleted topic's number (or wait on it).
  @Test(arguments: [false, true])
  func aFeedOfATopicDeletedAndMadeAgainEnds(follow: Bool) async throws {
    try await withEventStore(.testing()) { store in
      _ = try await store.append(payloads("old"), to: "t", createTopic: true)
      let start = try store.resolveStart(.beginning, in: "t")
      try await store.deleteTopic("t")
      _ = try await store.append(payloads("new"), to: "t", createTopic: true)
      var feed = EventFeed(store: store, start: start, follow: follow)
      do {
        let batch = try await feed.nextBatch()
        Issue.record("the feed went on: \(String(describing: batch?.map(\.payloadText)))")
      } catch let error as GoetheError {
        #expect(error.code == .notFound, "\(error)")
      }
    }
  }
}
