import GRPCCore
import GoetheKit
import InMemoryLogging
import Logging
import NIOCore
import NIOPosix
import Testing

@testable import goethe

/// A follower that does not answer within the replica timeout is given up and called again, even
/// one that never answers the stream's opening, as a node behind a half-open connection after a
/// partition. A real leader store and etcd; the follower is a loopback listener that accepts the
/// connection and never answers.
@Suite(.timeLimit(.minutes(1)))
struct FollowerLinkOverdueTests {
  @Test func aFollowerThatNeverAnswersTheStreamIsGivenUpAfterTheReplicaTimeout() async throws {
    try await CoordinatorBackend.etcd.withNodes(1) { nodes in
      var settings = ReplicationSettings()
      settings.replicaTimeout = .milliseconds(300)
      try await withLeaderTerm(on: nodes[0], settings: settings) { _, term in
        let silent = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
          .bind(host: "127.0.0.1", port: 0).get()
        defer { silent.close(promise: nil) }
        let address = ServerAddress(host: "127.0.0.1", port: try #require(silent.localAddress?.port))

        var handler = InMemoryLogHandler()
        handler.logLevel = .debug
        let logger = Logger(label: "goethe.test", factory: { [handler] _ in handler })
        try await withFollowerLink(of: term, to: address, logger: logger) {
          try await eventually("the link gives the silent follower up") {
            handler.entries.contains { "\($0.metadata["error"] ?? "")".contains("AnswerOverdue") }
          }
        }
      }
    }
  }
}
