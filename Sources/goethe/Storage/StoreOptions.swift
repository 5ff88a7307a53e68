import GoetheKit

/// How a store behaves; the daemon fills it from its configuration.
struct StoreOptions: Sendable {
  var durability: Durability = .always
  /// The largest payload accepted, in bytes.
  var maxEventSize: Int = 1 << 20
  /// The time-index granularity of topics created without one.
  var defaultGranularity: Granularity = .hour
  /// The wall clock in UNIX nanoseconds; tests substitute their own.
  var clock: @Sendable () -> UInt64 = EventTime.now
}
