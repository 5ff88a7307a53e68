import Foundation
import GoetheKit
import Testing

/// Messages that echo what was typed keep to one line and let no control character through.
@Suite struct EchoedInputTests {
  static let hostile = "bad\nline\u{1B}[31mred\u{07}\r\u{85}"
  static let escaped = #"bad\nline\u{1B}[31mred\u{07}\r\u{0085}"#

  static func expectEscaped(_ message: String?) {
    #expect(message?.contains(escaped) == true, "\(message ?? "")")
    #expect(message?.unicodeScalars.contains { $0.properties.generalCategory == .control } == false)
  }

  @Test func positionsAndValues() {
    let failures: [() throws -> Void] = [
      { _ = try PositionExpression().position(Self.hostile) },
      { _ = try DurationExpression.parse(Self.hostile) },
      { _ = try Granularity(parsing: Self.hostile) },
      { _ = try ByteSize(parsing: Self.hostile) },
      { _ = try ServerAddress(parsing: Self.hostile) },
      { try Names.validateTopic(Self.hostile) },
      { try Names.validateConsumer(Self.hostile) },
    ]
    for failure in failures {
      Self.expectEscaped(#expect(throws: GoetheError.self) { try failure() }?.message)
    }
  }

  @Test func quotedTextIsCutAfterFortyCharacters() {
    #expect(GoetheError.quoted(String(repeating: "a", count: 41)) == "\"" + String(repeating: "a", count: 40) + "…\"")
    #expect(GoetheError.quoted(#"say "hi"\"#) == #""say \"hi\"\\""#)
  }

  @Test func escapingControlCharactersChangesNothingElse() {
    #expect(GoetheError.escapingControlCharacters("Unknown option '--x'; café ✓") == "Unknown option '--x'; café ✓")
    #expect(
      GoetheError.escapingControlCharacters("Unknown option '\(Self.hostile)'") == "Unknown option '\(Self.escaped)'")
  }
}
