import ArgumentParser
import GoetheKit

/// `--max-age`, `--max-events` and `--max-bytes`, as `topic create` and `topic set` take them.
struct RetentionOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "Remove events older than this, such as 7d (s, m, h, d, w); none for no limit.", valueName: "age"))
  var maxAge: String?

  @Option(help: ArgumentHelp("Keep only the newest N events; none for no limit.", valueName: "n"))
  var maxEvents: String?

  @Option(
    help: ArgumentHelp(
      "Keep only the newest events whose payloads add up to at most this, such as 10GiB; none for no limit.",
      valueName: "size"))
  var maxBytes: String?

  func validate() throws {
    _ = try changes()
  }

  /// The limits given; those not given are kept (or, at creation, the server's defaults).
  func changes() throws(GoetheError) -> RetentionChanges {
    func change(
      _ text: String?, _ parse: (String) throws(GoetheError) -> UInt64
    ) throws(GoetheError)
      -> RetentionChanges.Change
    {
      guard let text else { return .keep }
      return text == "none" ? .remove : .set(try parse(text))
    }
    return RetentionChanges(
      maxAge: try change(maxAge) { text throws(GoetheError) in try RetentionAge.parse(text) },
      maxEvents: try change(maxEvents) { text throws(GoetheError) in
        guard let count = UInt64(text), count > 0 else {
          throw GoetheError(
            .invalidArgument, "invalid --max-events \(GoetheError.quoted(text)): give a count of 1 or more, or none")
        }
        return count
      },
      maxBytes: try change(maxBytes) { text throws(GoetheError) in UInt64(try ByteSize(parsing: text).bytes) })
  }
}
