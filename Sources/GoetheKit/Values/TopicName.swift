/// Rules for the names of topics and consumers, checked in one place by the server and the tools.
public enum Names {
  /// The longest topic or consumer name, in bytes.
  public static let maxLength = 249

  /// The rule, as shown to a person whose name broke it.
  public static let topicRule = "topic names are 1 to 249 characters of A-Z a-z 0-9 . _ -"
  public static let consumerRule = "consumer names are 1 to 249 bytes of UTF-8 without control characters"

  /// Checks a topic name against `[A-Za-z0-9._-]{1,249}`.
  public static func validateTopic(_ name: String) throws(GoetheError) {
    let bytes = name.utf8
    guard !bytes.isEmpty, bytes.count <= maxLength, bytes.allSatisfy(isTopicByte) else {
      throw GoetheError(.invalidArgument, "invalid topic name \(GoetheError.quoted(name)): \(topicRule)")
    }
  }

  /// Checks a consumer name: any UTF-8 up to 249 bytes, since Goethe v1 clients chose their own.
  public static func validateConsumer(_ name: String) throws(GoetheError) {
    let bytes = name.utf8
    guard !bytes.isEmpty, bytes.count <= maxLength,
      !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
    else {
      throw GoetheError(.invalidArgument, "invalid consumer name \(GoetheError.quoted(name)): \(consumerRule)")
    }
  }

  private static func isTopicByte(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
      return true
    default:
      return false
    }
  }
}
