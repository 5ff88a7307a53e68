import Foundation

/// What `help` prints in a session: its commands as typed there, with their abstracts, without the
/// shell's usage line and without what only the shell's command line means (`repl`).
enum SessionHelp {
  static func text(for tree: CommandTree) -> String {
    let width = tree.subcommands.map(\.name.count).max() ?? 0
    return
      (["Commands, as on goethectl's command line without the word goethectl:"]
      + tree.subcommands.map {
        "  " + $0.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.abstract
      }
      + [
        "",
        "The options the session was started with (--server, -o, --timeout, --utc, --no-color) apply to",
        "every command; a command's own options win. TAB completes commands, options, topics and consumers.",
      ]).joined(separator: "\n")
  }
}
