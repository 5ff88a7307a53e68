import Foundation

/// Conversions between event ids (UNIX nanoseconds) and dates.
public enum EventTime {
  public static func date(fromNanoseconds nanoseconds: UInt64) -> Date {
    Date(timeIntervalSince1970: Double(nanoseconds / 1_000_000_000) + Double(nanoseconds % 1_000_000_000) / 1e9)
  }

  /// Nanoseconds since the UNIX epoch; dates before it become 0 and dates past the range of
  /// nanosecond ids (the year 2554) become the largest id.
  public static func nanoseconds(from date: Date) -> UInt64 {
    let seconds = date.timeIntervalSince1970
    guard seconds > 0 else { return 0 }
    guard seconds < Double(UInt64.max / 1_000_000_000) else { return .max }
    let whole = seconds.rounded(.down)
    return UInt64(whole) * 1_000_000_000 + UInt64(((seconds - whole) * 1e9).rounded())
  }

  /// The current wall-clock time in nanoseconds.
  public static func now() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_REALTIME, &spec)
    return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
  }
}
