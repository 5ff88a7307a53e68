import GoetheKit
import Logging
import ServiceLifecycle
import UnixSignals

/// Rereads the auth file at each SIGHUP and says so in the log; a file that cannot be read or
/// parsed is refused with a warning, and the one in force is kept.
struct AuthFileWatcher: Service {
  let access: AccessControl
  /// SIGHUP, trapped before the daemon serves, so that an early one does not end the process.
  let hangups: UnixSignalsSequence
  let logger: Logger

  func run() async throws {
    for await _ in hangups.cancelOnGracefulShutdown() {
      do {
        let callers = try access.reload()
        logger.notice("auth file reloaded", metadata: ["auth-file": "\(access.path ?? "")", "callers": "\(callers)"])
      } catch {
        logger.warning("cannot reload the auth file; keeping the one in force: \(error.message)")
      }
    }
  }
}
