import Foundation
import GoetheKit
import Synchronization
import Testing

/// When LevelDB cannot write (here: the daemon's file size limit makes the log's write fail with
/// EFBIG), the appends of that write fail, the store refuses every later write until goethe is
/// restarted, reads go on, and after a restart every acknowledged event is there once, in order.
@Suite(.timeLimit(.minutes(2)))
struct WriteFailureTests {
  static let producers = 16
  /// KiB a file of the daemon may grow to: room for a couple of hundred appends.
  static let fileSizeLimit = 256
  static let topic = "full"

  struct Outcome: Sendable {
    var acknowledged: [String] = []
    var errors: [String] = []
  }

  /// What the producers saw, recorded from all of them.
  final class OutcomeLog: Sendable {
    private let outcome = Mutex(Outcome())

    func acknowledged(_ payload: String) { outcome.withLock { $0.acknowledged.append(payload) } }
    func refused(_ message: String) { outcome.withLock { $0.errors.append(message) } }
    var all: Outcome { outcome.withLock { $0 } }
  }

  @Test(arguments: ["never", "always"])
  func aFailedWriteStopsWritesAndLosesNothingAcknowledged(sync: String) async throws {
    try await withScratchDirectory { scratch in
      let data = scratch.appendingPathComponent("data")
      let daemon = try await Daemon.start(
        dataDirectory: data, ["--sync", sync], fileSizeLimit: Self.fileSizeLimit)
      defer { daemon.killIfRunning() }

      let outcome = try await appendUntilRefused(daemon)
      #expect(outcome.acknowledged.count > 50, "appends succeeded before the log hit the limit")
      #expect(outcome.errors.count == Self.producers)
      #expect(outcome.errors.contains { $0.contains("File too large") }, "\(outcome.errors)")
      #expect(
        outcome.errors.allSatisfy { $0.contains("File too large") || $0.contains("stopped accepting writes") },
        "\(outcome.errors)")

      let later = await daemon.refusal { try await $0.append([Data("after the failure".utf8)], to: Self.topic) }
      #expect(later?.contains("stopped accepting writes") == true, "\(later ?? "accepted")")
      let cursor = await daemon.refusal {
        try await $0.setCursor(topic: Self.topic, consumer: "c", to: .beginning)
      }
      #expect(cursor?.contains("stopped accepting writes") == true, "\(cursor ?? "accepted")")
      let served = try await daemon.withClient { try await $0.everything(in: Self.topic) }
      #expect(served.count == outcome.acknowledged.count, "reads go on, showing what was acknowledged")
      #expect(Self.missing(outcome.acknowledged, from: served).isEmpty)

      let exit = try await daemon.stop()
      #expect(exit.status == 0, "\(exit)")
      #expect(
        exit.stderr.contains { $0.contains("the store stopped accepting writes after a failed write") }, "\(exit)")

      let restarted = try await Daemon.start(dataDirectory: data, ["--sync", sync])
      defer { restarted.killIfRunning() }
      let stored = try await restarted.withClient { try await $0.everything(in: Self.topic) }
      #expect(Self.missing(outcome.acknowledged, from: stored).isEmpty, "every acknowledged event is stored")
      #expect(stored.count == Set(stored.map(\.payloadText)).count, "no event is stored twice")
      #expect(stored.map(\.sequence) == (1...UInt64(stored.count)).map { $0 }, "sequences have no gaps")
      #expect(stored.map(\.id) == stored.map(\.id).sorted(), "ids are in order")
      let resumed = try await restarted.withClient {
        try await $0.append([Data("after the restart".utf8)], to: Self.topic)
      }
      #expect(resumed.firstSequence == UInt64(stored.count) + 1)
      #expect(try await restarted.stop().status == 0)
    }
  }

  /// The acknowledged events (named by producer and number) that `events` lacks.
  private static func missing(_ acknowledged: [String], from events: [StoredEvent]) -> [String] {
    let present = Set(events.map(\.payloadText))
    return acknowledged.filter { !present.contains($0) }.map {
      $0.prefix { $0 != "x" }.trimmingCharacters(in: .whitespaces)
    }
  }

  /// `producers` clients append 1 KiB events until each is refused once.
  private func appendUntilRefused(_ daemon: Daemon) async throws -> Outcome {
    let log = OutcomeLog()
    try await withThrowingTaskGroup(of: Void.self) { group in
      for producer in 0..<Self.producers {
        group.addTask {
          try await daemon.withClient { client in
            for number in 0... {
              let payload = "producer \(producer) event \(number) ".padding(
                toLength: 1_024, withPad: "x", startingAt: 0)
              do {
                _ = try await client.append([Data(payload.utf8)], to: Self.topic)
                log.acknowledged(payload)
              } catch let error as GoetheError {
                log.refused(error.message)
                return
              }
            }
          }
        }
      }
      try await group.waitForAll()
    }
    return log.all
  }
}

extension Daemon {
  /// The message of the error `body` fails with, or nil if it succeeds.
  func refusal(_ body: @escaping @Sendable (GoetheClient) async throws -> some Sendable) async -> String? {
    do {
      _ = try await withClient(body)
      return nil
    } catch let error as GoetheError {
      return error.message
    } catch {
      return "\(error)"
    }
  }
}

extension StoredEvent {
  var payloadText: String { String(decoding: payload, as: UTF8.self) }
}
