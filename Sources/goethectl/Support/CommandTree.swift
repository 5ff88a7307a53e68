import ArgumentParser
import Foundation

/// goethectl's commands, subcommands, flags and argument kinds, read from ArgumentParser's own
/// description of the command tree (`--experimental-dump-help`), so that REPL completion and the
/// check of words starting with '-' (``DashWords``) can never drift from what the parser accepts.
struct CommandTree: Sendable {
  struct Argument: Sendable {
    var names: [String]
    /// `topic`, `consumer`, … as the command definitions name the values.
    var valueName: String
    var isPositional: Bool
    var takesValue: Bool
  }

  var name: String
  var subcommands: [CommandTree]
  var arguments: [Argument]

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

  /// The command reached by following `words` from this one, and how many words named commands.
  func descend(_ words: [String]) -> (command: CommandTree, depth: Int) {
    var command = self
    var depth = 0
    for word in words {
      guard let next = command.subcommands.first(where: { $0.name == word }) else { break }
      command = next
      depth += 1
    }
    return (command, depth)
  }

  private static func dumpHelp() -> Data {
    do {
      _ = try Goethectl.parseAsRoot(["--experimental-dump-help"])
    } catch {
      return Data(Goethectl.fullMessage(for: error).utf8)
    }
    return Data()
  }

  private init(name: String, subcommands: [CommandTree], arguments: [Argument]) {
    self.name = name
    self.subcommands = subcommands
    self.arguments = arguments
  }

  private init?(dumpedHelp data: Data) {
    guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
      let command = root["command"] as? [String: Any]
    else { return nil }
    self.init(json: command)
  }

  private init(json: [String: Any]) {
    name = json["commandName"] as? String ?? ""
    subcommands = (json["subcommands"] as? [[String: Any]] ?? []).map(CommandTree.init(json:))
    arguments = (json["arguments"] as? [[String: Any]] ?? []).compactMap { argument in
      guard argument["shouldDisplay"] as? Bool ?? true, let kind = argument["kind"] as? String else { return nil }
      let names = (argument["names"] as? [[String: Any]] ?? []).compactMap { name -> String? in
        guard let text = name["name"] as? String else { return nil }
        return (name["kind"] as? String == "short" ? "-" : "--") + text
      }
      return Argument(
        names: names, valueName: argument["valueName"] as? String ?? "", isPositional: kind == "positional",
        takesValue: kind == "option")
    }
  }
}
