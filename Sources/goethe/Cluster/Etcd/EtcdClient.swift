import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import GoetheKit
import SwiftProtobuf
import Synchronization

/// The etcd v3 API as the coordinator uses it, over one gRPC connection: every failure becomes a
/// ``GoetheError`` that names the endpoints, and every request-response call has a deadline, so an
/// unreachable etcd is an error rather than a hang. Streams have no deadline; they end with the
/// connection.
///
/// Nothing is dialled until ``runConnections()``, which runs once; calls made before wait for it
/// (up to their deadline), and calls made after ``close()`` fail.
final class EtcdClient: Sendable {
  typealias Transport = HTTP2ClientTransport.Posix

  let endpoints: EtcdEndpoints
  let requestTimeout: Duration
  private let grpc: GRPCClient<Transport>
  private let kv: Etcdserverpb_KV.Client<Transport>
  private let watchService: Etcdserverpb_Watch.Client<Transport>
  private let lease: Etcdserverpb_Lease.Client<Transport>
  private let election: V3electionpb_Election.Client<Transport>
  private let closed = Atomic(false)

  init(endpoints: EtcdEndpoints, requestTimeout: Duration) throws {
    var resolvers = NameResolverRegistry()
    resolvers.registerFactory(EtcdEndpointsResolverFactory())
    do {
      grpc = GRPCClient(
        transport: try HTTP2ClientTransport.Posix(
          target: EtcdEndpointsTarget(endpoints: endpoints), transportSecurity: .plaintext,
          resolverRegistry: resolvers))
    } catch {
      throw GoetheError(.invalidArgument, "cannot use etcd at \(endpoints): \(error)", cause: error)
    }
    self.endpoints = endpoints
    self.requestTimeout = requestTimeout
    kv = .init(wrapping: grpc)
    watchService = .init(wrapping: grpc)
    lease = .init(wrapping: grpc)
    election = .init(wrapping: grpc)
  }

  /// Maintains the connection until ``close()`` or cancellation (which ends every call at once).
  func runConnections() async throws {
    try await grpc.runConnections()
  }

  /// Lets the calls in flight finish, and fails any new one.
  func close() {
    closed.store(true, ordering: .relaxed)
    grpc.beginGracefulShutdown()
  }

  var isClosed: Bool { closed.load(ordering: .relaxed) }

  /// Connects to `endpoints`, runs `body`, then closes the connection.
  static func withClient<Result: Sendable>(
    endpoints: EtcdEndpoints, requestTimeout: Duration, _ body: (EtcdClient) async throws -> Result
  ) async throws -> Result {
    let client = try EtcdClient(endpoints: endpoints, requestTimeout: requestTimeout)
    return try await withThrowingTaskGroup(of: Void.self) { group in
      group.addTask { try await client.runConnections() }
      defer { client.close() }
      let result = try await body(client)
      // Streams still open (a keepalive, a watch) would hold the graceful shutdown.
      group.cancelAll()
      return result
    }
  }

  /// Request-response calls: with a deadline, and failing at once while etcd cannot be reached
  /// rather than waiting for it.
  private var unaryOptions: CallOptions {
    var options = CallOptions.defaults
    options.timeout = requestTimeout
    options.waitForReady = false
    return options
  }

  /// Streams and calls that wait on purpose (a campaign): no deadline.
  private var streamOptions: CallOptions {
    var options = CallOptions.defaults
    options.timeout = nil
    options.waitForReady = false
    return options
  }

  // MARK: KV

  func range(_ request: Etcdserverpb_RangeRequest) async throws -> Etcdserverpb_RangeResponse {
    try await call { try await kv.range(request, options: unaryOptions) }
  }

  /// Every key that starts with `prefix`, and the revision of the store they were read at.
  func range(prefix: String) async throws -> Etcdserverpb_RangeResponse {
    let key = Data(etcdKey: prefix)
    return try await range(
      .with {
        $0.key = key
        $0.rangeEnd = key.prefixRangeEnd
      })
  }

  func put(_ request: Etcdserverpb_PutRequest) async throws -> Etcdserverpb_PutResponse {
    try await call { try await kv.put(request, options: unaryOptions) }
  }

  func txn(_ request: Etcdserverpb_TxnRequest) async throws -> Etcdserverpb_TxnResponse {
    try await call { try await kv.txn(request, options: unaryOptions) }
  }

