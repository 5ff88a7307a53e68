import AsyncHTTPClient
import Foundation
import GoetheKit
import NIOCore
import NIOHTTP1
import TestSupport
import Testing

@testable import goethe

/// The Kubernetes API fake on a real etcd, for the coordinator tests. The tests play
/// Kubernetes' endpoint controller: they write each node's EndpointSlice.
struct KubernetesServer: Sendable {
  let fake: KubernetesAPIFakeProcess
  let etcd: EtcdServer
  /// The headless Service whose EndpointSlices ``publishEndpoint(of:serving:)`` writes.
  var service = "test-headless"
  static let namespace = "goethe-test"

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
    var settings = KubernetesCoordinator.Settings(api: api ?? apiSettings, cluster: "test", service: service)
    settings.scale(leaseDuration: leaseTTL)
    settings.retryPeriod = min(settings.retryPeriod, .milliseconds(250))
    return KubernetesCoordinator(member: testMember(node), settings: settings, logger: quietLogger)
  }

  /// Writes `member`'s EndpointSlice of the headless Service, one per node as the endpoint
  /// controller makes one per port: serving, or terminating.
  func publishEndpoint(of member: ClusterMember, serving: Bool) async throws {
    let api = KubernetesAPI(settings: apiSettings)
    let path = "/apis/discovery.k8s.io/v1/namespaces/\(Self.namespace)/endpointslices"
    let name = "\(service)-\(member.nodeID)"
    let slice = EndpointSlice(
      metadata: ObjectMeta(name: name, labels: ["kubernetes.io/service-name": service]),
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

extension KubernetesServer {
  static let leasePath = "/apis/coordination.k8s.io/v1/namespaces/\(namespace)/leases/test-leader"

  /// Compacts the etcd under the fake at its current revision, through etcd's JSON gateway, so
  /// that a watch from any older resourceVersion gets 410 Gone.
  func compactEtcd() async throws {
    let header = try await etcdGateway("/v3/kv/range", ["key": Data("/".utf8).base64EncodedString()])
    let revision = try #require((header["header"] as? [String: Any])?["revision"] as? String)
    _ = try await etcdGateway("/v3/kv/compaction", ["revision": revision, "physical": true])
  }

  private func etcdGateway(_ path: String, _ body: [String: Any]) async throws -> [String: Any] {
    var request = HTTPClientRequest(url: etcd.etcd.clientURL + path)
    request.method = .POST
    request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body)))
    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
    let data = try await response.body.collect(upTo: 1 << 20)
    try #require(response.status == .ok, "\(String(buffer: data))")
    return try #require(try JSONSerialization.jsonObject(with: Data(data.readableBytesView)) as? [String: Any])
  }
}

/// A self-signed certificate for 127.0.0.1 and its key, made with openssl, as PEM files in
/// `directory`: `<name>.crt` and `<name>.key`.
func selfSignedCertificate(in directory: URL, name: String) throws -> (certificate: String, key: String) {
  let certificate = directory.appendingPathComponent("\(name).crt").path
  let key = directory.appendingPathComponent("\(name).key").path
  let openssl = Process()
  openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
  openssl.arguments = [
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
    "-subj", "/CN=\(name)", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", certificate,
  ]
  openssl.standardOutput = FileHandle.nullDevice
  openssl.standardError = FileHandle.nullDevice
  try openssl.run()
  openssl.waitUntilExit()
  try #require(openssl.terminationStatus == 0, "openssl failed")
  return (certificate, key)
}
