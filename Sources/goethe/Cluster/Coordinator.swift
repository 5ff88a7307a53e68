import GoetheKit

/// Coordination of a cluster on an engine that already solves consensus (etcd, the Kubernetes
/// API): membership, leader election with an epoch, and compare-and-set of small metadata.
/// goethe runs no consensus protocol of its own.
///
/// Leases alone do not make a single writer: a leader that was paused past its lease still
/// believes it leads. So every leadership has an epoch, which strictly increases with every
/// change of leader, and which followers use to refuse a deposed leader's writes; and a leader
/// checks ``holdsLeadership(epoch:)`` before it acts as one.
protocol Coordinator: Sendable {
  /// This node, as the others see it.
  var member: ClusterMember { get }

  /// Keeps this node in the member list, and its lease alive, until cancelled. Returns or throws
  /// only when the coordinator is lost for good; a passing outage is retried.
  func run() async throws

  /// Waits until this node leads; returns the epoch of its leadership, above every earlier one.
  func campaign() async throws -> UInt64

  /// Gives up the leadership, if this node holds it.
  func resign() async throws

  /// Whether this node still leads under `epoch`, by its own clock: its lease has not run out
  /// since it was last renewed, and no higher epoch is known. Checked before leader work.
  func holdsLeadership(epoch: UInt64) -> Bool

  /// The leadership: the current one at once, then each change, until the task is cancelled.
  func leadership() -> AsyncThrowingStream<Leadership, any Error>

  /// The members: the current list at once, then each change, until the task is cancelled.
  func members() -> AsyncThrowingStream<[ClusterMember], any Error>

  /// The value of the metadata `key` and its version, or nil if it has none.
  func metadata(_ key: String) async throws -> VersionedValue?

  /// Sets the metadata `key` to `value` if its version is still `expected` (nil: if it has no
  /// value yet); returns whether it did.
  func compareAndSet(_ key: String, to value: [UInt8], expected: MetadataVersion?) async throws -> Bool
}

/// A node of the cluster: its identity and the address peers and clients dial.
struct ClusterMember: Sendable, Hashable {
  var nodeID: String
  var address: ServerAddress
}

/// Who leads, and under which epoch.
struct Leadership: Sendable, Equatable {
  /// The leader; nil while there is none.
  var leader: ClusterMember?
  /// 0 before the first leader; then strictly increasing with each change of leader.
  var epoch: UInt64
}

/// A version of a metadata value, opaque: an etcd revision or a Kubernetes resourceVersion, which
/// may only be compared for equality.
struct MetadataVersion: Sendable, Hashable {
  let token: String
}

struct VersionedValue: Sendable, Equatable {
  var value: [UInt8]
  var version: MetadataVersion
}
