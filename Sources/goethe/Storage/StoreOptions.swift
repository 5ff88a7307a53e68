import GoetheKit
import Logging

/// How a store behaves; the daemon fills it from its configuration.
struct StoreOptions: Sendable {
  var durability: Durability = .always
  /// The largest payload accepted, in bytes.
  var maxEventSize: Int = 1 << 20
  /// The time-index granularity of topics created without one.
  var defaultGranularity: Granularity = .hour
  /// The retention limits of topics created without their own.
  var defaultRetention: RetentionLimits = .none
  /// The wall clock in UNIX nanoseconds; tests substitute their own.
  var clock: @Sendable () -> UInt64 = EventTime.now
  /// How many rounds of queued writes a write commits before it hands the rest on to the first
  /// of them (see ``EventStore/commit(_:)``): more rounds share more work, fewer bound the extra
  /// wait of the write that commits them.
  var writeRounds = 16
  /// The free space the data directory's file system needs before writes resume after the disk
  /// was full: room for LevelDB to write out its memory table (up to 16 MiB) and go on.
  var freeBytesToResume: UInt64 = 64 << 20
  /// How often the store looks for free space while the disk is full.
  var diskProbeInterval: Duration = .seconds(1)
  /// How long, in nanoseconds of event time, a stamped batch stays in the deduplication window
  /// (``ProducerWindow``): a batch sent again within it is stored once.
  var deduplicationSpan: UInt64 = 120 * 1_000_000_000
  /// How many stamped batches the deduplication window holds at most, newest first.
  var deduplicationCapacity = 100_000
  /// The payload bytes of its latest committed writes the store keeps in memory for replication
  /// (``RecentWrites``); 0 keeps none, as a node that leads no followers needs none.
  var recentWriteBytes = 0
  /// Where the store reports that it stopped accepting writes.
  var logger = Logger(label: "goethe")
}
