import Foundation
import GoetheKit
import Logging

/// The daemon's settings. Each comes from, in order of precedence, its command-line flag, its
/// `GOETHE_*` environment variable, the config file (``KeyValueSnapshot``), the built-in default;
/// ``SettingSources`` reads them.
struct DaemonConfiguration: Sendable, Equatable {
  var listen = ServerAddress.defaultServer
  var dataDirectory = "./goethe-data"
  var durability = Durability.always
  var indexGranularity = Granularity.hour
  var maxEventSize = ByteSize(1 << 20)
  /// The retention limits of topics created without their own.
  var defaultRetention = RetentionLimits.none
  /// How often retention removes what topics' limits no longer keep.
  var retentionInterval: Duration = .seconds(1)
  var metricsListen: ServerAddress?
  var logLevel = Logger.Level.info
  var autoCreateTopics = true
  var v1ConsumeFollows = false
  var idleTimeout: Duration? = .seconds(30 * 60)
  var handshakeTimeout: Duration = .seconds(10)
  /// How long a graceful shutdown waits for open calls before it closes their connections.
  var shutdownTimeout: Duration = .seconds(10)
  /// The cluster's name, which its nodes share in the coordinator.
  var clusterName = "goethe"
  var coordinator = CoordinatorSetting.single
  /// This node's identity in the cluster; by default the one its store was created with.
  var nodeID: String?
  /// What peers and clients dial to reach this node; by default the address it listens on.
  var advertise: ServerAddress?
  /// How long a node's lease lasts unrenewed; by default the coordinator's own default.
  var leaseTTL: Duration?
  /// The headless Service whose EndpointSlices list the members (`--coordinator kubernetes`).
  var kubernetesService: String?
  /// How the leader distributes its writes (`--replica-timeout`, `--min-insync`).
  var replication = ReplicationSettings()
  /// The PEM files of the server's certificate and key: with both, the daemon serves TLS only.
  var tlsCertificate: String?
  var tlsKey: String?
  /// The PEM file of the CA that signs client certificates: with it, mutual TLS.
  var tlsClientCA: String?
  /// The callers and their grants; with it, every call but health checks needs credentials.
  var authFile: String?

  /// The setting names, as flags (`--data-dir`), config keys (`data-dir`) and environment
  /// variables (`GOETHE_DATA_DIR`).
  static let keys = [
    "listen", "data-dir", "sync", "index-granularity", "max-event-size", "default-max-age", "default-max-events",
    "default-max-bytes", "retention-interval", "metrics-listen", "log-level",
    "auto-create-topics", "v1-consume-follow", "idle-timeout", "handshake-timeout", "shutdown-timeout", "cluster",
    "coordinator", "node-id",
    "advertise", "lease-ttl", "kubernetes-service", "replica-timeout", "min-insync", "tls-cert", "tls-key",
    "tls-client-ca", "auth-file",
  ]

  /// What the coordinator needs besides the node's identity; `environment` is the process's.
  func coordinatorContext(environment: [String: String]) -> CoordinatorSetting.Context {
    CoordinatorSetting.Context(
      cluster: clusterName, leaseTTL: leaseTTL, kubernetesService: kubernetesService, environment: environment)
  }

  /// The settings `sources` give, over the built-in defaults; an invalid value is refused with
  /// where it came from.
  static func resolve(_ sources: SettingSources) throws(GoetheError) -> DaemonConfiguration {
    var configuration = DaemonConfiguration()
    for key in keys {
      if let (value, source) = sources.value(of: key) { try configuration.set(key, value, source: source) }
    }
    try configuration.checkTLS()
    return configuration
  }

  /// TLS takes a certificate and its key together, and mutual TLS needs TLS.
  private func checkTLS() throws(GoetheError) {
    if (tlsCertificate == nil) != (tlsKey == nil) {
      throw GoetheError(.invalidArgument, "--tls-cert and --tls-key go together: give both, or neither")
    }
    if tlsClientCA != nil, tlsCertificate == nil {
      throw GoetheError(.invalidArgument, "--tls-client-ca needs --tls-cert and --tls-key: mutual TLS is TLS")
    }
  }

  /// Applies one setting; errors name where the value came from (`--sync: …`).
  private mutating func set(_ key: String, _ value: String, source: String) throws(GoetheError) {
    do {
      try apply(key, value)
    } catch {
      throw GoetheError(.invalidArgument, "\(source): \(error.message)")
    }
  }

