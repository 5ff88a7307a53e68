import Logging
import Synchronization

/// The daemon's log level, which can change while it runs (a new `log-level` in the config file):
/// every logger's handler reads it on each message.
final class LogLevelSwitch: Sendable {
  private let current: Mutex<Logger.Level>

  init(_ level: Logger.Level) { current = Mutex(level) }

  var level: Logger.Level {
    get { current.withLock { $0 } }
    set { current.withLock { $0 = newValue } }
  }

  /// A log handler that writes to standard error at this switch's level.
  func handler(label: String) -> any LogHandler {
    SwitchedLogHandler(base: StreamLogHandler.standardError(label: label), levels: self)
  }
}

/// Standard error's handler, with its level taken from a ``LogLevelSwitch``.
private struct SwitchedLogHandler: LogHandler {
  var base: StreamLogHandler
  let levels: LogLevelSwitch

  /// The switch's level; setting it on one logger sets it for all.
  var logLevel: Logger.Level {
    get { levels.level }
    set { levels.level = newValue }
  }

  var metadata: Logger.Metadata {
    get { base.metadata }
    set { base.metadata = newValue }
  }

  subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { base[metadataKey: key] }
    set { base[metadataKey: key] = newValue }
  }

  func log(event: LogEvent) { base.log(event: event) }
}
