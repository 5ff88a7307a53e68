import ArgumentParser
import Foundation

@main
struct GoetheCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "goethe",
    abstract: "Goethe, an append-only event log server.",
    discussion: """
      Without a subcommand, goethe serves: it opens the store in --data-dir and serves the gRPC API \
      on --listen until SIGTERM or SIGINT, which drain it gracefully (a second signal exits at once).
      """,
    subcommands: [ServeCommand.self, RepairCommand.self, BenchCommand.self],
    defaultSubcommand: ServeCommand.self)
}

/// Prints `goethe: message` on stderr, as every failure of the daemon is reported.
func reportFailure(_ message: String) {
  FileHandle.standardError.write(Data("goethe: \(message)\n".utf8))
}
