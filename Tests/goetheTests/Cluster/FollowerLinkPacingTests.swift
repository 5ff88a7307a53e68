import GRPCCore
import GoetheKit
import Synchronization
import Testing

@testable import goethe

/// What a leader's link to a follower sends, and how often: the writes that are durable, and once
/// the follower holds every one of them, only heartbeats, however often the link is woken, until
/// another write is durable. A real leader store, a real follower's store behind a server on a
/// loopback port, and a real etcd.
@Suite(.timeLimit(.minutes(1)))
struct FollowerLinkPacingTests {
  /// A link that starts while a write is planned but not yet durable (its fsync running, or its
  /// disk full) starts from the last durable write, which the follower can be sent, and not from
  /// the planned one, which it cannot.
  @Test func aLinkThatStartsWhileAWriteIsPendingSendsTheDurableWrites() async throws {
    try await CoordinatorBackend.etcd.withNodes(1) { nodes in
      try await withLeaderTerm(on: nodes[0]) { leader, term in
        _ = try await leader.append(payloads("a"), to: "t", createTopic: true)
        leader.holdTheWritingTurn()
        let pending = Task { try await leader.append(payloads("b"), to: "t") }
        try await eventually("the second write is planned") { leader.lastCommitIndex == 2 }
        try await Self.withLink(of: term) { follower, _ in
          try await eventually("the follower holds the durable write") { follower.lastCommitIndex == 1 }
          leader.handOnTheWritingTurn()
          _ = try await pending.value
          // The link is woken as the write's acknowledgement wakes it (no heartbeats run here).
          term.signal.publish()
          try await eventually("the follower holds the second write") { follower.lastCommitIndex == 2 }
        }
      }
    }
  }

  /// A write is planned on the leader (it has its commit index) but not yet durable, as while its
  /// fsync runs: the link cannot send it yet, and must not ask the follower again and again
  /// meanwhile: it sends one heartbeat for each that falls due, so three requests while the write
  /// is pending span at least two heartbeats.
  @Test func aLinkWaitsForAPendingWriteInsteadOfSendingEmptyRequests() async throws {
    try await CoordinatorBackend.etcd.withNodes(1) { nodes in
      try await withLeaderTerm(on: nodes[0]) { leader, term in
        _ = try await leader.append(payloads("a"), to: "t", createTopic: true)
        try await Self.withLink(of: term) { follower, received in
          try await eventually("the follower holds the first write") { follower.lastCommitIndex == 1 }

          leader.holdTheWritingTurn()
          let pending = Task { try await leader.append(payloads("b"), to: "t") }
          try await eventually("the second write is planned") { leader.lastCommitIndex == 2 }
          let before = received.count
          let start = ContinuousClock.now
          // Woken every few milliseconds, as by other clients' writes, and a heartbeat due every 50 ms.
          let heartbeat = Duration.milliseconds(50)
          let waker = Task {
            while !Task.isCancelled {
              term.signal.publish()
              try await Task.sleep(for: .milliseconds(2))
            }
          }
          let beater = Task {
            while !Task.isCancelled {
              try await Task.sleep(for: heartbeat)
              term.heartbeatDue()
            }
          }
          defer {
            waker.cancel()
            beater.cancel()
          }
          try await eventually("three more requests reach the follower") { received.count >= before + 3 }
          let elapsed = ContinuousClock.now - start
          #expect(elapsed >= heartbeat * 2, "three requests in \(elapsed)")

          leader.handOnTheWritingTurn()
          _ = try await pending.value
          try await eventually("the follower holds the second write") { follower.lastCommitIndex == 2 }
        }
      }
    }
  }

  /// Runs a link from `term` to a follower with an empty store, served on a loopback port, which
  /// counts the requests it receives.
  private static func withLink(
    of term: LeaderTerm, _ body: (_ follower: any GoetheStore, _ received: Received) async throws -> Void
  ) async throws {
    try await withStore { follower in
      let replica = try FollowerReplica(store: follower, logger: quietLogger) { _ in }
      let received = Received()
      let counting = CountingReplication(replica: replica, received: received)
      let server = GoetheServer(
        socket: try ListeningSocket(binding: ServerAddress(host: "127.0.0.1", port: 0)),
        services: [counting], settings: TransportSettings(), tls: nil)
      try await withThrowingTaskGroup { group in
        group.addTask { try await server.serve() }
        defer { server.beginGracefulShutdown() }
        let address = ServerAddress(host: "127.0.0.1", port: try #require(await server.listeningAddress?.port))
        try await withFollowerLink(of: term, to: address) { try await body(follower, received) }
      }
    }
  }

  /// How many requests the follower has answered.
  private final class Received: Sendable {
    private let answered = Mutex(0)
    var count: Int { answered.withLock { $0 } }
    func note() { answered.withLock { $0 += 1 } }
  }

  /// The follower's `ReplicateStream`, counting each request it answers.
  private struct CountingReplication: RPCService {
    let replica: FollowerReplica
    let received: Received

    var methods: [String: RPCMethod] {
      [
        "/io.typusomega.goethe.replication.Replication/ReplicateStream": .bidirectional {
          [replica, received]
          (
            requests: RequestStream<Io_Typusomega_Goethe_Replication_ReplicateRequest>,
            responses: ResponseWriter<Io_Typusomega_Goethe_Replication_ReplicateResponse>
          ) in
          for try await request in requests {
            received.note()
            try await responses.write(try await replica.replicate(request))
          }
        }
      ]
    }
  }
}
