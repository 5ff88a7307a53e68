import Foundation
import GoetheKit
import InMemoryLogging
import Logging
import TestSupport
import Testing

@testable import goethe

/// What the Kubernetes coordinator does beyond the contract suite: in-cluster credentials over
/// TLS, fencing by the Lease's epoch, and watches that outlive their resourceVersion. Against the
/// Kubernetes API fake on a real etcd.
@Suite(.timeLimit(.minutes(1)))
struct KubernetesCoordinatorTests {
  @Test func aPodAuthenticatesWithItsRotatingTokenAndTrustsOnlyTheClusterCA() async throws {
    try await withScratchDirectory(prefix: "goethe-k8s") { directory in
      let (certificate, key) = try selfSignedCertificate(in: directory, name: "apiserver")
      let (otherCertificate, _) = try selfSignedCertificate(in: directory, name: "other")
      let account = directory.appendingPathComponent("serviceaccount")
      try FileManager.default.createDirectory(at: account, withIntermediateDirectories: true)
      let write = { (text: String, file: String) in try text.write(toFile: file, atomically: true, encoding: .utf8) }
      let serverToken = directory.appendingPathComponent("server-token").path
      try write("first", serverToken)
      try write("first\n", account.path + "/token")
      try write(KubernetesServer.namespace, account.path + "/namespace")
      try FileManager.default.copyItem(atPath: certificate, toPath: account.path + "/ca.crt")

      let arguments = ["--token-file", serverToken, "--tls-cert", certificate, "--tls-key", key]
      try await KubernetesServer.withServer(arguments: arguments, tls: true) { server in
        let environment = ["KUBERNETES_SERVICE_HOST": "127.0.0.1", "KUBERNETES_SERVICE_PORT": "\(server.fake.port)"]
        let inCluster = { try KubernetesAPISettings.inCluster(environment: environment, serviceAccount: account.path) }
        let node = server.coordinator(node: 1, leaseTTL: .seconds(10), api: try inCluster())
        #expect(try await node.compareAndSet("in-sync", to: [1], expected: nil))

        try write("second", serverToken)
        try write("second", account.path + "/token")
        #expect(try await node.metadata("in-sync")?.value == [1], "the rotated token is read")

        try write("third", serverToken)
        let refused = await #expect(throws: KubernetesAPIError.self) { try await node.metadata("in-sync") }
        #expect(refused?.status == 401)

        // A service account whose CA did not sign the server's certificate.
        var distrust = try inCluster()
        distrust.caFile = otherCertificate
        let distrusting = server.coordinator(node: 2, leaseTTL: .seconds(10), api: distrust)
        await #expect(throws: (any Error).self, "a server another CA signed") {
          try await distrusting.metadata("in-sync")
        }
      }
    }
  }

  @Test func aLeaderThatFindsAHigherEpochOnTheLeaseStepsDown() async throws {
    try await KubernetesServer.withServer { server in
      let node = server.coordinator(node: 1, leaseTTL: .seconds(10))
      let run = Task { try await node.run() }
      defer { run.cancel() }
      let epoch = try await node.campaign()
      #expect(node.holdsLeadership(epoch: epoch))

      // n2 takes the Lease, as it could once n1 had been paused past the lease duration: read,
      // then a guarded write, again if n1's renewal came in between (409).
      let api = KubernetesAPI(settings: server.apiSettings)
      try await eventually("n2 takes the Lease") {
        guard var lease: Lease = try await api.get(KubernetesServer.leasePath) else { return false }
        lease.spec.holderIdentity = "n2"
        lease.spec.leaseTransitions = Int(epoch) + 1
        return try await api.replace(KubernetesServer.leasePath, with: lease) != nil
      }
      try await eventually("n1 steps down") { !node.holdsLeadership(epoch: epoch) }

      // Its next campaign waits for n2's lease to lapse, and then leads under a higher epoch still.
      let campaign = Task { try await node.campaign() }
      try await eventually("n1 waits") { node.isWaitingForLeadership }
      let next = try await campaign.value
      #expect(next > epoch + 1)
    }
  }

  @Test func aRestartedLeaderLeadsUnderANewEpoch() async throws {
    try await KubernetesServer.withServer { server in
      let before = server.coordinator(node: 1, leaseTTL: .seconds(10))
      let first = try await before.campaign()
      let after = server.coordinator(node: 1, leaseTTL: .seconds(10))
      let second = try await after.campaign()
      #expect(second == first + 1, "a new leadership, not the old one renewed")
      #expect(after.holdsLeadership(epoch: second))
      #expect(!after.holdsLeadership(epoch: first))
    }
  }

  @Test func aWatchFromAnExpiredResourceVersionListsAgain() async throws {
    try await KubernetesServer.withServer { server in
      var handler = InMemoryLogHandler()
      handler.logLevel = .debug
      let logger = Logger(label: "goethe.test", factory: { [handler] _ in handler })
      var reflector = KubernetesReflector<EndpointSlice>(
        api: KubernetesAPI(settings: server.apiSettings),
        path: "/apis/discovery.k8s.io/v1/namespaces/\(KubernetesServer.namespace)/endpointslices",
        query: ["labelSelector": "kubernetes.io/service-name=\(server.service)"], retry: .milliseconds(100))
      reflector.watchTimeout = .seconds(1)
      let observed = Recorder(reflector.snapshots(logger: logger))
      defer { observed.cancel() }
      try await server.publishEndpoint(of: testMember(1), serving: true)
      try await eventually("n1's slice is seen") { observed.last?.count == 1 }

      // Writes the watch does not select move etcd on; compacted, the watch's version is gone.
      let other = KubernetesServer(fake: server.fake, etcd: server.etcd, service: "other-headless")
      for node in 10..<15 { try await other.publishEndpoint(of: testMember(node), serving: true) }
      try await server.compactEtcd()
      try await eventually("the watch found its version expired") {
        handler.entries.contains { $0.message.description.contains("expired") }
      }
      try await server.publishEndpoint(of: testMember(2), serving: true)
      try await eventually("n2's slice is seen after listing again") { observed.last?.count == 2 }
    }
  }
}
