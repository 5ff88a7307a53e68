import ArgumentParser
import Foundation
import GoetheKit

/// Saved servers with their credentials, as kubectl and the nats CLI keep them.
struct ContextCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "context", abstract: "Save servers with their credentials, and pick the one to use.",
    discussion: """
      A context is a server with its TLS files and token, saved in $XDG_CONFIG_HOME/goethe/contexts.json \
      (~/.config/goethe/contexts.json), which only its owner can read. The context in use supplies \
      what flags and the environment (GOETHE_SERVER, GOETHE_TOKEN) do not; --context NAME picks \
      another for one command.
      """,
    subcommands: [ContextAdd.self, ContextUse.self, ContextList.self, ContextRemove.self])

  /// The saved contexts' names, for TAB.
  static func names() -> [String] {
    ((try? ContextStore.load())?.contexts.keys).map { $0.sorted() } ?? []
  }
}

struct ContextAdd: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "add",
    abstract: "Save the server and credentials given with it: --server, --tls*, --token or --token-file.",
    discussion: "An existing context of that name is replaced. The first context added is put in use.")

  @Argument(help: "The context's name.")
  var name: String

  @OptionGroup var global: GlobalOptions

  func run() async throws {
    guard !name.isEmpty, !name.contains(where: \.isWhitespace) else {
      throw GoetheError(.invalidArgument, "a context's name has no spaces")
    }
    var store = try ContextStore.load()
    store.contexts[name] = SavedContext(
      server: global.server, tls: global.tls ? true : nil, tlsCA: Self.absolute(global.tlsCA),
      tlsCert: Self.absolute(global.tlsCert), tlsKey: Self.absolute(global.tlsKey), token: global.token,
      tokenFile: Self.absolute(global.tokenFile))
    if store.current == nil { store.current = name }
    try store.save()
    let next = store.current == name ? " and in use" : "; use it with: goethectl context use \(name)"
    StandardOutput.writeLine("context \(name) saved" + next)
  }

  private static func absolute(_ path: String?) -> String? {
    guard let path else { return nil }
    return path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
  }
}

struct ContextUse: AsyncParsableCommand {
  static let configuration = CommandConfiguration(commandName: "use", abstract: "Use this context from now on.")

  @Argument(help: "The context's name.", completion: .custom { _, _, _ in ContextCommand.names() })
  var name: String

  func run() async throws {
    var store = try ContextStore.load()
    _ = try store.context(named: name)
    store.current = name
    try store.save()
    StandardOutput.writeLine("using context \(name)")
  }
}

struct ContextList: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "List the contexts; the one in use is marked with *.")

  @OptionGroup var global: GlobalOptions

  func run() async throws {
    let store = try ContextStore.load()
    let console = global.console
    var table = Table(header: ["CURRENT", "NAME", "SERVER", "TLS", "TOKEN"])
    for name in store.contexts.keys.sorted() {
      let context = store.contexts[name] ?? SavedContext()
      let server = context.server ?? ServerAddress.defaultServer.description
      let tls = context.tlsCert != nil ? "mtls" : (context.tls == true || context.tlsCA != nil) ? "tls" : "plaintext"
      let token = context.token != nil ? "token" : context.tokenFile ?? "-"
      switch console.format {
      case .json:
        console.json([
          ("name", .string(name)), ("current", .raw(name == store.current ? "true" : "false")),
          ("server", .string(server)),
          ("tls", .string(tls)),
        ])
      case .raw: console.out(name)
      case .text: table.rows.append([name == store.current ? "*" : "", name, server, tls, token])
      }
    }
    if console.format == .text { table.render(console) }
  }
}

struct ContextRemove: AsyncParsableCommand {
  static let configuration = CommandConfiguration(commandName: "remove", abstract: "Forget a context.")

  @Argument(help: "The context's name.", completion: .custom { _, _, _ in ContextCommand.names() })
  var name: String

  func run() async throws {
    var store = try ContextStore.load()
    _ = try store.context(named: name)
    store.contexts[name] = nil
    if store.current == name { store.current = nil }
    try store.save()
    StandardOutput.writeLine("context \(name) removed")
  }
}
