import TestSupport
import Testing

@testable import goethectl

/// Seeded fuzzing of the session's word splitter: words quoted and joined split back into the same
/// words, and any line splits (or is refused as unterminated) without trapping, into words that
/// survive the same round trip. GOETHE_FUZZ_SEED replays a run.
@Suite struct ShellWordsFuzzTests {
  /// What quoting finds hard: quotes, backslashes, white space of several kinds, characters a shell
  /// treats specially, and characters that combine with the one before them.
  static let pieces = [
    "a", "Z", "0", "-", "_", "'", "\"", "\\", " ", "\t", "\n", "\r\n", "$", "`", "#", "*", "~", "=", "é", "\u{301}",
    "🇩🇪", "\u{0}", "\u{1B}", "\u{85}", "\u{A0}", "\u{2028}", "\u{200D}",
  ]

  @Test func quotedWordsSplitBack() {
    var random = SplitMix64(seed: Fuzzing.seed)
    for _ in 0..<Fuzzing.iterations(20_000) {
      let words = (0..<Int.random(in: 0...5, using: &random)).map { _ in random.string(of: Self.pieces, count: 0...6) }
      let separator = [" ", "  ", "\t"].randomElement(using: &random)!
      let line = words.map(ShellWords.quoted).joined(separator: separator)
      #expect((try? ShellWords.split(line)) == words, "\(line.debugDescription), seed \(Fuzzing.seed)")
    }
  }

  @Test func anyLineSplitsOrIsUnterminated() {
    var random = SplitMix64(seed: Fuzzing.seed)
    for _ in 0..<Fuzzing.iterations(20_000) {
      let line = random.string(of: Self.pieces, count: 0...16)
      guard let words = try? ShellWords.split(line) else { continue }
      #expect((try? ShellWords.scan(line))?.words == words, "\(line.debugDescription), seed \(Fuzzing.seed)")
      let quoted = words.map(ShellWords.quoted).joined(separator: " ")
      #expect((try? ShellWords.split(quoted)) == words, "\(quoted.debugDescription), seed \(Fuzzing.seed)")
    }
  }
}
