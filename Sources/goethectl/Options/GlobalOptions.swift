import ArgumentParser
import Foundation
import GoetheKit

/// The options every command takes, before or after the subcommand name.
struct GlobalOptions: ParsableArguments {
  @Option(
    name: [.customShort("s", allowingJoined: true), .long],
    help: ArgumentHelp(
      "The goethe server, or the nodes of a cluster separated by commas (default: $GOETHE_SERVER or 127.0.0.1:1337).",
      valueName: "host:port[,...]"))
  var server: String?

  @Option(
    name: [.customShort("o", allowingJoined: true), .long],
    help: "Output format: text, json (one object per line) or raw (payloads only).")
  var output: OutputFormat = .text

  @Option(
    help: ArgumentHelp(
      "Deadline for each request, such as 5s or 500ms (default: 10s; streams have none).", valueName: "duration"))
  var timeout: String?

  @Flag(help: "Read and print times in UTC instead of local time.")
  var utc = false

  @Flag(help: "No colours (also when NO_COLOR is set).")
  var noColor = false

  @Flag(help: "Tables without their header line (topic list, cursor list, ...).")
  var noHeaders = false

  @Flag(
    name: [.customShort("v"), .customLong("debug")],
    help: "Show each call to the server, its status and its duration on stderr.")
  var debug = false

  @Option(
    help: ArgumentHelp("Use this saved server and its credentials (default: the context in use).", valueName: "name"),
    completion: .custom { _, _, _ in ContextCommand.names() })
  var context: String?

  @Flag(help: "Connect with TLS, trusting the system's roots (implied by --tls-ca and --tls-cert).")
  var tls = false

  @Option(
    name: .customLong("tls-ca"),
    help: ArgumentHelp("Trust this PEM CA for the server's certificate.", valueName: "file"),
    completion: .file())
  var tlsCA: String?

  @Option(
    name: .customLong("tls-cert"),
    help: ArgumentHelp("Mutual TLS: present this PEM client certificate.", valueName: "file"),
    completion: .file())
  var tlsCert: String?

  @Option(
    name: .customLong("tls-key"), help: ArgumentHelp("The PEM private key of --tls-cert.", valueName: "file"),
    completion: .file())
  var tlsKey: String?

  @Option(
    help: ArgumentHelp(
      "The token to send (default: $GOETHE_TOKEN); others on the machine may see it in ps.", valueName: "token"))
  var token: String?

  @Option(
    name: .customLong("token-file"), help: ArgumentHelp("Read the token from this file.", valueName: "file"),
    completion: .file())
  var tokenFile: String?

  /// The options that take a value, for moving options given before the subcommand.
  static let valued: Set<String> = [
    "--server", "-s", "--output", "-o", "--timeout", "--context", "--tls-ca", "--tls-cert", "--tls-key", "--token",
    "--token-file",
  ]
  static let flags: Set<String> = ["--utc", "--no-color", "--no-headers", "--debug", "-v", "--tls"]
  /// The options that take a value and say where to connect and how.
  static let connectionOptions: Set<String> = [
    "--server", "-s", "--context", "--tls-ca", "--tls-cert", "--tls-key", "--token", "--token-file",
  ]

  /// Moves global options written before the subcommand (`goethectl --server X tail t`) behind it
  /// (`goethectl tail t --server X`), where ArgumentParser reads a parent's options.
  static func hoisted(_ arguments: [String]) -> [String] {
    var leading: [String] = []
    var index = arguments.startIndex
    while index < arguments.endIndex {
      let argument = arguments[index]
      let name = String(argument.split(separator: "=", maxSplits: 1).first ?? "")
      let attached = !argument.hasPrefix("--") && argument.count > 2 && valued.contains(String(argument.prefix(2)))
      if flags.contains(argument) || (valued.contains(name) && argument.contains("=")) || attached {
        leading.append(argument)
        index += 1
      } else if valued.contains(argument), index + 1 < arguments.endIndex {
        leading += arguments[index...(index + 1)]
        index += 2
      } else {
        break
      }
    }
    return appending(leading, to: Array(arguments[index...]))
  }

  /// `arguments` with the options of a session that they do not set themselves.
  func filling(_ arguments: [String]) -> [String] {
    var options: [String] = []
    let given = arguments.prefix { $0 != "--" }
    func gives(_ long: String, _ short: String? = nil) -> Bool {
      given.contains { word in
        word == long || word.hasPrefix(long + "=") || short.map { !word.hasPrefix("--") && word.hasPrefix($0) } == true
      }
    }
    if !gives("--server", "-s"), let server { options += ["--server", server] }
    if !gives("--output", "-o"), output != .text { options += ["--output", output.rawValue] }
    if !gives("--timeout"), let timeout { options += ["--timeout", timeout] }
    if utc, !arguments.contains("--utc") { options.append("--utc") }
    if noColor, !arguments.contains("--no-color") { options.append("--no-color") }
    if noHeaders, !arguments.contains("--no-headers") { options.append("--no-headers") }
    if debug, !gives("--debug", "-v") { options.append("--debug") }
    for (flag, value) in [
      ("--context", context), ("--tls-ca", tlsCA), ("--tls-cert", tlsCert), ("--tls-key", tlsKey), ("--token", token),
      ("--token-file", tokenFile),
    ] where !gives(flag) {
      if let value { options += [flag, value] }
    }
    if tls, !arguments.contains("--tls") { options.append("--tls") }
    return Self.appending(options, to: arguments)
  }

  /// `options` after `arguments`, but before a `--`, after which every word is a name.
  private static func appending(_ options: [String], to arguments: [String]) -> [String] {
    var result = arguments
    result.insert(contentsOf: options, at: arguments.firstIndex(of: "--") ?? arguments.endIndex)
    return result
  }

  func validate() throws {
    if (tlsCert == nil) != (tlsKey == nil) {
      throw ValidationError("--tls-cert and --tls-key go together: give both, or neither")
    }
    if token != nil, tokenFile != nil { throw ValidationError("give --token or --token-file, not both") }
    _ = try address()
    _ = try requestTimeout()
  }

  func address() throws(GoetheError) -> ServerAddress { try connection().address }

  func requestTimeout() throws(GoetheError) -> Duration {
    try timeout.map { text throws(GoetheError) in try DurationExpression.parse(text) } ?? .seconds(10)
  }

  /// Connects to the server and runs `body` with the client.
  func withClient<Result: Sendable>(_ body: (GoetheClient) async throws -> Result) async throws -> Result {
    let console = console
    let show: @Sendable (CallRecord) -> Void = { console.debug($0) }
    let connection = try connection()
    return try await GoetheClient.withConnection(
      to: connection.servers, security: connection.security, timeout: try requestTimeout(), trace: debug ? show : nil,
      body)
  }

  /// How to read positions and times, for this invocation.
  var positions: PositionArguments { PositionArguments(utc: utc) }

  /// How to print, for this invocation.
  var console: Console { Console(format: output, utc: utc, noColor: noColor, noHeaders: noHeaders) }
}
