import Synchronization

@testable import goethe

/// A real coordinator behind a gate: every call passes straight through, but compare-and-sets wait
/// while the gate is closed, as they would on a coordinator slow to answer. What a node does while
/// a change it asked for is on its way.
final class GatedCoordinator: Coordinator {
  private let base: any Coordinator
  private let gate = Mutex(Gate())

  private struct Gate {
    var closed = false
    var waiting: [CheckedContinuation<Void, Never>] = []
    var answersToLose = 0
  }

  /// The coordinator made a change, but its answer did not come back (etcd applied it after the
  /// request's deadline).
  struct AnswerLost: Error {}

  init(_ base: any Coordinator) { self.base = base }

  /// Holds the compare-and-sets from now on.
  func close() { gate.withLock { $0.closed = true } }

  /// Lets the held compare-and-sets through, and every later one.
  func open() {
    let waiting = gate.withLock { gate in
      gate.closed = false
      defer { gate.waiting = [] }
      return gate.waiting
    }
    for continuation in waiting { continuation.resume() }
  }

  /// Makes the next compare-and-set that passes the gate take effect, and then fail with
  /// ``AnswerLost``.
  func loseNextAnswer() { gate.withLock { $0.answersToLose += 1 } }

  /// How many compare-and-sets wait at the gate.
  var held: Int { gate.withLock { $0.waiting.count } }

  var member: ClusterMember { base.member }
  func run() async throws { try await base.run() }
  func campaign() async throws -> UInt64 { try await base.campaign() }
  func resign() async throws { try await base.resign() }
  func holdsLeadership(epoch: UInt64) -> Bool { base.holdsLeadership(epoch: epoch) }
  func leadership() -> AsyncThrowingStream<Leadership, any Error> { base.leadership() }
  func members() -> AsyncThrowingStream<[ClusterMember], any Error> { base.members() }
  func metadata(_ key: String) async throws -> VersionedValue? { try await base.metadata(key) }

  func compareAndSet(_ key: String, to value: [UInt8], expected: MetadataVersion?) async throws -> Bool {
    await withCheckedContinuation { continuation in
      let passes = gate.withLock { gate in
        if gate.closed { gate.waiting.append(continuation) }
        return !gate.closed
      }
      if passes { continuation.resume() }
    }
    let swapped = try await base.compareAndSet(key, to: value, expected: expected)
    let lost = gate.withLock { gate in
      defer { gate.answersToLose = max(0, gate.answersToLose - 1) }
      return gate.answersToLose > 0
    }
    if lost { throw AnswerLost() }
    return swapped
  }
}
