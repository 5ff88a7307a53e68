import ArgumentParser
import Foundation
import GoetheKit
import Logging
import ServiceLifecycle
import UnixSignals

struct ServeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "serve",
    abstract: "Serve the Goethe API (the default).",
    discussion: """
      Every option can also come from the environment (GOETHE_LISTEN, GOETHE_DATA_DIR, GOETHE_SYNC, \
      GOETHE_INDEX_GRANULARITY, GOETHE_MAX_EVENT_SIZE, GOETHE_METRICS_LISTEN, GOETHE_LOG_LEVEL, \
      GOETHE_AUTO_CREATE_TOPICS, GOETHE_V1_CONSUME_FOLLOW, GOETHE_IDLE_TIMEOUT, GOETHE_HANDSHAKE_TIMEOUT, GOETHE_CLUSTER, GOETHE_COORDINATOR, GOETHE_NODE_ID, GOETHE_ADVERTISE, \
      GOETHE_LEASE_TTL, GOETHE_KUBERNETES_SERVICE, GOETHE_TLS_CERT, GOETHE_TLS_KEY, GOETHE_TLS_CLIENT_CA, \
      GOETHE_AUTH_FILE) or from the config file (`key = value` lines, keys as the options' \
      names; --config or GOETHE_CONFIG names it). Flags win over the environment, which wins over the \
      file. While goethe runs it checks the file every 2 seconds and applies a new log-level at once; \
      other settings take effect at the next start. The TLS certificate and key are reread when their \
      files change (checked every 2 seconds), and the auth file on SIGHUP.

      With --tls-cert and --tls-key goethe serves TLS only; --tls-client-ca makes it mutual TLS, \
      where clients must present a certificate that CA signed. With --auth-file every call but the \
      gRPC health checks needs a token (authorization: Bearer TOKEN) or, under mutual TLS, a client \
      certificate whose subject's common name the file names; the file's lines are \
      NAME SHA256HEX GRANT..., with the grants admin, produce:GLOB, consume:GLOB and describe:GLOB. \
      See docs/security.md.
      """)

  @Option(help: ArgumentHelp("Address to serve gRPC on (default 127.0.0.1:1337).", valueName: "host:port"))
  var listen: String?

  @Option(
    name: .customLong("data-dir"),
    help: ArgumentHelp("Directory of the store (default ./goethe-data).", valueName: "dir"), completion: .directory)
  var dataDir: String?

  @Option(
    help: ArgumentHelp(
      "always: an append returns after its batch is fsynced (default); never: no fsync, survives a process crash but not a power loss.",
      valueName: "always|never"),
    completion: .list(["always", "never"]))
  var sync: String?

  @Option(help: ArgumentHelp("Time-index bucket width of new topics, 1m to 1d (default 1h).", valueName: "duration"))
  var indexGranularity: String?

  @Option(help: ArgumentHelp("Largest event payload accepted (default 1MiB).", valueName: "size"))
  var maxEventSize: String?

  @Option(
    help: ArgumentHelp(
      "Remove events of new topics after this age, such as 7d (s, m, h, d, w); none keeps them (the default).",
      valueName: "age"))
  var defaultMaxAge: String?

  @Option(
    help: ArgumentHelp("Keep only the newest N events of new topics; none keeps all (the default).", valueName: "n"))
  var defaultMaxEvents: String?

  @Option(
    help: ArgumentHelp(
      "Keep only the newest events of new topics whose payloads fit in this size, such as 10GiB; none keeps all (the default).",
      valueName: "size"))
  var defaultMaxBytes: String?

  @Option(
    help: ArgumentHelp(
      "How often retention removes what topics' limits no longer keep (default 1s).", valueName: "duration"))
  var retentionInterval: String?

  @Option(help: ArgumentHelp("Serve Prometheus metrics on this address (off by default).", valueName: "host:port"))
  var metricsListen: String?

  @Option(
    help: ArgumentHelp("trace, debug, info, notice, warning, error or critical (default info).", valueName: "level"),
    completion: .list(Logger.Level.allCases.map(\.rawValue)))
  var logLevel: String?

  @Flag(help: "Refuse to produce to topics that do not exist instead of creating them.")
  var noAutoCreateTopics = false

  @Flag(help: "Let Goethe v1's Consume wait at the end of a topic instead of ending with RESOURCE_EXHAUSTED.")
  var v1ConsumeFollow = false

  @Option(
    help: ArgumentHelp("Close connections without calls after this long, or off (default 30m).", valueName: "duration"))
  var idleTimeout: String?

  @Option(
    help: ArgumentHelp(
      "Close connections that have not begun HTTP/2 after this long (default 10s).", valueName: "duration"))
  var handshakeTimeout: String?

  @Option(
    help: ArgumentHelp(
      "On SIGTERM, close connections whose calls have not ended after this long (default 10s).",
      valueName: "duration"))
  var shutdownTimeout: String?

  @Option(help: ArgumentHelp("The cluster's name, shared by its nodes (default goethe).", valueName: "name"))
  var cluster: String?

  @Option(
    help: ArgumentHelp(
      "How the cluster elects its leader: static, a cluster of one (default); etcd://HOST:PORT[,...]; or kubernetes.",
      valueName: "coordinator"))
  var coordinator: String?

  @Option(help: ArgumentHelp("This node's identity (default: the one stored in the data directory).", valueName: "id"))
  var nodeID: String?

  @Option(help: ArgumentHelp("The address peers and clients dial (default: --listen).", valueName: "host:port"))
  var advertise: String?

  @Option(
    help: ArgumentHelp(
      "How long a node's lease in the coordinator lasts unrenewed (default 10s with etcd, 15s with kubernetes).",
      valueName: "duration"))
  var leaseTTL: String?

  @Option(
    help: ArgumentHelp(
      "The headless Service whose EndpointSlices list the members (kubernetes; default <cluster>-headless).",
      valueName: "name"))
  var kubernetesService: String?

  @Option(
    help: ArgumentHelp(
      "How long a follower may hold up a write before it leaves the in-sync set (default 5s).",
      valueName: "duration"))
  var replicaTimeout: String?

  @Option(
    name: .customLong("min-insync"),
    help: ArgumentHelp(
      "How many nodes, the leader included, must be in sync to take writes (default: a majority).",
      valueName: "count"))
  var minInSync: String?

  @Option(
    name: .customLong("tls-cert"),
    help: ArgumentHelp("Serve TLS with this PEM certificate (chain).", valueName: "file"),
    completion: .file())
  var tlsCert: String?

  @Option(
    name: .customLong("tls-key"), help: ArgumentHelp("The PEM private key of --tls-cert.", valueName: "file"),
    completion: .file())
  var tlsKey: String?

  @Option(
    name: .customLong("tls-client-ca"),
    help: ArgumentHelp("Mutual TLS: accept only client certificates this PEM CA signed.", valueName: "file"),
    completion: .file())
  var tlsClientCA: String?

  @Option(
    help: ArgumentHelp(
      "Require credentials: lines of NAME SHA256HEX GRANT... (reread on SIGHUP).", valueName: "file"),
    completion: .file())
  var authFile: String?

  @Option(help: ArgumentHelp("Read settings from this file.", valueName: "file"), completion: .file())
  var config: String?

  func run() async throws {
    // Logging first, so that reading the config file can log; its level is set once it is known.
    let levels = LogLevelSwitch(DaemonConfiguration().logLevel)
    LoggingSystem.bootstrap { label in levels.handler(label: label) }
    let sources: SettingSources
    let configuration: DaemonConfiguration
    do {
      var flags: [String: String] = [:]
      flags["listen"] = listen
      flags["data-dir"] = dataDir
      flags["sync"] = sync
      flags["index-granularity"] = indexGranularity
      flags["max-event-size"] = maxEventSize
      flags["default-max-age"] = defaultMaxAge
      flags["default-max-events"] = defaultMaxEvents
      flags["default-max-bytes"] = defaultMaxBytes
      flags["retention-interval"] = retentionInterval
      flags["metrics-listen"] = metricsListen
      flags["log-level"] = logLevel
      if noAutoCreateTopics { flags["auto-create-topics"] = "false" }
      if v1ConsumeFollow { flags["v1-consume-follow"] = "true" }
      flags["idle-timeout"] = idleTimeout
      flags["handshake-timeout"] = handshakeTimeout
      flags["shutdown-timeout"] = shutdownTimeout
      flags["cluster"] = cluster
      flags["coordinator"] = coordinator
      flags["node-id"] = nodeID
      flags["advertise"] = advertise
      flags["lease-ttl"] = leaseTTL
      flags["kubernetes-service"] = kubernetesService
      flags["replica-timeout"] = replicaTimeout
      flags["min-insync"] = minInSync
      flags["tls-cert"] = tlsCert
      flags["tls-key"] = tlsKey
      flags["tls-client-ca"] = tlsClientCA
      flags["auth-file"] = authFile
      let environment = ProcessInfo.processInfo.environment
      sources = try await SettingSources(
        flags: flags, environment: environment, configFile: config ?? environment["GOETHE_CONFIG"],
        logger: Logger(label: "goethe"))
      configuration = try DaemonConfiguration.resolve(sources)
    } catch {
      reportFailure(error.message)
      throw ExitCode.validationFailure
    }
    levels.level = configuration.logLevel
    try await Self.serve(configuration, sources: sources, levels: levels)
  }

  static func serve(_ configuration: DaemonConfiguration, sources: SettingSources, levels: LogLevelSwitch) async throws
  {
    let logger = Logger(label: "goethe")
    LargeBlockAllocation.returnToSystemWhenFreed()
    // The address first: a daemon that cannot serve must not create or open a store.
    let socket: ListeningSocket
    do {
      socket = try ListeningSocket(binding: configuration.listen)
    } catch {
      reportFailure(error.message)
      throw ExitCode.failure
    }
    // SIGHUP rereads the auth file; trapped now, before the daemon serves, so that none ends it.
    let hangups = configuration.authFile == nil ? nil : await UnixSignalsSequence(trapping: .sighup)
    let assembly: DaemonAssembly
    do {
      var watchers: [any Service] = [LogLevelWatcher(reader: sources.reader, levels: levels, logger: logger)]
      if let reloading = sources.reloading { watchers.append(reloading) }
      assembly = try DaemonAssembly(
        configuration: configuration, socket: socket, shutdownSignals: [.sigterm, .sigint], logger: logger,
        watchers: watchers, hangups: hangups)
    } catch {
      reportFailure(error.message)
      throw ExitCode.failure
    }
    do {
      try await assembly.run()
    } catch {
      reportFailure((error as? GoetheError)?.message ?? "\(error)")
      throw ExitCode.failure
    }
    logger.info("goethe stopped", metadata: ["data-dir": "\(configuration.dataDirectory)"])
  }
}
