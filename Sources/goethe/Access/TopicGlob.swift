/// A pattern over topic names: `*` stands for any run of characters, dots included, and every
/// other character for itself. `orders.*` matches `orders.eu` and `orders.eu.returns`; `*` matches
/// every topic.
struct TopicGlob: Sendable, Equatable, CustomStringConvertible {
  private let parts: [Substring]
  let description: String

  init(_ pattern: String) {
    description = pattern
    parts = pattern.split(separator: "*", omittingEmptySubsequences: false)
  }

  func matches(_ topic: String) -> Bool {
    guard parts.count > 1 else { return topic == description }
    var rest = Substring(topic)
    guard rest.hasPrefix(parts[0]) else { return false }
    rest = rest.dropFirst(parts[0].count)
    // Each middle part at its first place; the last part must end the name.
    for part in parts.dropFirst().dropLast() where !part.isEmpty {
      guard let found = rest.firstRange(of: part) else { return false }
      rest = rest[found.upperBound...]
    }
    let last = parts[parts.count - 1]
    return rest.count >= last.count && rest.hasSuffix(last)
  }
}
