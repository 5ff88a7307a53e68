import Configuration
import Logging
import ServiceLifecycle

/// Applies a new `log-level` from the settings while the daemon runs, for example after an edit
/// of the config file, and says so in the log. An invalid level is refused with a warning and the
/// current one kept. A `--log-level` flag or `GOETHE_LOG_LEVEL` takes precedence, as at startup.
struct LogLevelWatcher: Service {
  let reader: ConfigReader
  let levels: LogLevelSwitch
  let logger: Logger

  func run() async throws {
    do {
      try await cancelWhenGracefulShutdown { try await watch() }
    } catch is CancellationError {
      return
    }
  }

  private func watch() async throws {
    try await reader.watchString(forKey: "log-level") { updates in
      for await value in updates {
        let wanted = value ?? DaemonConfiguration().logLevel.rawValue
        guard let level = Logger.Level(rawValue: wanted) else {
          logger.warning("log-level \"\(wanted)\" is not a level; keeping \(levels.level.rawValue)")
          continue
        }
        guard level != levels.level else { continue }
        levels.level = level
        logger.notice("log level is now \(level.rawValue)")
      }
    }
  }
}
