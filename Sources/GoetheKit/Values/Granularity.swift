/// The bucket width of a topic's time index: whole minutes from 1m to 1d.
public struct Granularity: Hashable, Sendable, CustomStringConvertible {
  public static let minimum = Granularity(uncheckedSeconds: 60)
  public static let maximum = Granularity(uncheckedSeconds: 86_400)
  public static let hour = Granularity(uncheckedSeconds: 3_600)

  /// The width in seconds.
  public let seconds: UInt32

  private init(uncheckedSeconds seconds: UInt32) { self.seconds = seconds }

  /// A granularity of whole minutes between 1m and 1d.
  public init(seconds: UInt32) throws(GoetheError) {
    guard seconds % 60 == 0, (Self.minimum.seconds...Self.maximum.seconds).contains(seconds) else {
      throw GoetheError(.invalidArgument, "invalid index granularity of \(seconds)s: \(Self.rule)")
    }
    self.seconds = seconds
  }

  /// Parses `90m`, `1h`, `6h`, `1d` and the like.
  public init(parsing text: String) throws(GoetheError) {
    let units: [Character: UInt32] = ["m": 60, "h": 3_600, "d": 86_400]
    guard let unit = text.last.flatMap({ units[$0] }), let count = UInt32(text.dropLast()), count > 0
    else {
      throw GoetheError(.invalidArgument, "invalid index granularity \(GoetheError.quoted(text)): \(Self.rule)")
    }
    let (seconds, overflow) = count.multipliedReportingOverflow(by: unit)
    guard !overflow, seconds % 60 == 0, (Self.minimum.seconds...Self.maximum.seconds).contains(seconds) else {
      throw GoetheError(.invalidArgument, "invalid index granularity \(GoetheError.quoted(text)): \(Self.rule)")
    }
    self.seconds = seconds
  }

  public static let rule = "use whole minutes from 1m to 1d, such as 1m, 15m, 1h, 6h or 1d"

  public var nanoseconds: UInt64 { UInt64(seconds) * 1_000_000_000 }

  /// The start of the bucket holding `time` (UNIX nanoseconds), aligned to UTC.
  public func bucketStart(of time: UInt64) -> UInt64 { time - time % nanoseconds }

  /// The shortest spelling: `1d`, `6h`, `90m`.
  public var description: String {
    if seconds % 86_400 == 0 { return "\(seconds / 86_400)d" }
    if seconds % 3_600 == 0 { return "\(seconds / 3_600)h" }
    return "\(seconds / 60)m"
  }
}
