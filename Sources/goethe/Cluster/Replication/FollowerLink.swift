import GRPCCore
import GoetheKit
import Logging
import SwiftProtobuf
import Synchronization

/// The leader's link to one follower: it sends the follower the writes it lacks, in index order,
/// a batch at a time, then each new write as it is committed, and a heartbeat while there is none.
///
/// The requests go over one `ReplicateStream` while it lasts, which spares each exchange the cost
/// of a call of its own; a follower that does not offer it is sent unary `Replicate` calls. An
/// answer that takes longer than the replica timeout ends the stream, and the link connects again.
///
/// Where the follower's log stands is learnt from its answers: it holds less (send from there),
/// or it holds another write at the index before the batch, so its log diverged from the
/// leader's; the link then probes further back, twice as far each time, until the follower
/// holds the same write, and the follower truncates what follows it.
struct FollowerLink: Sendable {
  typealias Request = Io_Typusomega_Goethe_Replication_ReplicateRequest
  typealias Response = Io_Typusomega_Goethe_Replication_ReplicateResponse

  let term: LeaderTerm
  let follower: ClusterMember
  let connection: PeerLinks.Client
  let logger: Logger

  /// How long the link waits after a failed call before it calls again.
  static let retryDelay = Duration.milliseconds(250)

  /// An answer on the stream did not come within the replica timeout.
  private struct AnswerOverdue: Error {}

  /// When the request now unanswered on the stream was sent.
  private final class AwaitedSince: Sendable {
    let since = Mutex<ContinuousClock.Instant?>(nil)
  }

  func run() async throws {
    let client = Io_Typusomega_Goethe_Replication_Replication.Client(wrapping: connection)
    var streams = true
    while true {
      try Task.checkCancellation()
      do {
        if streams {
          try await exchangeOverStream(client)
        } else {
          var options = CallOptions.defaults
          options.timeout = term.settings.replicaTimeout
          try await exchange { request in try await client.replicate(request, options: options) }
        }
        return
      } catch let error as RPCError where streams && error.code == .unimplemented {
        logger.info(
          "the follower does not offer ReplicateStream: sending it unary calls",
          metadata: ["follower": "\(follower.nodeID)"])
        streams = false
      } catch {
        try Task.checkCancellation()
        logger.debug(
          "cannot reach a follower; trying again", metadata: ["follower": "\(follower.nodeID)", "error": "\(error)"])
        try await Task.sleep(for: Self.retryDelay)
      }
    }
  }

  /// Exchanges requests and answers over one `ReplicateStream`, until the stream fails, an answer
  /// is overdue, or a follower knows a newer epoch (when it returns).
  ///
  /// The request producer hands its writer over and waits for the exchange to end, so that each
  /// request is written by the task that waits for its answer, without a hop to another task.
  private func exchangeOverStream(
    _ client: Io_Typusomega_Goethe_Replication_Replication.Client<GoetheClientTransport>
  )
    async throws
  {
    let (writers, handOver) = AsyncStream.makeStream(of: RPCWriter<Request>.self)
    let (ended, end) = AsyncStream.makeStream(of: Never.self)
    defer { end.finish() }
    let awaiting = AwaitedSince()
    // From the start: a follower that never answers the stream's opening (a connection half open
    // after a partition) is as overdue as one that stops answering requests.
    awaiting.since.withLock { $0 = .now }
    let timeout = term.settings.replicaTimeout
    try await withThrowingTaskGroup { group in
      group.addTask {
        try await client.replicateStream(
          requestProducer: { writer in
            handOver.yield(writer)
            handOver.finish()
            for await _ in ended {}
          },
          onResponse: { response in
            defer { end.finish() }
            // A follower that does not offer the stream refuses it at once, and writes nothing.
            if case .failure(let refusal) = response.accepted { throw refusal }
            var answers = response.messages.makeAsyncIterator()
            var handedOver = writers.makeAsyncIterator()
            awaiting.since.withLock { $0 = .now }
            guard let writer = await handedOver.next() else { return }
            try await exchange { request in
              awaiting.since.withLock { $0 = .now }
              try await writer.write(request)
              guard let answer = try await answers.next() else {
                throw RPCError(code: .unavailable, message: "the follower ended the replication stream")
              }
              awaiting.since.withLock { $0 = nil }
              return answer
            }
          })
      }
      group.addTask {
        while true {
          try await Task.sleep(for: timeout / 4)
          if let since = awaiting.since.withLock({ $0 }), ContinuousClock.now - since > timeout {
            throw AnswerOverdue()
          }
        }
      }
      try await group.next()
      group.cancelAll()
    }
  }

