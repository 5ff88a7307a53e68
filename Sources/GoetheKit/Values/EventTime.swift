import CoreFoundation
public import Foundation

/// Conversions between event ids (UNIX nanoseconds) and dates.
public enum EventTime {
  public static func date(fromNanoseconds nanoseconds: UInt64) -> Date {
    Date(timeIntervalSince1970: Double(nanoseconds / 1_000_000_000) + Double(nanoseconds % 1_000_000_000) / 1e9)
  }

  /// The times an event id can hold, as a person reads them: from the UNIX epoch to 2^64 - 1
  /// nanoseconds after it.
  public static let range = "1970-01-01T00:00:00Z to 2554-07-21T23:34:33.709551615Z"

  /// Nanoseconds since the UNIX epoch, or nil for a date outside ``range``.
  public static func nanoseconds(from date: Date) -> UInt64? {
    let seconds = date.timeIntervalSince1970
    // 18_446_744_074 is exact as a Double and just past the last second of the range.
    guard seconds >= 0, seconds < 18_446_744_074 else { return nil }
    let whole = seconds.rounded(.down)
    return nanoseconds(seconds: UInt64(whole), fraction: UInt64(((seconds - whole) * 1e9).rounded()))
  }

  /// `seconds` since the UNIX epoch plus `fraction` nanoseconds, or nil past the end of ``range``.
  public static func nanoseconds(seconds: UInt64, fraction: UInt64) -> UInt64? {
    let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
    let (sum, carry) = whole.addingReportingOverflow(fraction)
    return overflow || carry ? nil : sum
  }

  /// The current wall-clock time in nanoseconds.
  public static func now() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_REALTIME, &spec)
    return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
  }
}
