import Dispatch
import Foundation
import Synchronization

/// Ctrl-C handling: the first SIGINT cancels the running command, which ends cleanly (a consumer
/// commits its cursor first); a second one exits at once with 130 (unless `exitOnSecond` is off,
/// as in a session).
///
/// SIGINT is read by one dispatch signal source that lives as long as the process, and whoever is
/// listening (the running command, or a session's prompt) takes it. The source is never replaced
/// and the disposition never changed after it exists: on Linux libdispatch installs the SIGINT
/// handler its signal sources depend on only when the first one is created, so restoring an older
/// disposition over it (SIG_IGN, a handler of our own) would silence every later source, and
/// Ctrl-C would stop working after a session's first command.
enum Interrupt {
  static func cancellingOnSignal(
    exitOnSecond: Bool = true, _ body: sending @escaping () async throws -> Void
  ) async throws {
    let work = Task { try await body() }
    let interrupted = InterruptFlag()
    let onSignal: @Sendable () -> Void = {
      if interrupted.set(), exitOnSecond { exit(ExitStatus.interrupted.rawValue) }
      work.cancel()
    }
    do {
      try await receiving(onSignal) { try await work.value }
    } catch {
      if interrupted.isSet { throw CancellationError() }
      throw error
    }
    if interrupted.isSet { throw CancellationError() }
  }

  /// Runs `body` with `onSignal` called on each SIGINT, then gives SIGINT back to whoever had it.
  static func receiving<Result>(
    _ onSignal: @escaping @Sendable () -> Void, during body: () async throws -> Result
  ) async rethrows -> Result {
    router.start()
    let previous = router.receiver.withLock { receiver in
      defer { receiver = onSignal }
      return receiver
    }
    defer { router.receiver.withLock { $0 = previous } }
    return try await body()
  }

  private static let router = SignalRouter()
}

/// The process's one SIGINT source and who it calls; a SIGINT with no one listening is dropped
/// (drained, so it cannot cancel the next command when it starts).
private final class SignalRouter: Sendable {
  let receiver = Mutex<(@Sendable () -> Void)?>(nil)
  private let source = Mutex<(any DispatchSourceSignal)?>(nil)

  func start() {
    source.withLock { source in
      guard source == nil else { return }
      // Darwin's kqueue sees an ignored signal too, and the default action would end the process
      // before the source could run; on Linux libdispatch replaces this with its own handler.
      signal(SIGINT, SIG_IGN)
      let created = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
      created.setEventHandler { self.receiver.withLock { $0 }?() }
      created.resume()
      source = created
    }
  }
}

/// Whether SIGINT arrived; `set()` returns whether it had arrived before.
final class InterruptFlag: Sendable {
  private let flag = Mutex(false)
  var isSet: Bool { flag.withLock { $0 } }
  func set() -> Bool {
    flag.withLock { flag in
      defer { flag = true }
      return flag
    }
  }
}
