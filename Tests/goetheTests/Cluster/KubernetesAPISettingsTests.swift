import Foundation
import GoetheKit
import TestSupport
import Testing

@testable import goethe

struct KubernetesAPISettingsTests {
  @Test func aPodFindsTheAPIAndItsServiceAccount() async throws {
    try await withScratchDirectory(prefix: "goethe-sa") { directory in
      try "goethe-prod\n".write(toFile: directory.path + "/namespace", atomically: true, encoding: .utf8)
      let settings = try KubernetesAPISettings.inCluster(
        environment: ["KUBERNETES_SERVICE_HOST": "10.96.0.1", "KUBERNETES_SERVICE_PORT": "443"],
        serviceAccount: directory.path)
      #expect(settings.server == "https://10.96.0.1:443")
      #expect(settings.namespace == "goethe-prod")
      #expect(settings.tokenFile == directory.path + "/token")
      #expect(settings.caFile == directory.path + "/ca.crt")

      let ipv6 = try KubernetesAPISettings.inCluster(
        environment: ["KUBERNETES_SERVICE_HOST": "fd00::1", "KUBERNETES_SERVICE_PORT": "443"],
        serviceAccount: directory.path)
      #expect(ipv6.server == "https://[fd00::1]:443")
    }
  }

  @Test func theTokenIsReadAgainForEveryRequest() async throws {
    try await withScratchDirectory(prefix: "goethe-sa") { directory in
      let file = directory.path + "/token"
      let settings = KubernetesAPISettings(server: "https://x", namespace: "n", tokenFile: file, caFile: nil)
      try "first\n".write(toFile: file, atomically: true, encoding: .utf8)
      #expect(try settings.token() == "first")
      try "rotated".write(toFile: file, atomically: true, encoding: .utf8)
      #expect(try settings.token() == "rotated")
    }
  }

  @Test func outsideAPodItSaysWhatIsMissing() async throws {
    try await withScratchDirectory(prefix: "goethe-sa") { directory in
      #expect(throws: GoetheError.self) {
        try KubernetesAPISettings.inCluster(environment: [:], serviceAccount: directory.path)
      }
      let error = #expect(throws: GoetheError.self) {
        try KubernetesAPISettings.inCluster(
          environment: ["KUBERNETES_SERVICE_HOST": "10.96.0.1", "KUBERNETES_SERVICE_PORT": "443"],
          serviceAccount: directory.path)
      }
      #expect(error?.message.contains("namespace") == true)
    }
  }

  @Test func leaseTimesAreMicroTimes() {
    #expect(KubernetesTime.microTime(Date(timeIntervalSince1970: 1_556_841_600.25)) == "2019-05-03T00:00:00.250000Z")
  }
}
