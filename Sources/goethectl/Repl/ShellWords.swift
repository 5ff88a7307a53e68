/// Splits a line into words by the shell's quoting rules: 'single quotes' keep everything,
/// "double quotes" allow \" \\ \$ \`, a backslash outside quotes escapes the next character.
///
/// The line is read by Unicode scalars, as a shell reads it by bytes: a quote followed by a
/// combining mark or a joiner is one `Character` with it, and still a quote.
enum ShellWords {
  struct UnterminatedQuote: Error {}

  static func split(_ line: String) throws(UnterminatedQuote) -> [String] {
    try scan(line).words
  }

  /// The words, and whether the line ends inside a word (rather than after white space).
  static func scan(_ line: String) throws(UnterminatedQuote) -> (words: [String], endsInWord: Bool) {
    var words: [String] = []
    var current = String.UnicodeScalarView()
    var inWord = false
    var quote: Unicode.Scalar?
    var escaping = false
    for scalar in line.unicodeScalars {
      if escaping {
        if quote == "\"", !"\"\\$`".unicodeScalars.contains(scalar) { current.append("\\") }
        current.append(scalar)
        escaping = false
        continue
      }
      switch (quote, scalar) {
      case (nil, "\\"), ("\"", "\\"):
        escaping = true
        inWord = true
      case (nil, "'"), (nil, "\""):
        quote = scalar
        inWord = true
      case ("'", "'"), ("\"", "\""):
        quote = nil
      case (nil, _) where scalar.properties.isWhitespace:
        if inWord { words.append(String(current)) }
        current = String.UnicodeScalarView()
        inWord = false
      default:
        current.append(scalar)
        inWord = true
      }
    }
    guard quote == nil, !escaping else { throw UnterminatedQuote() }
    if inWord { words.append(String(current)) }
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
