import GoetheKit

/// The members of a cluster, read from the EndpointSlices of its headless Service.
///
/// A member is an endpoint that is serving and not terminating. The headless Service publishes
/// addresses that are not ready (`publishNotReadyAddresses`), for which Kubernetes always reports
/// `ready`; `serving` still tells whether the pod passes its readiness probe, so it comes first,
/// then `ready` where a slice has no `serving`. A terminating pod has left, even while it drains.
/// A node is named by its hostname, which a StatefulSet sets to the pod's name, else by the pod
/// its endpoint points at.
enum EndpointSliceMembers {
  /// The port named `grpc` of a slice, else its only port.
  static let portName = "grpc"

  static func members(of slices: some Sequence<EndpointSlice>) -> [ClusterMember] {
    var members: [String: ClusterMember] = [:]
    for slice in slices.sorted(by: { $0.metadata.name < $1.metadata.name }) {
      guard let port = port(of: slice) else { continue }
      for endpoint in slice.endpoints ?? [] where isMember(endpoint) {
        guard let address = endpoint.addresses.first,
          let nodeID = endpoint.hostname ?? endpoint.targetRef?.name
        else { continue }
        // During a rollout one endpoint can be in two slices for a moment: the first counts.
        if members[nodeID] == nil {
          members[nodeID] = ClusterMember(nodeID: nodeID, address: ServerAddress(host: address, port: port))
        }
      }
    }
    return members.values.sorted { $0.nodeID < $1.nodeID }
  }

  static func isMember(_ endpoint: EndpointSlice.Endpoint) -> Bool {
    let conditions = endpoint.conditions
    if conditions?.terminating == true { return false }
    return conditions?.serving ?? conditions?.ready ?? true
  }

  private static func port(of slice: EndpointSlice) -> Int? {
    let ports = slice.ports ?? []
    let named = ports.first { $0.name == portName } ?? (ports.count == 1 ? ports.first : nil)
    return named?.port
  }
}
