import ArgumentParser
import Foundation

/// What `help` prints in a session: the commands as typed there, without the shell's usage line
/// and without what only the shell's command line means (`repl`, a session on a bare `goethectl`).
enum SessionHelp {
  static var text: String {
    let commands = Goethectl.configuration.subcommands.filter { $0 != ReplCommand.self }.map {
      ($0.configuration.commandName ?? "", $0.configuration.abstract)
    }
    let rows =
      commands + [
        ("help [COMMAND]", "This help, or a command's."),
        ("exit, quit", "Leave the session (also Ctrl-D)."),
      ]
    let width = rows.map(\.0.count).max() ?? 0
    return (["Commands, as on goethectl's command line without the word goethectl:"]
      + rows.map { "  " + $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 }
      + [
        "",
        "The options the session was started with (--server, -o, --timeout, --utc, --no-color) apply to",
        "every command; a command's own options win. TAB completes commands, options, topics and consumers.",
      ]).joined(separator: "\n")
  }
}
