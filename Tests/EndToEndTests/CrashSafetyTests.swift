import Foundation
import GoetheKit
import Synchronization
import TestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// With `--sync always`, an acknowledged append survives SIGKILL of the daemon.
@Suite(.timeLimit(.minutes(2)))
struct CrashSafetyTests {
  static let producers = 8
  static let rounds = 3
  static let topic = "crash"

  /// Set GOETHE_E2E_SEED to replay a run; failures print the seed.
  static let seed: UInt64 =
    ProcessInfo.processInfo.environment["GOETHE_E2E_SEED"].flatMap(UInt64.init)
    ?? UInt64.random(in: 1...UInt64.max)

  @Test func acknowledgedEventsSurviveSIGKILLDuringConcurrentAppends() async throws {
    var random = SplitMix64(seed: Self.seed)
    try await withScratchDirectory { scratch in
      let data = scratch.appendingPathComponent("data")
      var acknowledged: [Acknowledged] = []
      for round in 1...Self.rounds {
        let daemon = try await Daemon.start(dataDirectory: data, ["--sync", "always"])
        defer { daemon.killIfRunning() }
        try await expectAllPresent(acknowledged, in: daemon, after: "restart \(round - 1)")
        let target = Int.random(in: 200...1500, using: &random)
        let acks = try await appendUntilKilled(daemon, killAfter: target, round: round)
        #expect(acks.count >= target, "seed \(Self.seed)")
        acknowledged += acks
      }
      let daemon = try await Daemon.start(dataDirectory: data, ["--sync", "always"])
      defer { daemon.killIfRunning() }
      try await expectAllPresent(acknowledged, in: daemon, after: "the last restart")
      let exit = try await daemon.stop()
      #expect(exit.status == 0, "\(exit)")
    }
  }

  struct Acknowledged: Sendable {
    var id: UInt64
    var payload: String
  }

  /// The acknowledgements of all producers, in the order they arrived.
  final class AcknowledgementLog: Sendable {
    private let acknowledged = Mutex<[Acknowledged]>([])

    /// Records one and returns how many there are now.
    func record(_ acknowledgement: Acknowledged) -> Int {
      acknowledged.withLock { acks in
        acks.append(acknowledgement)
        return acks.count
      }
    }

    var all: [Acknowledged] { acknowledged.withLock { $0 } }
  }

  /// Runs `producers` appenders on connections of their own; SIGKILLs the daemon on the
  /// `killAfter`th acknowledgement, while the others are in flight. Returns every acknowledgement.
  private func appendUntilKilled(_ daemon: Daemon, killAfter target: Int, round: Int) async throws -> [Acknowledged] {
    let acknowledged = AcknowledgementLog()
    await withTaskGroup(of: Void.self) { group in
      for producer in 0..<Self.producers {
        group.addTask {
          try? await daemon.withClient { client in
            for number in 0... {
              let payload = "round \(round) producer \(producer) event \(number)"
              let result = try await client.append([Data(payload.utf8)], to: Self.topic)
              let count = acknowledged.record(Acknowledged(id: result.firstID, payload: payload))
              if count == target { daemon.signal(SIGKILL) }
            }
          }
        }
      }
    }
    let exit = try await daemon.child.waitForExit()
    #expect(exit.signalled && exit.status == SIGKILL, "\(exit)")
    return acknowledged.all
  }

  /// Every acknowledged event is stored exactly once, with strictly increasing ids and gapless sequences.
  private func expectAllPresent(_ acknowledged: [Acknowledged], in daemon: Daemon, after moment: String) async throws {
    let events = acknowledged.isEmpty ? [] : try await daemon.withClient { try await $0.everything(in: Self.topic) }
    let context = "after \(moment), seed \(Self.seed)"
    #expect(zip(events, events.dropFirst()).allSatisfy { $0.id < $1.id }, "ids are not strictly increasing \(context)")
    #expect(events.map(\.sequence) == (0..<events.count).map { UInt64($0 + 1) }, "sequence gaps \(context)")

    let stored = Dictionary(
      events.map { ($0.id, String(decoding: $0.payload, as: UTF8.self)) }, uniquingKeysWith: { first, _ in first })
    let missing = acknowledged.filter { stored[$0.id] != $0.payload }
    #expect(
      missing.isEmpty,
      "\(missing.count) of \(acknowledged.count) acknowledged events missing, e.g. \(missing.prefix(3)) \(context)")

    var copies: [String: Int] = [:]
    for event in events { copies[String(decoding: event.payload, as: UTF8.self), default: 0] += 1 }
    let duplicated = copies.filter { $0.value > 1 }
    #expect(duplicated.isEmpty, "stored more than once: \(duplicated.prefix(3)) \(context)")
  }
}
