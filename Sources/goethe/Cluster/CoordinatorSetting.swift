import GoetheKit

/// Which coordinator a node uses (`--coordinator`): `static`, the default, is a cluster of one.
enum CoordinatorSetting: Equatable, Sendable {
  case single

  init(parsing text: String) throws(GoetheError) {
    switch text {
    case "static": self = .single
    default: throw GoetheError(.invalidArgument, "invalid value \"\(text)\": use static")
    }
  }

  /// The coordinator for `member` of the cluster `cluster`.
  func makeCoordinator(for member: ClusterMember, cluster: String, leaseTTL: Duration) -> any Coordinator {
    switch self {
    case .single: StaticCoordinator(member: member)
    }
  }
}
