import ArgumentParser
import Foundation

extension CommandTree {
  /// The tree of `Goethectl`, as the parser reads command lines.
  static let goethectl =
    CommandTree(dumpedHelp: dumpHelp()) ?? CommandTree(name: "goethectl", subcommands: [], arguments: [])

  /// The commands of a session: those of goethectl but `repl` and `help`, and the session's own
  /// `help`, `exit` and `quit`.
  static let session: CommandTree = {
    var tree = goethectl
    tree.subcommands.removeAll { ["repl", "help"].contains($0.name) }
    for (word, abstract) in [
      ("help", "This help; help COMMAND for a command's."), ("exit", "Leave the session (also Ctrl-D)."),
      ("quit", "Leave the session, as exit does."),
    ] {
      tree.subcommands.append(CommandTree(name: word, abstract: abstract, subcommands: [], arguments: []))
    }
    return tree
  }()

  private static func dumpHelp() -> Data {
    do {
      _ = try Goethectl.parseAsRoot(["--experimental-dump-help"])
    } catch {
      return Data(Goethectl.fullMessage(for: error).utf8)
    }
    return Data()
  }
}
