import GoetheKit
import Logging

/// Which coordinator a node uses (`--coordinator`): `static`, the default, is a cluster of one;
/// `etcd://HOST:PORT[,HOST:PORT...]` coordinates through etcd v3; `kubernetes` through the API of
/// the Kubernetes cluster the node runs in.
enum CoordinatorSetting: Equatable, Sendable {
  case single
  case etcd(EtcdEndpoints)
  case kubernetes

  init(parsing text: String) throws(GoetheError) {
    if text == "static" {
      self = .single
    } else if text == "kubernetes" {
      self = .kubernetes
    } else if text.hasPrefix("etcd://") {
      self = .etcd(try EtcdEndpoints(parsing: text))
    } else {
      throw GoetheError(
        .invalidArgument,
        "invalid value \(GoetheError.quoted(text)): use static, kubernetes or etcd://HOST:PORT[,HOST:PORT...]")
    }
  }

  /// What a node needs, besides its identity, to make its coordinator.
  struct Context: Sendable {
    var cluster: String
    /// The lease's length; nil: the backend's default (etcd 10 s, Kubernetes 15 s).
    var leaseTTL: Duration?
    /// The headless Service of the Kubernetes members; nil: `<cluster>-headless`.
    var kubernetesService: String?
    /// The process's environment, where a pod finds the Kubernetes API.
    var environment: [String: String]
  }

  /// The coordinator for `member`.
  func makeCoordinator(
    for member: ClusterMember, _ context: Context, logger: Logger
  ) throws(GoetheError)
    -> any Coordinator
  {
    switch self {
    case .single:
      return StaticCoordinator(member: member)
    case .etcd(let endpoints):
      var settings = EtcdCoordinator.Settings(endpoints: endpoints, cluster: context.cluster)
      if let ttl = context.leaseTTL { settings.leaseTTL = ttl }
      do {
        return try EtcdCoordinator(member: member, settings: settings, logger: logger)
      } catch let error as GoetheError {
        throw error
      } catch {
        throw GoetheError(.invalidArgument, "cannot use etcd at \(endpoints): \(error)")
      }
    case .kubernetes:
      // The Lease and ConfigMaps are named after the cluster, and Kubernetes names are DNS names.
      guard context.cluster.allSatisfy({ $0.isLowercase || $0.isNumber || "-.".contains($0) }) else {
        throw GoetheError(
          .invalidArgument,
          "--cluster \(context.cluster): with --coordinator kubernetes, use lowercase letters, digits, '-' and '.'")
      }
      var settings = KubernetesCoordinator.Settings(
        api: try KubernetesAPISettings.inCluster(environment: context.environment), cluster: context.cluster,
        service: context.kubernetesService ?? "\(context.cluster)-headless")
      if let ttl = context.leaseTTL { settings.scale(leaseDuration: ttl) }
      return KubernetesCoordinator(member: member, settings: settings, logger: logger)
    }
  }
}
