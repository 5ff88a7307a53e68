import GoetheKit

/// Words that should name a command but name none: `goethectl tial t`, `topic lst`, `help nosuch`.
/// ArgumentParser reads them as unexpected arguments, or after `help` as no command at all and
/// prints the overview; this names the unknown command and the known one nearest to it.
enum CommandWords {
  /// Checks a command line whose global options follow the subcommand (``GlobalOptions/hoisted(_:)``).
  static func check(_ arguments: [String]) throws(GoetheError) {
    var words = Array(arguments.prefix { $0 != "--" })
    let asksHelp = words.first == "help"
    if asksHelp { words.removeFirst() }
    let (command, depth) = CommandTree.goethectl.descend(words)
    guard !command.subcommands.isEmpty, let word = words.dropFirst(depth).first, !word.hasPrefix("-") else { return }
    let parents = Array(words.prefix(depth))
    let typed = (parents + [word]).joined(separator: " ")
    var message = "unknown command \(GoetheError.quoted(typed))"
    if let nearest = nearest(to: word, among: command.subcommands.map(\.name)) {
      message += " (did you mean \(GoetheError.quoted((parents + [nearest]).joined(separator: " ")))?)"
    }
    throw GoetheError(.invalidArgument, message + "; see: goethectl " + (parents + ["--help"]).joined(separator: " "))
  }

  /// The name closest to `word` by edit distance, when it is close enough to be a typo (at most
  /// two edits, or one in a short word), or that `word` begins.
  static func nearest(to word: String, among names: [String]) -> String? {
    let scored = names.map { ($0, distance(word, $0)) }.filter { name, edits in
      edits <= (word.count <= 3 ? 1 : 2) || (word.count >= 2 && name.hasPrefix(word))
    }
    return scored.min { $0.1 < $1.1 }?.0
  }

  /// Levenshtein distance: insertions, deletions and substitutions.
  static func distance(_ a: String, _ b: String) -> Int {
    let (a, b) = (Array(a), Array(b))
    var previous = Array(0...b.count)
    for (i, x) in a.enumerated() {
      var current = [i + 1]
      for (j, y) in b.enumerated() {
        current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1)))
      }
      previous = current
    }
    return previous[b.count]
  }
}
