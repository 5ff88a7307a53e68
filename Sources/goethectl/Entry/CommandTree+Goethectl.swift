import ArgumentParser
import Foundation

extension CommandTree {
  /// The tree of `Goethectl`, as the parser reads command lines.
  static let goethectl =
    CommandTree(dumpedHelp: dumpHelp()) ?? CommandTree(name: "goethectl", subcommands: [], arguments: [])

  /// The commands of a session: those of goethectl but `repl`, and `help`, `exit` and `quit`.
  static let session: CommandTree = {
    var tree = goethectl
    tree.subcommands.removeAll { $0.name == "repl" }
    for word in ["help", "exit", "quit"] { tree.subcommands.append(CommandTree(name: word, subcommands: [], arguments: [])) }
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
