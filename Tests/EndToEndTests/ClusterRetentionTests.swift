import Foundation
import GoetheKit
import TestSupport
import Testing

/// Retention, purges and deletions in a cluster of three real nodes: the leader decides what goes,
/// and every node ends up holding the same events, the same limits, and no deleted topic.
@Suite(.timeLimit(.minutes(3)))
struct ClusterRetentionTests {
  @Test func everyNodeKeepsWhatTheLeadersRetentionKeeps() async throws {
    try await withScratchDirectory { scratch in
      try await ClusterOfDaemons.withCluster(nodes: 3, in: scratch) { cluster in
        _ = try await cluster.waitForStatus(from: 0, within: .seconds(20), ClusterTests.settled(cluster))
        let leader = try await Fault.leader(of: cluster)
        let follower = (leader + 1) % 3
        let payloads = (1...20).map { Data("e\($0)".utf8) }
        let kept = try await cluster.daemon(leader).withClient { client in
          _ = try await client.createTopic("bounded", retention: RetentionChanges(maxEvents: .set(5)))
          for payload in payloads { _ = try await client.append([payload], to: "bounded") }
          _ = try await client.append(payloads, to: "purged")
          _ = try await client.append(payloads, to: "deleted")
          return try await client.everything(in: "purged").dropFirst(15).map(\.id)
        }
        // Through a follower, which forwards them to the leader.
        let purge = try await cluster.daemon(follower).withClient { client in
          try await client.deleteTopic("deleted")
          return try await client.purgeTopic("purged", before: .event(kept[0]))
        }
        #expect(purge.removed == 15 && purge.topic.eventCount == 5)

        for node in cluster.ports.indices {
          try await Self.waitUntil("node \(cluster.nodeID(node)) keeps the newest 5 events of each topic") {
            try await cluster.daemon(node).withClient { client in
              let bounded = try await client.everything(in: "bounded").map(\.payloadText)
              let purged = try await client.everything(in: "purged").map(\.id)
              let topics = try await client.topics().map(\.name)
              return bounded == (16...20).map { "e\($0)" } && purged == kept && topics == ["bounded", "purged"]
            }
          }
          let info = try await cluster.daemon(node).withClient { try await $0.describeTopic("bounded") }
          #expect(info.retention == RetentionLimits(maxEvents: 5) && info.eventCount == 5 && info.headSequence == 20)
        }
      }
    }
  }

  /// Polls `condition` until it holds, for up to 30 s.
  static func waitUntil(_ what: String, _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(30)
    while try await !condition() {
      guard ContinuousClock.now < deadline else { throw E2EFailure("timed out waiting until \(what)") }
      try await Task.sleep(for: .milliseconds(100))
    }
  }
}
