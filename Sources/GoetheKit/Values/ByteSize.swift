import Foundation

/// A size in bytes, read and written the way people write them: `512`, `64KiB`, `1MiB`, `2GB`.
public struct ByteSize: Hashable, Sendable, CustomStringConvertible {
  public var bytes: Int

  public init(_ bytes: Int) { self.bytes = bytes }

  /// Parses a whole number with an optional unit: B, KB/KiB/K, MB/MiB/M, GB/GiB/G (all powers of 1024).
  public init(parsing text: String) throws(GoetheError) {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    let digits = trimmed.prefix { $0.isNumber }
    let unit = trimmed.dropFirst(digits.count).trimmingCharacters(in: .whitespaces).lowercased()
    let multipliers: [String: Int] = [
      "": 1, "b": 1, "k": 1 << 10, "kb": 1 << 10, "kib": 1 << 10, "m": 1 << 20, "mb": 1 << 20, "mib": 1 << 20,
      "g": 1 << 30, "gb": 1 << 30, "gib": 1 << 30,
    ]
    guard let count = Int(digits), let multiplier = multipliers[unit], count > 0,
      case (let bytes, false) = count.multipliedReportingOverflow(by: multiplier)
    else {
      throw GoetheError(
        .invalidArgument, "invalid size \(GoetheError.quoted(text)): use a number with B, KiB, MiB or GiB, such as 1MiB"
      )
    }
    self.bytes = bytes
  }

  public var description: String {
    for (unit, size) in [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)] where bytes >= size && bytes % size == 0
    {
      return "\(bytes / size) \(unit)"
    }
    return "\(bytes) bytes"
  }
}
