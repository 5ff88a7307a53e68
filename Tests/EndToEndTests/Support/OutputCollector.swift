import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Collects what a child process writes into a pipe, line by line, on a thread of its own, and lets
/// tests wait for a line or for the end of the output without polling.
final class OutputCollector: Sendable {
  private struct Waiter {
    var predicate: @Sendable (String) -> Bool
    var continuation: CheckedContinuation<String?, Never>
  }

  private struct State {
    var lines: [String] = []
    var partial: [UInt8] = []
    var ended = false
    var waiters: [Waiter] = []
    var endWaiters: [CheckedContinuation<Void, Never>] = []
  }

  private let state = Mutex(State())

  /// Starts reading `pipe` (whose write end belongs to the child) until end of file.
  init(_ pipe: Pipe) {
    let reader = pipe.fileHandleForReading
    let thread = Thread { [self] in
      let descriptor = reader.fileDescriptor
      var buffer = [UInt8](repeating: 0, count: 8192)
      while true {
        let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        if count < 0 && errno == EINTR { continue }
        guard count > 0 else { break }
        receive(buffer[0..<count])
      }
      finish()
      try? reader.close()
    }
    thread.name = "output-collector"
    thread.start()
  }

  /// Every complete line so far (and, after the end, the unterminated last one).
  var lines: [String] { state.withLock { $0.lines } }

  /// The first line, past or future, that satisfies `predicate`; nil if the output ends without one.
  func firstLine(where predicate: @escaping @Sendable (String) -> Bool) async -> String? {
    await withCheckedContinuation { continuation in
      let found = state.withLock { state -> String?? in
        if let line = state.lines.first(where: predicate) { return .some(line) }
        if state.ended { return .some(nil) }
        state.waiters.append(Waiter(predicate: predicate, continuation: continuation))
        return nil
      }
      if let found { continuation.resume(returning: found) }
    }
  }

  /// Returns once the writer closed the pipe (the child exited), so that `lines` is complete.
  func ended() async {
    await withCheckedContinuation { continuation in
      let ended = state.withLock { state in
        if !state.ended { state.endWaiters.append(continuation) }
        return state.ended
      }
      if ended { continuation.resume() }
    }
  }

  private func receive(_ bytes: ArraySlice<UInt8>) {
    let satisfied = state.withLock { state in
      state.partial += bytes
      var completed: [String] = []
      while let newline = state.partial.firstIndex(of: UInt8(ascii: "\n")) {
        completed.append(String(decoding: state.partial[..<newline], as: UTF8.self))
        state.partial.removeSubrange(...newline)
      }
      return Self.add(completed, to: &state)
    }
    for (waiter, line) in satisfied { waiter.continuation.resume(returning: line) }
  }

  private func finish() {
    let (satisfied, unsatisfied, endWaiters) = state.withLock { state in
      let last = state.partial.isEmpty ? [] : [String(decoding: state.partial, as: UTF8.self)]
      state.partial = []
      let satisfied = Self.add(last, to: &state)
      state.ended = true
      defer {
        state.waiters = []
        state.endWaiters = []
      }
      return (satisfied, state.waiters, state.endWaiters)
    }
    for (waiter, line) in satisfied { waiter.continuation.resume(returning: line) }
    for waiter in unsatisfied { waiter.continuation.resume(returning: nil) }
    for waiter in endWaiters { waiter.resume() }
  }

  /// Appends lines and takes out the waiters they satisfy.
  private static func add(_ lines: [String], to state: inout State) -> [(Waiter, String)] {
    var satisfied: [(Waiter, String)] = []
    for line in lines {
      state.lines.append(line)
      state.waiters.removeAll { waiter in
        guard waiter.predicate(line) else { return false }
        satisfied.append((waiter, line))
        return true
      }
    }
    return satisfied
  }
}
