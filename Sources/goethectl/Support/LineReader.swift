import Foundation
import GoetheKit
import Synchronization

/// Reads lines from stdin or a file on a thread of its own and hands them out in batches: all the
/// lines that arrived since the last batch (up to a limit), so a fast producer fills appends and a
/// slow one sends each line as it comes. The reader stops reading while enough lines are waiting.
/// Blank lines are skipped; each line keeps its number in the input, for messages.
final class LineReader: Sendable {
  static let maxBatchLines = 1_000
  static let maxBatchBytes = 4 << 20
  private static let maxWaiting = 10_000

  private struct State {
    var lines: [InputLine] = []
    var finished = false
    var consumer: CheckedContinuation<Void, Never>?
  }

  private let state = Mutex(State())
  private let space = DispatchSemaphore(value: 0)

  /// Reads `path`, or stdin when nil.
  init(path: String?) throws {
    let stream: UnsafeMutablePointer<FILE>
    if let path {
      guard let opened = fopen(path, "r") else {
        throw GoetheError(.invalidArgument, "cannot open \(path): \(String(cString: strerror(errno)))")
      }
      stream = opened
    } else {
      stream = fdopen(STDIN_FILENO, "r")
    }
    nonisolated(unsafe) let file = stream
    let thread = Thread { [self] in
      read(file)
      if path != nil { fclose(file) }
    }
    thread.start()
  }

  private func read(_ file: UnsafeMutablePointer<FILE>) {
    var buffer: UnsafeMutablePointer<CChar>?
    var capacity = 0
    var number = 0
    defer { free(buffer) }
    while true {
      let length = getline(&buffer, &capacity, file)
      guard length >= 0, let buffer else { break }
      number += 1
      var line = Data(bytes: buffer, count: length)
      while let last = line.last, last == 0x0A || last == 0x0D { line.removeLast() }
      guard !line.isEmpty else { continue }
      let (waiter, full) = state.withLock { state in
        state.lines.append(InputLine(number: number, payload: line))
        defer { state.consumer = nil }
        return (state.consumer, state.lines.count >= Self.maxWaiting)
      }
      waiter?.resume()
      if full { space.wait() }
    }
    let waiter = state.withLock { state in
      state.finished = true
      defer { state.consumer = nil }
      return state.consumer
    }
    waiter?.resume()
  }

  /// The lines that arrived since the last call, waiting for at least one; nil at the end of input.
  func nextBatch() async -> [InputLine]? {
    while true {
      let taken = state.withLock { state -> [InputLine]? in
        var bytes = 0
        let count = state.lines.prefix(Self.maxBatchLines).prefix { line in
          bytes += line.payload.count
          return bytes <= Self.maxBatchBytes || bytes == line.payload.count
        }.count
        guard count > 0 else { return nil }
        let wasFull = state.lines.count >= Self.maxWaiting
        defer {
          state.lines.removeFirst(count)
          if wasFull { space.signal() }
        }
        return Array(state.lines.prefix(count))
      }
      if let taken { return taken }
      if state.withLock({ $0.finished && $0.lines.isEmpty }) { return nil }
      await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        let ready = state.withLock { state -> Bool in
          if !state.lines.isEmpty || state.finished { return true }
          state.consumer = continuation
          return false
        }
        if ready { continuation.resume() }
      }
    }
  }
}

/// A line of produce's input, without its line break.
struct InputLine: Sendable {
  /// 1 for the first line; blank lines count too, as an editor numbers them.
  let number: Int
  let payload: Data
}
