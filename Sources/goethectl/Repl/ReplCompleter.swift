/// What TAB offers for a partly typed line: subcommand names, flags, and topic or consumer names
/// where the command expects one. Pure: the names come from `names`, which the session caches.
struct ReplCompleter: Sendable {
  var tree: CommandTree

  enum NameKind: Sendable {
    case topic
    case consumer
  }

  /// Candidates for the last word of `line` (the text before the cursor), each as it must be typed:
  /// a name with a space or a quote in it comes quoted (`'night shift'`), since readline puts the
  /// candidate in place of the whole word, an opening quote included.
  func candidates(for line: String, names: (NameKind) -> [String]) -> [String] {
    guard let scanned = Self.scan(line) else { return [] }
    var words = scanned.words
    let prefix = scanned.endsInWord ? words.removeLast() : ""
    let (command, depth) = tree.descend(words)
    let rest = Array(words.dropFirst(depth))
    var options: [String] = []

    if let previous = rest.last,
      let option = command.arguments.first(where: { $0.takesValue && $0.names.contains(previous) })
    {
      options = values(for: option, names: names)
    } else if prefix.hasPrefix("-") {
      options = command.arguments.filter { !$0.isPositional }.flatMap(\.names).filter {
        $0.hasPrefix("--") || prefix.count <= 2
      }
    } else if !command.subcommands.isEmpty {
      options = command.subcommands.map(\.name)
    } else {
      let positionals = command.arguments.filter(\.isPositional)
      let index = positionalIndex(rest, command: command)
      if index < positionals.count { options = values(for: positionals[index], names: names) }
    }
    return options.filter { $0.hasPrefix(prefix) }.sorted().map(ShellWords.quoted)
  }

  /// The words of `line`, the last one possibly in a quote still open, as it is while being typed.
  private static func scan(_ line: String) -> (words: [String], endsInWord: Bool)? {
    for closing in ["", "'", "\""] {
      if let scanned = try? ShellWords.scan(line + closing) { return scanned }
    }
    return nil
  }

  private func values(for argument: CommandTree.Argument, names: (NameKind) -> [String]) -> [String] {
    switch argument.valueName {
    case "topic": names(.topic)
    case "consumer": names(.consumer)
    case "output": OutputFormat.allCases.map(\.rawValue)
    case "shell": ["bash", "zsh", "fish"]
    default: []
    }
  }

  /// How many positional arguments `words` already hold, skipping options and their values.
  private func positionalIndex(_ words: [String], command: CommandTree) -> Int {
    var count = 0
    var skipNext = false
    for word in words {
      if skipNext {
        skipNext = false
      } else if word.hasPrefix("-") {
        skipNext = !word.contains("=") && command.arguments.contains { $0.takesValue && $0.names.contains(word) }
      } else {
        count += 1
      }
    }
    return count
  }
}
