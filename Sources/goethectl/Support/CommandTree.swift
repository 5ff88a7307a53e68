import Foundation

/// A command tree's commands, subcommands, flags and argument kinds, read from ArgumentParser's
/// own description of it (`--experimental-dump-help`), so that session completion and the checks
/// of a command line before parsing can never drift from what the parser accepts.
struct CommandTree: Sendable {
  struct Argument: Sendable {
    var names: [String]
    /// `topic`, `consumer`, … as the command definitions name the values.
    var valueName: String
    var isPositional: Bool
    var takesValue: Bool
  }

  var name: String
  var abstract = ""
  var subcommands: [CommandTree]
  var arguments: [Argument]

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

  init(name: String, abstract: String = "", subcommands: [CommandTree], arguments: [Argument]) {
    self.name = name
    self.abstract = abstract
    self.subcommands = subcommands
    self.arguments = arguments
  }

  /// The tree in ArgumentParser's `--experimental-dump-help` JSON.
  init?(dumpedHelp data: Data) {
    guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
      let command = root["command"] as? [String: Any]
    else { return nil }
    self.init(json: command)
  }

  private init(json: [String: Any]) {
    name = json["commandName"] as? String ?? ""
    abstract = json["abstract"] as? String ?? ""
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
