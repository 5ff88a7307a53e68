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
  /// Whether ArgumentParser can read `word` as short options of this command: flags and at most
  /// one option taking a value, last (`-f`, `-n 5`, `-fn 5`, `-o=json`), or an option taking a
  /// value with the value joined to it (`-n1`, `-ojson`).
  fileprivate func accepts(_ word: String) -> Bool {
    let letters = Array(word.dropFirst().prefix { $0 != "=" })
    for (index, letter) in letters.enumerated() {
      guard let option = arguments.first(where: { $0.names.contains("-\(letter)") }) else { return false }
      if option.takesValue { return index == 0 || index == letters.count - 1 }
    }
    return true
  }

  /// Whether the word after `option` is its value: a long option without `=value`, or short
  /// options one of which takes a value.
  fileprivate func takesValue(after option: String) -> Bool {
    guard !option.contains("=") else { return false }
    if option.hasPrefix("--") { return arguments.contains { $0.takesValue && $0.names.contains(option) } }
    // The value follows at once when the option taking it is not the last letter (`-n1`).
    let options = option.dropFirst().map { letter in arguments.first { $0.names.contains("-\(letter)") } }
    guard let valued = options.firstIndex(where: { $0?.takesValue == true }) else { return false }
    return valued == options.count - 1
  }
}
