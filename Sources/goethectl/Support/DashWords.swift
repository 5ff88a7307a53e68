import GoetheKit

/// Words that start with a single '-' but are none of their command's options.
///
/// ArgumentParser reads such a word as a cluster of short options: `topic create -dash` was
/// -d -a -s -h and printed the help, and `tail t -foo` gave two errors in one message. Topic and
/// consumer names and payloads may start with '-', but only after `--`; where the command still
/// takes a name, this says so and shows the command line that works, and elsewhere it names the
/// unknown option.
enum DashWords {
  /// Checks a command line whose global options follow the subcommand (``GlobalOptions/hoisted(_:)``).
  /// - Parameter commandLine: the words a suggested command line starts with: `goethectl`, or none
  ///   in a session.
  static func check(_ arguments: [String], commandLine: [String]) throws(GoetheError) {
    let end = arguments.firstIndex(of: "--") ?? arguments.endIndex
    guard arguments[..<end].contains(where: isShortOptions) else { return }
    let (command, depth) = CommandTree.goethectl.descend(arguments)
    let takesNames = command.arguments.filter(\.isPositional).count
    var options: [String] = []
    var names: [String] = []
    var misplaced = false
    var index = depth
    while index < end {
      let word = arguments[index]
      index += 1
      if isShortOptions(word), !command.accepts(word) {
        guard names.count < takesNames else {
          let help = commandLine + arguments[..<depth] + ["--help"]
          throw GoetheError(.invalidArgument, "unknown option '\(word)'; see: \(help.joined(separator: " "))")
        }
        misplaced = true
        names.append(word)
      } else if word.hasPrefix("-"), word != "-" {
        options.append(word)
        if index < end, command.takesValue(after: word) {
          options.append(arguments[index])
          index += 1
        }
      } else {
        names.append(word)
      }
    }
    guard misplaced else { return }
    names += arguments[min(end + 1, arguments.endIndex)...]
    let suggestion = commandLine + arguments[..<depth] + options + ["--"] + names
    throw GoetheError(
      .invalidArgument,
      "a name starting with '-' must follow --: " + suggestion.map(ShellWords.quoted).joined(separator: " "))
  }

  /// `-x` or `-xyz`: what ArgumentParser reads as short options.
  private static func isShortOptions(_ word: String) -> Bool {
    word.hasPrefix("-") && !word.hasPrefix("--") && word.count > 1
  }
}

extension CommandTree {
  /// Whether ArgumentParser can read `word` as short options of this command: each of them one,
  /// and at most one taking a value (`-f`, `-n 5`, `-fn 5`, `-o=json`).
  fileprivate func accepts(_ word: String) -> Bool {
    let letters = word.dropFirst().prefix { $0 != "=" }.map { "-\($0)" }
    let options = letters.map { name in arguments.first { $0.names.contains(name) } }
    return options.allSatisfy { $0 != nil } && options.count { $0?.takesValue == true } <= 1
  }

  /// Whether the word after `option` is its value: a long option without `=value`, or short
  /// options one of which takes a value.
  fileprivate func takesValue(after option: String) -> Bool {
    guard !option.contains("=") else { return false }
    let names = option.hasPrefix("--") ? [option] : option.dropFirst().map { "-\($0)" }
    return arguments.contains { $0.takesValue && !Set($0.names).isDisjoint(with: names) }
  }
}
