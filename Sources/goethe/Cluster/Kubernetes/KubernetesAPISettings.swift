import Foundation
import GoetheKit

/// Where the Kubernetes API is, and how goethe authenticates to it: in a pod, from what Kubernetes
/// puts there (``inCluster(environment:serviceAccount:)``).
struct KubernetesAPISettings: Sendable, Equatable {
  /// `https://HOST:PORT`, with no trailing slash.
  var server: String
  /// The namespace of the Lease, the ConfigMaps and the EndpointSlices.
  var namespace: String
  /// The bearer token's file, read for every request; none: no Authorization header.
  var tokenFile: String?
  /// The CA that signs the API server's certificate; none: plain HTTP or the system's roots.
  var caFile: String?

  static let serviceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount"

  /// The settings of a pod: the API server from `KUBERNETES_SERVICE_HOST` and
  /// `KUBERNETES_SERVICE_PORT`, and the token, CA and namespace files of its service account.
  static func inCluster(
    environment: [String: String], serviceAccount directory: String = serviceAccountDirectory
  ) throws(GoetheError) -> KubernetesAPISettings {
    guard let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty,
      let port = environment["KUBERNETES_SERVICE_PORT"], !port.isEmpty
    else {
      throw GoetheError(
        .invalidArgument,
        "--coordinator kubernetes needs KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT: run goethe in a pod")
    }
    let namespaceFile = directory + "/namespace"
    guard let namespace = try? String(contentsOfFile: namespaceFile, encoding: .utf8), !namespace.isEmpty else {
      throw GoetheError(
        .invalidArgument, "--coordinator kubernetes: cannot read the namespace from \(namespaceFile)")
    }
    // An IPv6 address goes in brackets in a URL.
    let authority = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    return KubernetesAPISettings(
      server: "https://\(authority)", namespace: namespace.trimmingCharacters(in: .whitespacesAndNewlines),
      tokenFile: directory + "/token", caFile: directory + "/ca.crt")
  }

  /// The current token, read now: Kubernetes rotates a projected token in place.
  func token() throws -> String? {
    guard let tokenFile else { return nil }
    do {
      return try String(contentsOfFile: tokenFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    } catch {
      throw GoetheError(.unavailable, "cannot read the Kubernetes service account token \(tokenFile): \(error)")
    }
  }
}
