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
      try await withEventStore { leader in
        try leader.lead(epoch: 1)
        var settings = ReplicationSettings()
        settings.replicaTimeout = .milliseconds(300)
        let term = try await LeaderTerm.begin(
          epoch: 1, settings: settings, store: leader, coordinator: nodes[0], members: 2, peerTLS: nil,
          logger: quietLogger, deposed: { _ in })
        let silent = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
          .bind(host: "127.0.0.1", port: 0).get()
        defer { silent.close(promise: nil) }
        let address = ServerAddress(host: "127.0.0.1", port: try #require(silent.localAddress?.port))

        var handler = InMemoryLogHandler()
        handler.logLevel = .debug
        let logger = Logger(label: "goethe.test", factory: { [handler] _ in handler })
        let grpc = GRPCClient(transport: try GoetheClientTransport(target: address, tls: nil))
        let link = FollowerLink(
          term: term, follower: ClusterMember(nodeID: "n2", address: address), connection: grpc, logger: logger)
        try await withThrowingTaskGroup { group in
          group.addTask { try await grpc.runConnections() }
          group.addTask { try await link.run() }
          defer {
            group.cancelAll()
            grpc.beginGracefulShutdown()
          }
          try await eventually("the link gives the silent follower up") {
            handler.entries.contains { "\($0.metadata["error"] ?? "")".contains("AnswerOverdue") }
          }
        }
      }
    }
  }
}
