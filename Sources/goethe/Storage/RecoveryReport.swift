/// What a repair found readable and what it rebuilt (see ``StoreRecovery``).
struct RecoveryReport: Sendable, Equatable {
  /// A topic as the repair left it.
  struct Topic: Sendable, Equatable {
    var name: String
    var number: UInt32
    /// The events readable now, numbered 1...readable.
    var readable: UInt64
    /// The highest sequence number that a surviving record (an event, a time-index bucket or a
    /// cursor) carried before the repair: at least this many events had been written.
    var written: UInt64
    /// Whether the topic's catalog entry was lost with its name, so that it is now named
    /// `recovered-<number>`.
    var nameLost: Bool

    /// The events known to be lost. Events newer than every surviving record leave no trace, so
    /// this is a lower bound.
    var lost: UInt64 { written - readable }
  }

  /// Every topic, by name.
  var topics: [Topic] = []
  /// Whether the format version was lost and written again.
  var formatVersionRestored = false
  /// The store's new node identity, if the old one was lost.
  var newNodeID: String?
  /// The names of catalog entries that could not be decoded and were removed; their topics' records
  /// are kept under placeholder names.
  var unreadableCatalogEntries: [String] = []
}
