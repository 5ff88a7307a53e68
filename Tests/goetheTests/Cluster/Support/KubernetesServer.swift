import Foundation
import GoetheKit
import TestSupport

@testable import goethe

/// The Kubernetes API fake on a real etcd, for the coordinator tests. The tests play
/// Kubernetes' endpoint controller: they write each node's EndpointSlice.
struct KubernetesServer: Sendable {
  let fake: KubernetesAPIFakeProcess
  let etcd: EtcdServer
  static let namespace = "goethe-test"
  static let service = "test-headless"

  var apiSettings: KubernetesAPISettings {
    KubernetesAPISettings(server: fake.url, namespace: Self.namespace, tokenFile: nil, caFile: nil)
  }

  static func withServer<Result: Sendable>(
    arguments: [String] = [], tls: Bool = false, _ body: (KubernetesServer) async throws -> Result
  ) async throws -> Result {
    try await EtcdServer.withServer { etcd in
      try await KubernetesAPIFakeProcess.withFake(etcdURL: etcd.etcd.clientURL, arguments: arguments, tls: tls) {
        try await body(KubernetesServer(fake: $0, etcd: etcd))
      }
    }
  }

  /// The coordinator of node `n<node>`, which tries again every 250 ms at most, for quick tests.
  func coordinator(node: Int, leaseTTL: Duration, api: KubernetesAPISettings? = nil) -> KubernetesCoordinator {
    var settings = KubernetesCoordinator.Settings(api: api ?? apiSettings, cluster: "test", service: Self.service)
    settings.scale(leaseDuration: leaseTTL)
    settings.retryPeriod = min(settings.retryPeriod, .milliseconds(250))
    return KubernetesCoordinator(member: testMember(node), settings: settings, logger: quietLogger)
  }

  /// Writes `member`'s EndpointSlice of the headless Service, one per node as the endpoint
  /// controller makes one per port: serving, or terminating.
  func publishEndpoint(of member: ClusterMember, serving: Bool) async throws {
    let api = KubernetesAPI(settings: apiSettings)
    let path = "/apis/discovery.k8s.io/v1/namespaces/\(Self.namespace)/endpointslices"
    let name = "\(Self.service)-\(member.nodeID)"
    let slice = EndpointSlice(
      metadata: ObjectMeta(name: name, labels: ["kubernetes.io/service-name": Self.service]),
      addressType: "IPv4",
      endpoints: [
        EndpointSlice.Endpoint(
          addresses: [member.address.host],
          conditions: EndpointSlice.Conditions(ready: serving, serving: serving, terminating: !serving),
          hostname: member.nodeID, targetRef: EndpointSlice.ObjectReference(kind: "Pod", name: member.nodeID))
      ],
      ports: [EndpointSlice.Port(name: "grpc", port: member.address.port)])
    if try await api.create(slice, in: path) == nil {
      _ = try await api.replace(path + "/" + name, with: slice)
    }
  }
}
