/// Splits a line into words by the shell's quoting rules: 'single quotes' keep everything,
/// "double quotes" allow \" \\ \$ \`, a backslash outside quotes escapes the next character.
enum ShellWords {
  struct UnterminatedQuote: Error {}

  static func split(_ line: String) throws(UnterminatedQuote) -> [String] {
    try scan(line).words
  }

  /// The words, and whether the line ends inside a word (rather than after white space).
  static func scan(_ line: String) throws(UnterminatedQuote) -> (words: [String], endsInWord: Bool) {
    var words: [String] = []
    var current = ""
    var inWord = false
    var quote: Character?
    var escaping = false
    for character in line {
      if escaping {
        if quote == "\"", !"\"\\$`".contains(character) { current.append("\\") }
        current.append(character)
        escaping = false
        continue
      }
      switch (quote, character) {
      case (nil, "\\"), ("\"", "\\"):
        escaping = true
        inWord = true
      case (nil, "'"), (nil, "\""):
        quote = character
        inWord = true
      case ("'", "'"), ("\"", "\""):
        quote = nil
      case (nil, _) where character.isWhitespace:
        if inWord { words.append(current) }
        current = ""
        inWord = false
      default:
        current.append(character)
        inWord = true
      }
    }
    guard quote == nil, !escaping else { throw UnterminatedQuote() }
    if inWord { words.append(current) }
    return (words, inWord)
  }

  /// `word` as a shell and ``split(_:)`` read it back: unchanged when nothing in it needs quoting,
  /// otherwise in single quotes, each `'` in it written as `'\''`.
  static func quoted(_ word: String) -> String {
    if !word.isEmpty, word.unicodeScalars.allSatisfy(plain.contains) { return word }
    var quoted = "'"
    for scalar in word.unicodeScalars {
      if scalar == "'" { quoted += #"'\''"# } else { quoted.unicodeScalars.append(scalar) }
    }
    return quoted + "'"
  }

  /// What a word may hold without quotes.
  private static let plain = Set(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789@%+=:,./_-".unicodeScalars)
}

