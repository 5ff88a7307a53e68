import Configuration
import Foundation
import GoetheKit

/// goethe's config file format as a swift-configuration snapshot: `key = value` lines, keys as
/// the flags' names, `#` starts a comment, and a value may be quoted.
///
///     listen = 0.0.0.0:1337
///     data-dir = /var/lib/goethe
///     sync = always
struct KeyValueSnapshot: FileConfigSnapshot {
  struct ParsingOptions: FileParsingOptions {
    /// The file's path, for error messages.
    var path = "config file"
    /// The keys a line may set.
    var keys: [String] = DaemonConfiguration.keys

    static var `default`: ParsingOptions { ParsingOptions() }
  }

  let providerName: String
  private let values: [String: String]

  init(data: RawSpan, providerName: String, parsingOptions: ParsingOptions) throws {
    self.providerName = providerName
    let text = String(decoding: data.withUnsafeBytes { Array($0) }, as: UTF8.self)
    var values: [String: String] = [:]
    for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
      guard !line.allSatisfy(\.isWhitespace) else { continue }
      let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
      guard parts.count == 2, parsingOptions.keys.contains(parts[0]) else {
        throw GoetheError(
          .invalidArgument,
          "\(parsingOptions.path):\(number + 1): expected `key = value` with a key among \(parsingOptions.keys.joined(separator: ", "))"
        )
      }
      values[parts[0]] = parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
    }
    self.values = values
  }

  func value(forKey key: AbsoluteConfigKey, type: ConfigType) throws -> LookupResult {
    let name = key.components.joined(separator: ".")
    guard let value = values[name] else { return LookupResult(encodedKey: name, value: nil) }
    guard type == .string else {
      throw GoetheError(.invalidArgument, "\(name) is read as text, not as \(type)")
    }
    return LookupResult(encodedKey: name, value: ConfigValue(.string(value), isSecret: false))
  }

  var description: String { "\(providerName)[\(values.count) values]" }
  var debugDescription: String {
    "\(providerName)[" + values.keys.sorted().map { "\($0)=\(values[$0]!)" }.joined(separator: ", ") + "]"
  }
}
