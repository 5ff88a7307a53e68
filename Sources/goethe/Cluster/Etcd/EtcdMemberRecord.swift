import Foundation
import GoetheKit

/// How a member is stored in etcd, as the value of its member key and of its candidate key in the
/// election: JSON, `{"node_id":"n1","address":"10.0.0.1:1337"}`, readable with `etcdctl get`.
struct EtcdMemberRecord: Codable, Sendable {
  var nodeID: String
  var address: String

  enum CodingKeys: String, CodingKey {
    case nodeID = "node_id"
    case address
  }

  init(_ member: ClusterMember) {
    nodeID = member.nodeID
    address = member.address.description
  }

  var encoded: [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    // Encoding two strings cannot fail.
    return Array(try! encoder.encode(self))
  }

  /// The member a stored value describes, or nil if it is not a record (written by something else).
  static func decode(_ value: [UInt8]) -> ClusterMember? {
    guard let record = try? JSONDecoder().decode(Self.self, from: Data(value)),
      let address = try? ServerAddress(parsing: record.address)
    else { return nil }
    return ClusterMember(nodeID: record.nodeID, address: address)
  }
}
