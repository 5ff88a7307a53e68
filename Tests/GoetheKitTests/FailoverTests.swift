import GRPCCore
import Testing

@testable import GoetheKit

/// When a client sends a failed call again: reads and never-sent writes to the next server,
/// refused writes to the leader or after an election's pause, and nothing that may have been
/// stored.
@Suite struct FailoverTests {
  static let refused = RPCError(code: .unavailable, message: "connect() failed: connection refused")
  static let notReady = RPCError(code: .unavailable, message: "subchannel isn't ready")
  static let reset = RPCError(code: .unavailable, message: "the stream was closed: connection reset by peer")

  static func unreachable(_ cause: RPCError) -> GoetheError { GoetheError(cause) }

  static func notLeader(_ leader: String?) -> GoetheError {
    // As the client sees it: through the server's status, not the server's value.
    GoetheError(GoetheError.notLeader("no", leader: leader.map { try! ServerAddress(parsing: $0) }).rpcError)
  }

  @Test func aNotLeaderRefusalCrossesTheWireWithItsLeader() {
    #expect(Self.notLeader("10.0.0.2:1337").notLeader == NotLeader(leader: ServerAddress(host: "10.0.0.2", port: 1337)))
    #expect(Self.notLeader(nil).notLeader == NotLeader(leader: nil))
    #expect(Self.notLeader(nil).code == .unavailable)
    #expect(GoetheError(GoetheError(.unavailable, "busy").rpcError).notLeader == nil)
  }

  @Test func aReadTriesEachServerOnceThenFails() {
    var failover = Failover(servers: 3)
    #expect(failover.next(after: Self.unreachable(Self.reset), of: .read) == .zero)
    #expect(failover.next(after: Self.unreachable(Self.refused), of: .read) == .zero)
    #expect(failover.next(after: Self.unreachable(Self.refused), of: .read) == nil)
  }

  @Test func aWriteMovesOnOnlyWhenItCannotHaveBeenSent() {
    var failover = Failover(servers: 3)
    #expect(failover.next(after: Self.unreachable(Self.refused), of: .write) == .zero)
    #expect(failover.next(after: Self.unreachable(Self.reset), of: .write) == nil, "it may have been stored")
    #expect(failover.next(after: Self.unreachable(Self.notReady), of: .write) == .zero, "a call never started")
    var alone = Failover(servers: 1)
    #expect(alone.next(after: Self.unreachable(Self.refused), of: .write) == nil, "no other server")
  }

  @Test func aRefusedWriteFollowsTheNamedLeaderAFewTimes() {
    var failover = Failover(servers: 1)
    for _ in 0..<Failover.maxRedirects {
      #expect(failover.next(after: Self.notLeader("10.0.0.2:1337"), of: .write) == .zero)
    }
    #expect(failover.next(after: Self.notLeader("10.0.0.2:1337"), of: .write) != .zero, "then waits as for no leader")
  }

  @Test func aRefusedWriteWaitsOutAnElectionWithPausesThatDoubleUpToASecond() {
    var failover = Failover(servers: 3)
    var pauses: [Duration] = []
    while let pause = failover.next(after: Self.notLeader(nil), of: .write) { pauses.append(pause) }
    #expect(pauses.count == Failover.maxWaits)
    #expect(pauses.prefix(4) == [.milliseconds(200), .milliseconds(400), .milliseconds(800), .seconds(1)])
    #expect(pauses.allSatisfy { $0 <= .seconds(1) })
  }

  @Test func otherFailuresAreNotSentAgain() {
    var failover = Failover(servers: 3)
    #expect(failover.next(after: GoetheError(.conflict, "expected sequence 3"), of: .read) == nil)
    #expect(failover.next(after: GoetheError(.unavailable, "not enough in-sync replicas"), of: .write) == nil)
  }

  @Test func aCallWhoseStreamWasRefusedUnprocessedGoesAgainEvenAWrite() {
    var failover = Failover(servers: 1)
    let refusedStream = Self.unreachable(StreamRefused.error)
    #expect(refusedStream.streamRefused)
    for _ in 1...Failover.maxRefusedStreams {
      #expect(failover.next(after: refusedStream, of: .write) == .zero)
    }
    #expect(failover.next(after: refusedStream, of: .write) == nil, "not for ever")
    var other = Failover(servers: 1)
    #expect(other.next(after: Self.unreachable(Self.reset), of: .write) == nil)
  }
}
