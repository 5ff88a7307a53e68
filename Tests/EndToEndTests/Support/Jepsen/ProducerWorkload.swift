import Foundation
import GoetheKit
import Synchronization

/// Producers that append unique events to one topic through GoetheKit while faults happen, and
/// the history of what each append came to: acknowledged (with the id and sequence the server
/// gave), or indeterminate (it failed: the event may or may not be stored). A producer never
/// retries an event, so an event that shows up twice was stored twice.
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
  }

  private let cluster: ClusterOfDaemons
  private let history = Mutex(History())
  private let tasks = Mutex<[Task<Void, Never>]>([])

  init(cluster: ClusterOfDaemons) { self.cluster = cluster }

  var acknowledged: [Acknowledged] { history.withLock { $0.acknowledged } }
  var indeterminate: Set<String> { history.withLock { $0.indeterminate } }

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
    var number = 0
    while !Task.isCancelled {
      number += 1
      let payload = "p\(producer)-\(number)"
      do {
        let stored = try await GoetheClient.withConnection(to: addresses[target], timeout: .seconds(10)) {
          try await $0.append([Data(payload.utf8)], to: Self.topic)
        }
        history.withLock {
          $0.acknowledged.append(
            Acknowledged(producer: producer, payload: payload, id: stored.firstID, sequence: stored.firstSequence))
        }
      } catch {
        history.withLock { _ = $0.indeterminate.insert(payload) }
        let leader = (error as? GoetheError)?.notLeader?.leader.flatMap { addresses.firstIndex(of: $0) }
        target = leader ?? (target + 1) % addresses.count
        try? await Task.sleep(for: .milliseconds(50))
      }
    }
  }
}
