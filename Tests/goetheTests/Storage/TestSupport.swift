import Foundation
import GoetheKit
import Logging
import Synchronization
import TestSupport
import Testing

@testable import goethe

// Helpers shared by the storage tests: temporary stores, a fake clock and assertions on GoetheError
// codes and messages.

/// A wall clock the test controls. It stands still unless moved, or, when made with a jitter, moves
/// by a random (possibly negative) step after every reading, which makes ids collide and go backwards.
final class FakeClock: Sendable {
  /// 2023-11-14T22:13:20Z, a realistic time that leaves room to move in both directions.
  static let epoch: UInt64 = 1_700_000_000 * 1_000_000_000

  private struct State: Sendable {
    var now: UInt64
    var random: SplitMix64?
    var jitter: ClosedRange<Int64>
  }

  private let state: Mutex<State>

  init(_ now: UInt64 = FakeClock.epoch) {
    state = Mutex(State(now: now, random: nil, jitter: 0...0))
  }

  /// A clock that moves by a random step in `jitter` nanoseconds after each reading.
  init(_ now: UInt64 = FakeClock.epoch, seed: UInt64, jitter: ClosedRange<Int64>) {
    state = Mutex(State(now: now, random: SplitMix64(seed: seed), jitter: jitter))
  }

  /// What the store calls.
  func read() -> UInt64 {
    state.withLock { state in
      let reading = state.now
      if var random = state.random {
        state.now = Self.moved(state.now, by: Int64.random(in: state.jitter, using: &random))
        state.random = random
      }
      return reading
    }
  }

  var now: UInt64 { state.withLock { $0.now } }

  func set(_ time: UInt64) { state.withLock { $0.now = time } }

  /// Moves the clock; a negative step moves it backwards.
  func advance(by step: Int64) { state.withLock { $0.now = Self.moved($0.now, by: step) } }

  /// The clock as `StoreOptions` takes it.
  var function: @Sendable () -> UInt64 { { [self] in read() } }

  private static func moved(_ time: UInt64, by step: Int64) -> UInt64 {
    step >= 0 ? time + UInt64(step) : time - min(time, step.magnitude)
  }
}

extension StoreOptions {
  /// Options with a fake clock.
  static func testing(
    _ durability: Durability = .never, clock: FakeClock = FakeClock(), maxEventSize: Int = 1 << 20,
    defaultGranularity: Granularity = .hour, writeRounds: Int = 16
  ) -> StoreOptions {
    StoreOptions(
      durability: durability, maxEventSize: maxEventSize, defaultGranularity: defaultGranularity,
      clock: clock.function, writeRounds: writeRounds,
      logger: Logger(label: "goethe", factory: { _ in SwiftLogNoOpLogHandler() }))
  }
}

/// A fresh directory under the system's temporary directory, removed after `body`.
/// `body` gets the directory and the path to use for a store inside it.
func withTemporaryDirectory<T>(
  _ body: (_ directory: URL, _ storePath: String) async throws -> T
) async throws -> T {
  try await withScratchDirectory(prefix: "goethe-storage-tests") { directory in
    try await body(directory, directory.appendingPathComponent("store").path)
  }
}

/// Opens the store at `path`, runs `body` and closes the store, also when `body` throws. The
/// storage tests use the store through its protocol, as the daemon does.
func withStore<T>(
  at path: String, _ options: StoreOptions = .testing(), _ body: (any GoetheStore) async throws -> T
) async throws -> T {
  try await withEventStore(at: path, options, body)
}

/// A store in a fresh temporary directory, closed and removed after `body`.
func withStore<T>(
  _ options: StoreOptions = .testing(), _ body: (any GoetheStore) async throws -> T
) async throws -> T {
  try await withTemporaryDirectory { _, path in
    try await withStore(at: path, options, body)
  }
}

/// The store's implementation, for the tests of what only it knows: its write queue, its records.
func withEventStore<T>(
  at path: String, _ options: StoreOptions = .testing(), _ body: (EventStore) async throws -> T
) async throws -> T {
  let store = try EventStore(path: path, options: options)
  defer { store.close() }
  return try await body(store)
}

/// ``withEventStore(at:_:_:)`` in a fresh temporary directory.
func withEventStore<T>(
  _ options: StoreOptions = .testing(), _ body: (EventStore) async throws -> T
) async throws -> T {
  try await withTemporaryDirectory { _, path in
    try await withEventStore(at: path, options, body)
  }
}

/// Runs `body` and checks that it throws a `GoetheError` with `code` whose message contains every
/// one of `fragments`; returns the error.
@discardableResult
func expectError(
  _ code: GoetheError.Code, mentioning fragments: [String] = [],
  sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void
) async -> GoetheError? {
  do {
    try await body()
    Issue.record("expected a \(code) error, but nothing was thrown", sourceLocation: sourceLocation)
    return nil
  } catch let error as GoetheError {
    #expect(error.code == code, "message: \(error.message)", sourceLocation: sourceLocation)
    for fragment in fragments {
      #expect(
        error.message.contains(fragment), "\"\(error.message)\" does not mention \"\(fragment)\"",
        sourceLocation: sourceLocation)
    }
    return error
  } catch {
    Issue.record("expected a \(code) GoetheError, got \(error)", sourceLocation: sourceLocation)
    return nil
  }
}

