import Foundation

/// Where a cluster keeps its state in etcd, all under `/goethe/<cluster>/`:
/// - `leader`: the election (etcd's election API adds `/<lease id in hex>` for each candidate);
/// - `members/<node-id>`: each member's record, under the member's lease;
/// - `meta/<key>`: the cluster metadata.
struct EtcdKeys: Sendable {
  let cluster: String

  var root: String { "/goethe/\(cluster)/" }
  /// The name of the election, as Campaign and Resign take it.
  var election: String { root + "leader" }
  /// The prefix of the candidates' keys; the one created first leads.
  var candidates: String { election + "/" }
  var members: String { root + "members/" }
  var metadata: String { root + "meta/" }

  func member(_ nodeID: String) -> String { members + nodeID }
  func metadata(_ key: String) -> String { metadata + key }
}

extension Data {
  /// `key` as etcd stores keys: its UTF-8 bytes.
  init(etcdKey key: String) { self.init(key.utf8) }

  /// The end of the range of every key that starts with `self`, as etcd's clients compute it: the
  /// prefix with its last byte below 0xff incremented and what follows dropped.
  var prefixRangeEnd: Data {
    var end = self
    while let last = end.last {
      if last < 0xff {
        end[end.index(before: end.endIndex)] = last + 1
        return end
      }
      end.removeLast()
    }
    return Data([0])  // every key after the prefix
  }
}