  /// Sends the follower what it lacks with `send`, and heartbeats, until `send` throws, or the
  /// follower knows a newer epoch (when it returns).
  ///
  /// Once the follower holds every write there is to send, the link waits for the next signal,
  /// and sends a request without writes only as a heartbeat, once for each heartbeat that fell due
  /// since its last request. A write that this node has planned but not yet made durable (its
  /// fsync still running, or its disk full) cannot be sent yet: asking the follower again and
  /// again meanwhile would only keep both busy. The follower learns a newer high watermark with
  /// the next request either way.
  private func exchange(_ send: (Request) async throws -> Response) async throws {
    var held: UInt64?
    var probe: UInt64 = 1
    /// Whether the follower holds the write at `held`, as its last answer said.
    var settled = false
    /// The heartbeats that were due when the last request went out.
    var toldAtHeartbeat: UInt64?
    while true {
      try Task.checkCancellation()
      let generation = term.signal.generation
      let heartbeat = term.heartbeatsDue
      let last = term.store.durableCommitIndex
      let previous = min(held ?? last, last)
      let (previousEpoch, writes) = try await batch(after: previous)
      if writes.isEmpty, settled, previous == held, toldAtHeartbeat == heartbeat {
        await term.signal.next(after: generation)
        continue
      }
      let request = Request.with {
        $0.leaderID = term.coordinator.member.nodeID
        $0.epoch = term.epoch
        $0.previousIndex = previous
        $0.previousEpoch = previousEpoch
        $0.writes = writes.map(\.message)
        $0.highWatermark = term.highWatermark
      }
      toldAtHeartbeat = heartbeat
      let response = try await send(request)
      settled = response.outcome == .applied
      switch response.outcome {
      case .applied:
        // It holds what was sent; whatever else it says it holds is not the leader's yet.
        let through = min(response.lastIndex, writes.last?.index ?? previous)
        held = through
        probe = 1
        term.noteHeld(through, by: follower.nodeID)
        // A follower that holds writes past those it was sent has not caught up: the next request
        // has it undo them.
        if through >= last, response.lastIndex <= through {
          try await term.noteCaughtUp(follower.nodeID, store: response.storeID)
        }
      case .behind:
        held = response.lastIndex
      case .diverged:
        held = previous - min(probe, previous)
        probe *= 2
      case .staleEpoch:
        term.noteDeposed(by: response.epoch)
        return
      case .UNRECOGNIZED:
        try await Task.sleep(for: Self.retryDelay)
      }
    }
  }

  /// The epoch of the write at `previous` and the writes after it, up to the batch limits (at least
  /// one, if there is one).
  private func batch(after previous: UInt64) async throws -> (UInt64, [CommittedWrite]) {
    let settings = term.settings
    guard let previousEpoch = try term.store.epoch(ofWriteAt: previous) else {
      throw GoetheError(.internalError, "the commit log has no write \(previous)")
    }
    let writes = try await term.store.committedWrites(after: previous, limit: settings.batchWrites)
    var bytes = 0
    var count = 0
    for write in writes {
      bytes += write.payloadBytes
      count += 1
      if bytes > settings.batchBytes { break }
    }
    return (previousEpoch, Array(writes.prefix(count)))
  }
}
