import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import GoetheKit
import Logging
import Metrics
import Synchronization

@testable import goethe

/// A real store in a temporary directory behind the daemon's gRPC server on 127.0.0.1 (an ephemeral port).
struct RPCServer: Sendable {
  typealias GoetheStub = Io_Typusomega_Goethe_Goethe.Client<HTTP2ClientTransport.Posix>
  typealias HealthStub = Grpc_Health_V1_Health.Client<HTTP2ClientTransport.Posix>

  let store: any GoetheStore
  let health: HealthService
  let role: ClusterRole
  let access: AccessControl
  let port: Int

  var address: ServerAddress { ServerAddress(host: "127.0.0.1", port: port) }

  /// A `GoetheClient` connected for the duration of `body`.
  func withClient<Result: Sendable>(_ body: (GoetheClient) async throws -> Result) async throws -> Result {
    try await GoetheClient.withConnection(to: address, timeout: .seconds(30), body)
  }

  /// The generated stub, for calls the way a Goethe v1 client makes them.
  func withStub<Result: Sendable>(_ body: (GoetheStub) async throws -> Result) async throws -> Result {
    try await withRawClient { try await body(GoetheStub(wrapping: $0)) }
  }

  func withHealthStub<Result: Sendable>(_ body: (HealthStub) async throws -> Result) async throws -> Result {
    try await withRawClient { try await body(HealthStub(wrapping: $0)) }
  }

  func withRawClient<Result: Sendable>(
    _ body: (GRPCClient<HTTP2ClientTransport.Posix>) async throws -> Result
  ) async throws -> Result {
    let transport = try HTTP2ClientTransport.Posix(
      target: .ipv4(address: "127.0.0.1", port: port), transportSecurity: .plaintext)
    return try await withGRPCClient(transport: transport, handleClient: body)
  }
}

/// Runs `body` against a fresh daemon, assembled as `goethe serve` assembles it, on an ephemeral
/// port; afterwards shuts it down the way the daemon does (health NOT_SERVING, waiting readers
/// released, graceful drain, then the store closed) and removes its directory.
func withRPCServer<Result: Sendable>(
  durability: Durability = .never,
  maxEventSize: Int = 1 << 20,
  autoCreateTopics: Bool = true,
  v1ConsumeFollows: Bool = false,
  transport settings: TransportSettings? = nil,
  clock: RPCClock? = nil,
  metrics: any MetricsFactory = NOOPMetricsHandler.instance,
  authFile: String? = nil,
  _ body: (RPCServer) async throws -> Result
) async throws -> Result {
  let directory = FileManager.default.temporaryDirectory.appendingPathComponent("goethe-rpc-\(UUID().uuidString)")
  defer { try? FileManager.default.removeItem(at: directory) }
  var configuration = DaemonConfiguration()
  configuration.dataDirectory = directory.path
  configuration.durability = durability
  configuration.maxEventSize = ByteSize(maxEventSize)
  configuration.autoCreateTopics = autoCreateTopics
  configuration.v1ConsumeFollows = v1ConsumeFollows
  configuration.authFile = authFile
  var options = configuration.storeOptions
  if let clock { options.clock = { clock.now } }
  let assembly = try DaemonAssembly(
    configuration: configuration, socket: try ListeningSocket(binding: ServerAddress(host: "127.0.0.1", port: 0)),
    shutdownSignals: [], logger: Logger(label: "goethe", factory: { _ in SwiftLogNoOpLogHandler() }),
    substitutes: DaemonAssembly.Substitutes(storeOptions: options, transport: settings, metrics: metrics))

  return try await withThrowingTaskGroup(of: Void.self) { group in
    group.addTask { try await assembly.run() }
    do {
      guard let port = await assembly.daemon.listeningAddress?.port else {
        throw GoetheError(.internalError, "the test server did not bind an IPv4 address")
      }
      let result = try await body(
        RPCServer(
          store: assembly.store, health: assembly.daemon.health, role: assembly.role, access: assembly.access,
          port: port))
      await assembly.shutDown()
      try await group.waitForAll()
      return result
    } catch {
      await assembly.shutDown()
      try? await group.waitForAll()
      throw error
    }
  }
}

/// A wall clock the test sets, so that event ids (which are commit times) are known in advance.
/// Each reading returns the set time; the store still keeps ids strictly increasing on its own.
final class RPCClock: Sendable {
  private let time: Mutex<UInt64>

  init(_ start: UInt64 = RPCClock.base) { time = Mutex(start) }

  var now: UInt64 { time.withLock { $0 } }

  func set(_ newTime: UInt64) { time.withLock { $0 = newTime } }

  /// A UTC minute boundary: 2023-11-14T22:14:00Z.
  static let base: UInt64 = 1_700_000_040 * second
  static let second: UInt64 = 1_000_000_000
}

extension GoetheClient {
  /// Appends one event per payload, each in its own call at the clock time given with it.
  func appendEach(
    _ entries: [(time: UInt64, payload: String)], to topic: String, clock: RPCClock
  ) async throws
    -> [UInt64]
  {
    var ids: [UInt64] = []
    for entry in entries {
      clock.set(entry.time)
      ids.append(try await append([Data(entry.payload.utf8)], to: topic).firstID)
    }
    return ids
  }

  /// Everything a non-following subscription delivers, with where it said it starts.
  func collect(
    _ topic: String, from: ReadStartRequest = .position(.beginning), to bound: ReadBound? = nil, limit: UInt64? = nil
  ) async throws -> (start: StartInfo, headSequence: UInt64, events: [StoredEvent]) {
    try await subscribe(topic, from: from, to: bound, limit: limit) { subscription in
      var events: [StoredEvent] = []
      for try await batch in subscription { events += batch }
      return (subscription.start, subscription.headSequence, events)
    }
  }
}

/// Small conversions shared by the RPC tests (namespaced: the storage tests have helpers of their own).
enum RPCTest {
  static func data(_ texts: String...) -> [Data] { texts.map { Data($0.utf8) } }

  static func texts(_ events: [StoredEvent]) -> [String] {
    events.map { String(decoding: $0.payload, as: UTF8.self) }
  }
}
