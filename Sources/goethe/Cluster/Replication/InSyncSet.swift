import Foundation
import GoetheKit

/// The nodes that hold every acknowledged write: the leader and the followers that have
/// acknowledged all of them in time. Kept in the coordinator under ``key`` and changed only by
/// compare-and-set, so that the leader's view and every candidate's agree. Only a member may
/// become leader: no unclean election.
struct InSyncSet: Codable, Equatable, Sendable {
  static let key = "in-sync"

  /// Node ids, sorted.
  var members: [String]
  /// Each member's store identity: a node that comes back with another store (a new disk) holds
  /// nothing, and is not in sync until it catches up.
  var stores: [String: String]
  /// The most members the cluster has had, of which `--min-insync` is by default a majority.
  var clusterSize: Int
  /// The epoch of the leader that wrote it: a deposed leader, with a lower one, may not change it.
  var epoch: UInt64

  func contains(_ node: String) -> Bool { members.contains(node) }

  /// Whether `node`, with the store `store`, is in sync.
  func contains(_ node: String, store: String) -> Bool { contains(node) && stores[node] == store }

  func adding(_ node: String, store: String) -> InSyncSet {
    var next = self
    next.members = Array(Set(members + [node])).sorted()
    next.stores[node] = store
    return next
  }

  func removing(_ node: String) -> InSyncSet {
    var next = self
    next.members = members.filter { $0 != node }
    next.stores[node] = nil
    return next
  }

  var encoded: [UInt8] { Array((try? JSONEncoder().encode(self)) ?? Data()) }

  static func decode(_ bytes: [UInt8]) -> InSyncSet? { try? JSONDecoder().decode(InSyncSet.self, from: Data(bytes)) }
}

extension Coordinator {
  /// The in-sync set and its version; nil before the cluster's first leader wrote one.
  func inSyncSet() async throws -> (set: InSyncSet, version: MetadataVersion)? {
    guard let stored = try await metadata(InSyncSet.key) else { return nil }
    guard let set = InSyncSet.decode(stored.value) else {
      throw GoetheError(.corrupted, "the coordinator's in-sync set is not readable")
    }
    return (set, stored.version)
  }

  /// Changes the in-sync set with `change`, as the leader of `epoch`: read again and retried while
  /// another write gets there first. Returns the set as written; throws if a leader of a higher
  /// epoch wrote it, since this one is deposed.
  @discardableResult
  func updateInSyncSet(asLeaderOf epoch: UInt64, _ change: (InSyncSet?) throws -> InSyncSet) async throws -> InSyncSet {
    while true {
      let current = try await inSyncSet()
      if let newer = current?.set.epoch, newer > epoch { throw InSyncSetTakenOver(epoch: newer) }
      var next = try change(current?.set)
      next.epoch = epoch
      if next == current?.set { return next }
      if try await compareAndSet(InSyncSet.key, to: next.encoded, expected: current?.version) { return next }
    }
  }
}

/// A leader of a higher epoch has written the in-sync set: the leader that meets this is deposed.
struct InSyncSetTakenOver: Error, CustomStringConvertible {
  var epoch: UInt64
  var description: String { "a leader of epoch \(epoch) has taken over the in-sync set" }
}
