import GRPCCore
import GoetheKit
import SwiftProtobuf

/// The `io.typusomega.goethe.Cluster` service: peers exchange their health tables, and any node
/// answers for the whole cluster.
struct ClusterService: Sendable {
  let gossip: HealthGossip
  /// Exchange is for peers, which need the admin grant under an auth file; Status for any caller.
  var access = AccessControl.open

  func exchange(request: Io_Typusomega_Goethe_NodeTable) async throws -> Io_Typusomega_Goethe_NodeTable {
    guard request.cluster == gossip.cluster else {
      throw RPCError(
        code: .failedPrecondition, message: "this node is in cluster \(gossip.cluster), not \(request.cluster)")
    }
    var states: [NodeState] = []
    for node in request.nodes { states.append(try NodeState(node)) }
    let known = gossip.exchange(states)
    return .with {
      $0.cluster = gossip.cluster
      $0.nodes = known.map(Io_Typusomega_Goethe_NodeState.init)
    }
  }

  func status(request: Io_Typusomega_Goethe_ClusterStatusRequest) async throws -> Io_Typusomega_Goethe_ClusterStatus {
    Io_Typusomega_Goethe_ClusterStatus(gossip.status())
  }
}

extension ClusterService: RPCService {
  var methods: [String: RPCMethod] {
    let gate = RouteAccess(control: access)
    return [
      "/io.typusomega.goethe.Cluster/Exchange": gate.admin(exchange),
      "/io.typusomega.goethe.Cluster/Status": gate.known(status),
    ]
  }
}