  private mutating func apply(_ key: String, _ value: String) throws(GoetheError) {
    func invalid(_ rule: String) -> GoetheError { GoetheError(.invalidArgument, "invalid value \"\(value)\": \(rule)") }
    switch key {
    case "listen": listen = try ServerAddress(parsing: value)
    case "data-dir":
      guard !value.isEmpty else { throw invalid("give a directory") }
      dataDirectory = value
    case "sync":
      guard let durability = Durability(rawValue: value) else { throw invalid("use always or never") }
      self.durability = durability
    case "index-granularity": indexGranularity = try Granularity(parsing: value)
    case "max-event-size": maxEventSize = try ByteSize(parsing: value)
    case "default-max-age": defaultRetention.maxAge = value == "none" ? nil : try RetentionAge.parse(value)
    case "default-max-events":
      guard value == "none" || (UInt64(value) ?? 0) > 0 else { throw invalid("give a count of events, or none") }
      defaultRetention.maxEvents = UInt64(value)
    case "default-max-bytes":
      defaultRetention.maxBytes = value == "none" ? nil : UInt64(try ByteSize(parsing: value).bytes)
    case "retention-interval": retentionInterval = try DurationExpression.parse(value)
    case "metrics-listen": metricsListen = value.isEmpty ? nil : try ServerAddress(parsing: value)
    case "log-level":
      guard let level = Logger.Level(rawValue: value) else {
        throw invalid("use one of " + Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))
      }
      logLevel = level
    case "auto-create-topics": autoCreateTopics = try Self.flag(value)
    case "v1-consume-follow": v1ConsumeFollows = try Self.flag(value)
    case "idle-timeout": idleTimeout = value == "off" ? nil : try DurationExpression.parse(value)
    case "handshake-timeout": handshakeTimeout = try DurationExpression.parse(value)
    case "shutdown-timeout": shutdownTimeout = try DurationExpression.parse(value)
    case "cluster":
      guard !value.isEmpty, value.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
        throw invalid("use letters, digits, '-', '_' and '.'")
      }
      clusterName = value
    case "coordinator": coordinator = try CoordinatorSetting(parsing: value)
    case "node-id":
      guard !value.isEmpty, !value.contains("/") else { throw invalid("give a name without '/'") }
      nodeID = value
    case "advertise": advertise = try ServerAddress(parsing: value)
    case "lease-ttl":
      let ttl = try DurationExpression.parse(value)
      guard ttl >= .seconds(2) else { throw invalid("use 2s or more") }
      leaseTTL = ttl
    case "kubernetes-service":
      guard !value.isEmpty, value.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "-" }) else {
        throw invalid("give a Service name: lowercase letters, digits and '-'")
      }
      kubernetesService = value
    case "replica-timeout":
      let timeout = try DurationExpression.parse(value)
      guard timeout >= .milliseconds(100) else { throw invalid("use 100ms or more") }
      replication.replicaTimeout = timeout
    case "min-insync":
      guard let count = Int(value), count >= 1 else { throw invalid("give a count of nodes, 1 or more") }
      replication.minInSync = count
    case "tls-cert": tlsCertificate = try Self.path(value)
    case "tls-key": tlsKey = try Self.path(value)
    case "tls-client-ca": tlsClientCA = try Self.path(value)
    case "auth-file": authFile = try Self.path(value)
    default:
      throw GoetheError(.invalidArgument, "unknown setting \(key)")
    }
  }

  private static func path(_ value: String) throws(GoetheError) -> String {
    guard !value.isEmpty else { throw GoetheError(.invalidArgument, "invalid value \"\": give a file") }
    return value
  }

  private static func flag(_ value: String) throws(GoetheError) -> Bool {
    guard let flag = ["true": true, "false": false][value.lowercased()] else {
      throw GoetheError(.invalidArgument, "invalid value \"\(value)\": use true or false")
    }
    return flag
  }

  var transportSettings: TransportSettings {
    let maxRequestSize = max(16 << 20, maxEventSize.bytes + (1 << 20))
    return TransportSettings(
      maxRequestSize: maxRequestSize, requestMemoryLimit: max(1 << 30, 16 * maxRequestSize), idleTimeout: idleTimeout,
      handshakeTimeout: handshakeTimeout, shutdownTimeout: shutdownTimeout)
  }

  var storeOptions: StoreOptions {
    StoreOptions(
      durability: durability, maxEventSize: maxEventSize.bytes, defaultGranularity: indexGranularity,
      defaultRetention: defaultRetention, recentWriteBytes: coordinator == .single ? 0 : 16 << 20)
  }
}
