/// When an append counts as stored.
public enum Durability: String, Sendable, CaseIterable {
  /// An append returns only after its batch is fsynced; appends that arrive together share one fsync.
  /// Survives a power loss.
  case always
  /// LevelDB writes without fsync: survives a crash of the process, not of the machine.
  case never
}
