import Synchronization

@testable import goethe

/// A campaign by each of some coordinators, in tasks of their own, and who won in which order.
final class Campaigns: Sendable {
  private let wins = Mutex<[(node: Int, epoch: UInt64)]>([])
  private let tasks = Mutex<[Task<Void, any Error>]>([])

  init(_ coordinators: [any Coordinator], nodes: [Int]) {
    for node in nodes {
      let coordinator = coordinators[node]
      let task = Task {
        let epoch = try await coordinator.campaign()
        self.wins.withLock { $0.append((node, epoch)) }
      }
      tasks.withLock { $0.append(task) }
    }
  }

  /// The winners so far, in the order they won.
  var won: [(node: Int, epoch: UInt64)] { wins.withLock { $0 } }

  func cancel() { tasks.withLock { $0.forEach { $0.cancel() } } }
}
