import GoetheKit
import Testing

@testable import goethe

struct EndpointSliceMembersTests {
  private func endpoint(
    _ host: String, _ address: String, ready: Bool? = nil, serving: Bool? = nil, terminating: Bool? = nil
  ) -> EndpointSlice.Endpoint {
    EndpointSlice.Endpoint(
      addresses: [address],
      conditions: EndpointSlice.Conditions(ready: ready, serving: serving, terminating: terminating),
      hostname: host, targetRef: nil)
  }

  private func slice(
    _ name: String, ports: [EndpointSlice.Port], _ endpoints: [EndpointSlice.Endpoint]
  )
    -> EndpointSlice
  {
    EndpointSlice(metadata: ObjectMeta(name: name), addressType: "IPv4", endpoints: endpoints, ports: ports)
  }

  @Test func servingEndpointsThatAreNotTerminatingAreMembers() {
    let members = EndpointSliceMembers.members(of: [
      slice(
        "a", ports: [EndpointSlice.Port(name: "metrics", port: 9090), EndpointSlice.Port(name: "grpc", port: 1337)],
        [
          endpoint("goethe-0", "10.0.0.1", ready: true, serving: true, terminating: false),
          // publishNotReadyAddresses: ready stays true, serving says the probe fails.
          endpoint("goethe-1", "10.0.0.2", ready: true, serving: false, terminating: false),
          endpoint("goethe-2", "10.0.0.3", ready: false, serving: true, terminating: true),
          // Unknown conditions count as ready and serving, and not terminating.
          endpoint("goethe-3", "10.0.0.4"),
          endpoint("goethe-4", "10.0.0.5", ready: false),
        ])
    ])
    #expect(
      members == [
        ClusterMember(nodeID: "goethe-0", address: ServerAddress(host: "10.0.0.1", port: 1337)),
        ClusterMember(nodeID: "goethe-3", address: ServerAddress(host: "10.0.0.4", port: 1337)),
      ])
  }

  @Test func aNodeIsNamedByItsHostnameElseItsPodAndCountsOnce() {
    var byPod = endpoint("x", "10.0.0.7")
    byPod.hostname = nil
    byPod.targetRef = EndpointSlice.ObjectReference(kind: "Pod", name: "goethe-7")
    let members = EndpointSliceMembers.members(of: [
      slice("b", ports: [EndpointSlice.Port(name: nil, port: 2000)], [endpoint("goethe-1", "10.0.0.9")]),
      slice("a", ports: [EndpointSlice.Port(name: nil, port: 1000)], [endpoint("goethe-1", "10.0.0.2"), byPod]),
    ])
    #expect(
      members == [
        ClusterMember(nodeID: "goethe-1", address: ServerAddress(host: "10.0.0.2", port: 1000)),
        ClusterMember(nodeID: "goethe-7", address: ServerAddress(host: "10.0.0.7", port: 1000)),
      ])
  }

  @Test func aSliceWithoutAClearPortNamesNoMembers() {
    let ports = [EndpointSlice.Port(name: "a", port: 1), EndpointSlice.Port(name: "b", port: 2)]
    #expect(EndpointSliceMembers.members(of: [slice("a", ports: ports, [endpoint("goethe-0", "10.0.0.1")])]).isEmpty)
  }
}
