import GRPCCore
import GRPCNIOTransportHTTP2
import GRPCProtobuf
import GoetheKit
import SwiftProtobuf
import Testing

@testable import goethe

/// A follower's `ReplicateStream` answers each of a leader's requests in order, as `Replicate`
/// would, and a leader's link falls back to `Replicate` where the stream is not offered: a real
/// server on a loopback port, grpc-swift's client, real stores and, for the link, a real etcd.
@Suite(.timeLimit(.minutes(1)))
struct ReplicateStreamTests {
  @Test func aFollowerAnswersEachRequestOnTheStreamInOrder() async throws {
    try await withStore { leader in
      try leader.lead(epoch: 2)
      try await Self.writeHistory(leader)
      try await Self.withFollower(offering: { $0 }) { follower, port in
        let answers = try await Self.exchange(on: port, of: leader)
        #expect(answers.map(\.outcome) == [.applied, .applied, .behind])
        #expect(answers.map(\.lastIndex) == [1, 2, 2])
        #expect(try await follower.committedWrites(after: 0) == leader.committedWrites(after: 0))
      }
    }
  }

  /// A follower of an older version offers only the unary call: the leader's link replicates with
  /// it instead.
  @Test func aLinkToAFollowerWithoutTheStreamReplicatesWithUnaryCalls() async throws {
    try await CoordinatorBackend.etcd.withNodes(1) { nodes in
      try await withLeaderTerm(on: nodes[0]) { leader, term in
        try await Self.writeHistory(leader)
        try await Self.withFollower(offering: UnaryReplicationOnly.init) { follower, port in
          try await withFollowerLink(of: term, to: ServerAddress(host: "127.0.0.1", port: port)) {
            try await eventually("the follower holds the leader's writes") {
              follower.lastCommitIndex == leader.lastCommitIndex
            }
            #expect(try await follower.committedWrites(after: 0) == leader.committedWrites(after: 0))
          }
        }
      }
    }
  }

  /// Two writes: a topic's first append, and another.
  private static func writeHistory(_ leader: any GoetheStore) async throws {
    _ = try await leader.append(payloads("a", "b"), to: "t", createTopic: true)
    _ = try await leader.append(payloads("c"), to: "t")
  }

  /// Runs `body` with a follower's empty store, whose replication service, as `offering` presents
  /// it, a server on a loopback port serves.
  private static func withFollower(
    offering: @escaping (ReplicationService) -> any RPCService,
    _ body: (_ follower: any GoetheStore, _ port: Int) async throws -> Void
  ) async throws {
    try await withStore { follower in
      let replica = try FollowerReplica(store: follower, logger: quietLogger) { _ in }
      let server = GoetheServer(
        socket: try ListeningSocket(binding: ServerAddress(host: "127.0.0.1", port: 0)),
        services: [offering(ReplicationService(follower: replica, access: .open))], settings: TransportSettings(),
        tls: nil)
      try await withThrowingTaskGroup { group in
        group.addTask { try await server.serve() }
        defer { server.beginGracefulShutdown() }
        let port = try #require(await server.listeningAddress?.port)
        try await body(follower, port)
      }
    }
  }

  /// The replication service as an older version offers it: the unary call alone.
  private struct UnaryReplicationOnly: RPCService {
    let methods: [String: RPCMethod]

    init(_ service: ReplicationService) {
      methods = service.methods.filter { $0.key.hasSuffix("/Replicate") }
    }
  }

  /// Sends, on one stream, requests for the first write, the second, and one past the follower's
  /// log; returns the answers.
  private static func exchange(
    on port: Int, of leader: any GoetheStore
  ) async throws -> [Io_Typusomega_Goethe_Replication_ReplicateResponse] {
    let requests = try await [
      request(after: 0, of: leader), request(after: 1, of: leader), request(after: 9, of: leader),
    ]
    let transport = try HTTP2ClientTransport.Posix(
      target: .ipv4(address: "127.0.0.1", port: port), transportSecurity: .plaintext)
    return try await withGRPCClient(transport: transport) { grpc in
      try await Io_Typusomega_Goethe_Replication_Replication.Client(wrapping: grpc).replicateStream(
        requestProducer: { writer in try await writer.write(contentsOf: requests) },
        onResponse: { response in try await response.messages.reduce(into: []) { $0.append($1) } })
    }
  }

  /// The leader's request for the one write after `previous`.
  private static func request(
    after previous: UInt64, of leader: any GoetheStore
  ) async throws -> Io_Typusomega_Goethe_Replication_ReplicateRequest {
    let writes = try await leader.committedWrites(after: previous, limit: 1)
    return .with {
      $0.leaderID = "leader"
      $0.epoch = 2
      $0.previousIndex = previous
      $0.previousEpoch = previous == 0 ? 0 : 2
      $0.writes = writes.map(\.message)
    }
  }
}
