import ArgumentParser
import GoetheKit

struct VersionCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "version", abstract: "Print goethectl's version and the server's.",
    discussion: """
      The client's version is printed first, so that it shows also when the server cannot be \
      reached (which then exits 4). goethectl --version prints the client's alone.
      """)

  @Flag(help: "Only goethectl's own version; do not ask the server.")
  var client = false

  @OptionGroup var global: GlobalOptions

  func run() async throws {
    let console = global.console
    if console.format != .json {
      console.out("goethectl \(GoetheVersion.current)")
      console.flush()
    }
    guard !client else {
      if console.format == .json { console.json(["client": .string(GoetheVersion.current)]) }
      return
    }
    let (info, answered) = try await global.withClient { client in (try await client.serverInfo(), client.server) }
    let address = answered.description
    if console.format == .json {
      console.json([
        "client": .string(GoetheVersion.current), "server": .string(info.version), "address": .string(address),
        "node_id": .string(info.nodeID), "sync": info.durability.map { .string($0.rawValue) } ?? .null,
        "max_event_size": .integer(info.maxEventSize),
      ])
    } else {
      let sync = info.durability.map { ", sync \($0.rawValue)" } ?? ""
      console.out(
        "goethe \(info.version) at \(address) (node \(info.nodeID)\(sync), max event size \(ByteSize(info.maxEventSize)))"
      )
    }
  }
}
