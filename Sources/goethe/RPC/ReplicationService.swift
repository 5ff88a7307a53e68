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

  /// The same, on one stream: each request is answered in order.
  func replicateStream(
    requests: RequestStream<Io_Typusomega_Goethe_Replication_ReplicateRequest>,
    responses: ResponseWriter<Io_Typusomega_Goethe_Replication_ReplicateResponse>
  ) async throws {
    for try await request in requests {
      try await responses.write(try await follower.replicate(request))
    }
  }
}

extension ReplicationService: RPCService {
  var methods: [String: RPCMethod] {
    let route = RouteAccess(control: access)
    return [
      "/io.typusomega.goethe.replication.Replication/Replicate": route.admin(replicate),
      "/io.typusomega.goethe.replication.Replication/ReplicateStream": route.admin(replicateStream),
    ]
  }
}
