/// The `io.typusomega.goethe.replication.Replication` service: a follower takes its leader's
/// committed writes (``FollowerReplica``).
struct ReplicationService: Sendable {
  let follower: FollowerReplica
  /// Under an auth file, only nodes (callers with `admin`) replicate.
  let access: AccessControl

  func replicate(
    request: Io_Typusomega_Goethe_Replication_ReplicateRequest
  ) async throws -> Io_Typusomega_Goethe_Replication_ReplicateResponse {
    try await follower.replicate(request)
  }
}

extension ReplicationService: RPCService {
  var methods: [String: RPCMethod] {
    ["/io.typusomega.goethe.replication.Replication/Replicate": RouteAccess(control: access).admin(replicate)]
  }
}