/// The result of `task`. If the awaiting test is cancelled first (for instance by its time limit),
/// `task` is cancelled and this returns `CancellationError` at once, even if `task` never ends
/// (say, because a broken notifier lost its continuation): a hang fails the test instead of
/// stalling the whole run.
func outcome<T: Sendable>(of task: Task<T, any Error>) async -> Result<T, any Error> {
  let race = FirstResult<T>()
  Task { race.finish(await task.result) }
  return await withTaskCancellationHandler {
    await race.wait()
  } onCancel: {
    task.cancel()
    race.finish(.failure(CancellationError()))
  }
}

/// Whichever result arrives first.
private final class FirstResult<T: Sendable>: Sendable {
  private enum State {
    case empty
    case waiting(CheckedContinuation<Result<T, any Error>, Never>)
    case finished(Result<T, any Error>)
  }

  private let state = Mutex(State.empty)

  func wait() async -> Result<T, any Error> {
    await withCheckedContinuation { continuation in
      let ready = state.withLock { state -> Result<T, any Error>? in
        if case .finished(let result) = state { return result }
        state = .waiting(continuation)
        return nil
      }
      if let ready { continuation.resume(returning: ready) }
    }
  }

  func finish(_ result: Result<T, any Error>) {
    let waiting = state.withLock { state -> CheckedContinuation<Result<T, any Error>, Never>? in
      switch state {
      case .empty:
        state = .finished(result)
        return nil
      case .waiting(let continuation):
        state = .finished(result)
        return continuation
      case .finished:
        return nil
      }
    }
    waiting?.resume(returning: result)
  }
}

/// Payloads from strings.
func payloads(_ texts: String...) -> [Data] { texts.map { Data($0.utf8) } }

extension StoredEvent {
  var payloadText: String { String(decoding: payload, as: UTF8.self) }
}

extension EventLog {
  /// Every stored event of `topic`, read from id 0 (independent of how positions resolve).
  func allEvents(in topic: String) throws -> [StoredEvent] {
    try read(resolveStart(.beginning, in: topic), from: 0, limit: .max)
  }

  /// Appends one event with `text` as its payload; returns its id.
  @discardableResult
  func appendText(_ text: String, to topic: String) async throws -> UInt64 {
    try await append(payloads(text), to: topic).firstID
  }

  /// What readers of `topic` wait on.
  func waitable(_ topic: String) throws -> ReadStart {
    try resolveStart(.end, in: topic)
  }
}

/// Checks that `events` have strictly increasing ids and the sequence numbers 1...count.
func expectWellOrdered(_ events: [StoredEvent], sourceLocation: SourceLocation = #_sourceLocation) {
  let ids = events.map(\.id)
  #expect(
    zip(ids, ids.dropFirst()).allSatisfy { $0 < $1 }, "ids are not strictly increasing", sourceLocation: sourceLocation)
  #expect(
    events.map(\.sequence) == (0..<UInt64(events.count)).map { $0 + 1 }, "sequence numbers are not 1...\(events.count)",
    sourceLocation: sourceLocation)
}

/// Topic `t` with five events at E, E+100, E+200 and E+201 (one batch), E+1000 (E = `FakeClock.epoch`),
/// with the payloads "1" to "5".
enum FiveEvents {
  static let ids: [UInt64] = [0, 100, 200, 201, 1_000].map { FakeClock.epoch + $0 }

  static func fill(_ store: any GoetheStore, clock: FakeClock) async throws {
    _ = try await store.createTopic("t")
    for (offset, texts) in [(UInt64(0), ["1"]), (100, ["2"]), (200, ["3", "4"]), (1_000, ["5"])] {
      clock.set(FakeClock.epoch + offset)
      _ = try await store.append(texts.map { Data($0.utf8) }, to: "t")
    }
    #expect(try store.allEvents(in: "t").map(\.id) == ids)
  }

  /// A store with the five events; the clock stands at E+1000.
  static func withStore(
    _ durability: Durability = .never, _ body: (any GoetheStore, FakeClock) async throws -> Void
  ) async throws {
    let clock = FakeClock()
    try await goetheTests.withStore(.testing(durability, clock: clock)) { store in
      try await fill(store, clock: clock)
      try await body(store, clock)
    }
  }
}

extension EventStore {
  /// Takes the writing turn as a write in progress would: writes planned meanwhile wait for it.
  func holdTheWritingTurn() { state.withLock { $0.writing = true } }

  /// Ends the pretended write in progress the way a real one does: hands the queue to its first
  /// write, with the rest as its followers.
  func handOnTheWritingTurn() {
    var waiting = state.withLock { state in
      defer { state.waiting = [] }
      return state.waiting
    }
    let first = waiting.removeFirst()
    first.continuation.resume(returning: .lead(followers: waiting))
  }
}
