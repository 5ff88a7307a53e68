import Foundation

/// How much of a topic is kept: events older than `maxAge`, beyond the newest `maxEvents`, or
/// beyond the newest `maxBytes` of payload are removed, oldest first. A nil limit does not limit.
public struct RetentionLimits: Sendable, Equatable {
  /// The age in nanoseconds after which an event is removed (by its id, the time it was committed).
  public var maxAge: UInt64?
  public var maxEvents: UInt64?
  /// The payload bytes kept, counting the payloads only.
  public var maxBytes: UInt64?

  public init(maxAge: UInt64? = nil, maxEvents: UInt64? = nil, maxBytes: UInt64? = nil) {
    self.maxAge = maxAge
    self.maxEvents = maxEvents
    self.maxBytes = maxBytes
  }

  public static let none = RetentionLimits()

  public var isNone: Bool { self == .none }

  /// What `goethectl topic set` does to one limit.
  public enum Change: Sendable, Equatable {
    case keep
    case set(UInt64)
    case remove

    public func applied(to limit: UInt64?) -> UInt64? {
      switch self {
      case .keep: limit
      case .set(let value): value
      case .remove: nil
      }
    }
  }
}

/// Reads retention ages such as `90s`, `15m`, `12h`, `7d`, `2w`, and writes them back the same way.
public enum RetentionAge {
  private static let units: [(suffix: String, seconds: UInt64)] = [
    ("w", 604_800), ("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1),
  ]

  /// The age in nanoseconds.
  public static func parse(_ text: String) throws(GoetheError) -> UInt64 {
    let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
    let unit = units.first { trimmed.hasSuffix($0.suffix) }
    let digits = unit.map { String(trimmed.dropLast($0.suffix.count)) } ?? trimmed
    guard let count = UInt64(digits), count > 0,
      case (let seconds, false) = count.multipliedReportingOverflow(by: unit?.seconds ?? 1),
      case (let nanoseconds, false) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
    else {
      throw GoetheError(
        .invalidArgument, "invalid age \(GoetheError.quoted(text)): use a number with s, m, h, d or w, such as 7d")
    }
    return nanoseconds
  }

  /// `nanoseconds` in the largest unit that divides it, such as `7d`.
  public static func format(_ nanoseconds: UInt64) -> String {
    let seconds = nanoseconds / 1_000_000_000
    guard seconds > 0, nanoseconds % 1_000_000_000 == 0 else { return "\(nanoseconds)ns" }
    let unit = units.first { seconds % $0.seconds == 0 }!
    return "\(seconds / unit.seconds)\(unit.suffix)"
  }
}
