import GRPCCore
import GoetheKit
import Logging

@testable import goethe

/// Runs `body` with a real store that leads epoch 1 of a cluster of two (itself and `n2`), on
/// `coordinator`, and its term.
func withLeaderTerm(
  on coordinator: any Coordinator, settings: ReplicationSettings = ReplicationSettings(),
  _ body: (_ leader: EventStore, LeaderTerm) async throws -> Void
) async throws {
  try await withEventStore { leader in
    try leader.lead(epoch: 1)
    let term = try await LeaderTerm.begin(
      epoch: 1, settings: settings, store: leader, coordinator: coordinator, members: 2, peerTLS: nil,
      logger: quietLogger, deposed: { _ in })
    try await body(leader, term)
  }
}

/// Runs `term`'s link to the follower `n2` at `address` while `body` runs.
func withFollowerLink<Result: Sendable>(
  of term: LeaderTerm, to address: ServerAddress, logger: Logger = quietLogger, _ body: () async throws -> Result
) async throws -> Result {
  let grpc = GRPCClient(transport: try GoetheClientTransport(target: address, tls: nil))
  let link = FollowerLink(
    term: term, follower: ClusterMember(nodeID: "n2", address: address), connection: grpc, logger: logger)
  return try await withThrowingTaskGroup { group in
    group.addTask { try await grpc.runConnections() }
    group.addTask { try await link.run() }
    defer {
      group.cancelAll()
      grpc.beginGracefulShutdown()
    }
    return try await body()
  }
}
