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
}

/// Changes to some of a topic's retention limits, leaving the others as they are: what
/// `goethectl topic set` asks for, and what `topic create` asks for over the server's defaults.
public struct RetentionChanges: Sendable, Equatable {
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

    /// The change as the wire carries it: absent to keep, 0 to remove.
    public var wireValue: UInt64? {
      switch self {
      case .keep: nil
      case .set(let value): value
      case .remove: 0
      }
    }

    public init(wireValue: UInt64?) {
      self = wireValue.map { $0 == 0 ? .remove : .set($0) } ?? .keep
    }
  }

  public var maxAge: Change
  public var maxEvents: Change
  public var maxBytes: Change

  public init(maxAge: Change = .keep, maxEvents: Change = .keep, maxBytes: Change = .keep) {
    self.maxAge = maxAge
    self.maxEvents = maxEvents
    self.maxBytes = maxBytes
  }

  public var isEmpty: Bool { self == RetentionChanges() }

  public func applied(to limits: RetentionLimits) -> RetentionLimits {
    RetentionLimits(
      maxAge: maxAge.applied(to: limits.maxAge), maxEvents: maxEvents.applied(to: limits.maxEvents),
      maxBytes: maxBytes.applied(to: limits.maxBytes))
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

  /// `nanoseconds` in the largest unit up to days that divides it, such as `7d`.
  public static func format(_ nanoseconds: UInt64) -> String {
    let seconds = nanoseconds / 1_000_000_000
    guard seconds > 0, nanoseconds % 1_000_000_000 == 0 else { return "\(nanoseconds)ns" }
    // Days rather than weeks, as people say them: 7d, 14d, 30d.
    let unit = units.dropFirst().first { seconds % $0.seconds == 0 }!
    return "\(seconds / unit.seconds)\(unit.suffix)"
  }
}
