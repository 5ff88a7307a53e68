import Dispatch
import Foundation
import Synchronization

/// Ctrl-C handling: the first SIGINT cancels the running command, which ends cleanly (a consumer
/// commits its cursor first); a second one exits at once with 130 (unless `exitOnSecond` is off,
/// as in a session). The previous SIGINT disposition is restored afterwards.
enum Interrupt {
  static func cancellingOnSignal(
    exitOnSecond: Bool = true, _ body: sending @escaping () async throws -> Void
  ) async throws {
    let previous = signal(SIGINT, SIG_IGN)
    let work = Task { try await body() }
    let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
    let interrupted = InterruptFlag()
    source.setEventHandler {
      if interrupted.set(), exitOnSecond { exit(ExitStatus.interrupted.rawValue) }
      work.cancel()
    }
    source.resume()
    defer {
      source.cancel()
      signal(SIGINT, previous)
    }
    do {
      try await work.value
    } catch {
      if interrupted.isSet { throw CancellationError() }
      throw error
    }
    if interrupted.isSet { throw CancellationError() }
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
