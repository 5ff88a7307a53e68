import Foundation
import GoetheKit
import Synchronization

/// Producers that append unique events to one topic through GoetheKit while faults happen, and
/// the history of what each append came to: acknowledged (with the id and sequence the server
/// gave), or indeterminate (the run stopped while it failed: the event may or may not be stored).
/// A producer sends a failed event again, under its first stamp, until it is acknowledged, so
/// an event that shows up twice was stored twice although it was stamped alike.
final class ProducerWorkload: Sendable {
  static let topic = "jepsen"

  struct Acknowledged: Sendable, Equatable {
    var producer: Int
    var payload: String
    var id: UInt64
    var sequence: UInt64
  }

  private struct History {
    var acknowledged: [Acknowledged] = []
    var indeterminate: Set<String> = []
    /// Events sent again that the server answered as stored already.
    var duplicates = 0
  }

  private let cluster: ClusterOfDaemons
  private let history = Mutex(History())
  private let tasks = Mutex<[Task<Void, Never>]>([])

  init(cluster: ClusterOfDaemons) { self.cluster = cluster }

  var acknowledged: [Acknowledged] { history.withLock { $0.acknowledged } }
  var indeterminate: Set<String> { history.withLock { $0.indeterminate } }
  var duplicates: Int { history.withLock { $0.duplicates } }

  /// Starts `count` producers.
  func start(producers count: Int) {
    let addresses = cluster.ports.indices.map(cluster.serverAddress)
    let started = (0..<count).map { producer in
      Task { await self.produce(producer, addresses: addresses) }
    }
    tasks.withLock { $0 += started }
  }

  /// Stops the producers and waits for the appends in flight.
  func stop() async {
    let running = tasks.withLock { tasks in
      defer { tasks = [] }
      return tasks
    }
    for task in running { task.cancel() }
    for task in running { await task.value }
  }

  /// Waits until `count` more appends are acknowledged, or `limit` passes.
  func waitForAcknowledgements(_ count: Int, within limit: Duration) async throws {
    let target = acknowledged.count + count
    let deadline = ContinuousClock.now + limit
    while acknowledged.count < target {
      guard ContinuousClock.now < deadline else {
        throw E2EFailure("only \(acknowledged.count) of \(target) appends acknowledged within \(limit)")
      }
      try await Task.sleep(for: .milliseconds(50))
    }
  }

  /// Appends `p<producer>-<n>` for n = 1, 2, … to the node it takes for the leader: the one a
  /// follower's refusal names, else the next node after one that failed.
  private func produce(_ producer: Int, addresses: [ServerAddress]) async {
    var target = producer % addresses.count
    let producerID = "jepsen-p\(producer)-\(ProducerStamp.newProducerID())"
    var number = 0
    var failed = false
    while !Task.isCancelled {
      if !failed { number += 1 }
      let payload = "p\(producer)-\(number)"
      let stamp = ProducerStamp(producer: producerID, sequence: UInt64(number))
      do {
        let stored = try await GoetheClient.withConnection(to: addresses[target], timeout: .seconds(10)) {
          try await $0.append([Data(payload.utf8)], to: Self.topic, stamp: stamp)
        }
        history.withLock {
          $0.acknowledged.append(
            Acknowledged(producer: producer, payload: payload, id: stored.firstID, sequence: stored.firstSequence))
          $0.indeterminate.remove(payload)
          if stored.duplicate { $0.duplicates += 1 }
        }
        failed = false
      } catch {
        failed = true
        history.withLock { _ = $0.indeterminate.insert(payload) }
        let leader = (error as? GoetheError)?.notLeader?.leader.flatMap { addresses.firstIndex(of: $0) }
        target = leader ?? (target + 1) % addresses.count
        try? await Task.sleep(for: .milliseconds(50))
      }
    }
  }
}