  // MARK: Leases

  func grantLease(ttl: Duration) async throws -> Etcdserverpb_LeaseGrantResponse {
    let seconds = max(1, ttl.components.seconds)
    return try await call { try await lease.leaseGrant(.with { $0.ttl = seconds }, options: unaryOptions) }
  }

  func revokeLease(_ id: Int64) async throws {
    _ = try await call { try await lease.leaseRevoke(.with { $0.id = id }, options: unaryOptions) }
  }

  /// Runs a keepalive stream: `produce` writes the requests, `consume` reads the answers.
  func keepAlive<Result: Sendable>(
    produce: @escaping @Sendable (RPCWriter<Etcdserverpb_LeaseKeepAliveRequest>) async throws -> Void,
    consume:
      @escaping @Sendable (RPCAsyncSequence<Etcdserverpb_LeaseKeepAliveResponse, any Error>) async throws ->
      Result
  ) async throws -> Result {
    try await call {
      try await lease.leaseKeepAlive(options: streamOptions, requestProducer: produce) { response in
        try await consume(response.messages)
      }
    }
  }

  // MARK: Watch

  /// Watches every key that starts with `prefix` from `revision` on; `consume` reads the answers.
  func watch<Result: Sendable>(
    prefix: String, from revision: Int64,
    consume: @escaping @Sendable (RPCAsyncSequence<Etcdserverpb_WatchResponse, any Error>) async throws -> Result
  ) async throws -> Result {
    let key = Data(etcdKey: prefix)
    let create = Etcdserverpb_WatchRequest.with {
      $0.createRequest = .with {
        $0.key = key
        $0.rangeEnd = key.prefixRangeEnd
        $0.startRevision = revision
      }
    }
    return try await call {
      try await watchService.watch(
        options: streamOptions,
        requestProducer: { writer in
          try await writer.write(create)
          // The request stream stays open for as long as the watch: the call cancels it when the
          // answers end.
          while true { try await Task.sleep(for: .seconds(3600)) }
        },
        onResponse: { response in try await consume(response.messages) })
    }
  }

  // MARK: Election

  /// Waits until the candidate of `lease` leads the election `name`; no deadline.
  func campaign(name: String, lease: Int64, value: [UInt8]) async throws -> V3electionpb_LeaderKey {
    let request = V3electionpb_CampaignRequest.with {
      $0.name = Data(etcdKey: name)
      $0.lease = lease
      $0.value = Data(value)
    }
    return try await call { try await election.campaign(request, options: streamOptions).leader }
  }

  func resign(_ leader: V3electionpb_LeaderKey) async throws {
    _ = try await call { try await election.resign(.with { $0.leader = leader }, options: unaryOptions) }
  }

  // MARK: Errors

  private func call<Result>(_ body: () async throws -> Result) async throws -> Result {
    do {
      return try await body()
    } catch {
      throw EtcdClient.error(error, endpoints: endpoints, timeout: requestTimeout)
    }
  }

  /// A gRPC failure as a one-line ``GoetheError`` that names etcd and its endpoints; other errors
  /// (the coordinator's own, cancellation) as they are.
  static func error(_ error: any Error, endpoints: EtcdEndpoints, timeout: Duration) -> any Error {
    guard let error = error as? RPCError else { return error }
    // etcd's election service reports a lapsed lease with another code than its lease service.
    if error.message.contains("requested lease not found") {
      return GoetheError(.notFound, "etcd at \(endpoints): \(error.message)", cause: error)
    }
    switch error.code {
    case .cancelled:
      return CancellationError()
    case .unavailable:
      return GoetheError(.unreachable, "cannot reach etcd at \(endpoints) (\(error.transportReason))", cause: error)
    case .deadlineExceeded:
      return GoetheError(
        .deadlineExceeded, "etcd at \(endpoints) did not answer within \(describe(timeout))", cause: error)
    case .notFound:
      return GoetheError(.notFound, "etcd at \(endpoints): \(error.message)", cause: error)
    default:
      return GoetheError(.unavailable, "etcd at \(endpoints) failed: \(error.message)", cause: error)
    }
  }

  /// `5 s`, or `500 ms` when not whole seconds.
  static func describe(_ duration: Duration) -> String {
    let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    return milliseconds % 1000 == 0 ? "\(milliseconds / 1000) s" : "\(milliseconds) ms"
  }
}
