import GoetheKit
import Logging

/// Which coordinator a node uses (`--coordinator`): `static`, the default, is a cluster of one;
/// `etcd://HOST:PORT[,HOST:PORT...]` coordinates through etcd v3.
enum CoordinatorSetting: Equatable, Sendable {
  case single
  case etcd(EtcdEndpoints)

  init(parsing text: String) throws(GoetheError) {
    if text == "static" {
      self = .single
    } else if text.hasPrefix("etcd://") {
      self = .etcd(try EtcdEndpoints(parsing: text))
    } else {
      throw GoetheError(
        .invalidArgument, "invalid value \(GoetheError.quoted(text)): use static or etcd://HOST:PORT[,HOST:PORT...]")
    }
  }

  /// The coordinator for `member` of the cluster `cluster`.
  func makeCoordinator(
    for member: ClusterMember, cluster: String, leaseTTL: Duration, logger: Logger
  ) throws(GoetheError) -> any Coordinator {
    switch self {
    case .single:
      return StaticCoordinator(member: member)
    case .etcd(let endpoints):
      do {
        return try EtcdCoordinator(
          member: member,
          settings: EtcdCoordinator.Settings(endpoints: endpoints, cluster: cluster, leaseTTL: leaseTTL),
          logger: logger)
      } catch let error as GoetheError {
        throw error
      } catch {
        throw GoetheError(.invalidArgument, "cannot use etcd at \(endpoints): \(error)")
      }
    }
  }
}
