import Synchronization

/// The coordinator of a cluster of one, the default: this node is the only member and leads from
/// the start, under epoch 0, so a single node behaves as it always has. Metadata lives in memory.
final class StaticCoordinator: Coordinator {
  let member: ClusterMember
  private let values = Mutex<[String: (value: [UInt8], version: Int)]>([:])

  init(member: ClusterMember) { self.member = member }

  /// Nothing to keep alive: waits until cancelled.
  func run() async throws {
    while true { try await Task.sleep(for: .seconds(3_600)) }
  }

  func campaign() async throws -> UInt64 { 0 }

  func resign() async throws {}

  func holdsLeadership(epoch: UInt64) -> Bool { epoch == 0 }

  func leadership() -> AsyncThrowingStream<Leadership, any Error> {
    Self.once(Leadership(leader: member, epoch: 0))
  }

  func members() -> AsyncThrowingStream<[ClusterMember], any Error> {
    Self.once([member])
  }

  func metadata(_ key: String) async throws -> VersionedValue? {
    values.withLock { values in
      values[key].map { VersionedValue(value: $0.value, version: MetadataVersion(token: String($0.version))) }
    }
  }

  func compareAndSet(_ key: String, to value: [UInt8], expected: MetadataVersion?) async throws -> Bool {
    values.withLock { values in
      let current = values[key].map { MetadataVersion(token: String($0.version)) }
      guard current == expected else { return false }
      values[key] = (value, (values[key]?.version ?? 0) + 1)
      return true
    }
  }

  /// A stream that yields `value` and then stays open until its consumer is cancelled: nothing
  /// ever changes in a cluster of one.
  private static func once<T: Sendable>(_ value: T) -> AsyncThrowingStream<T, any Error> {
    AsyncThrowingStream { continuation in continuation.yield(value) }
  }
}
