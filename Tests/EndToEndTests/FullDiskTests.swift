import Foundation
import GoetheKit
import Synchronization
import TestSupport
import Testing

/// A full disk, for real: the daemon's data directory is on a small tmpfs that a file fills most
/// of. Appends fail with "disk full at DIR" (RESOURCE_EXHAUSTED) and reads go on; once the file is
/// removed, appends work again without a restart, and neither then nor after a restart is an
/// acknowledged event missing or a part of a refused batch visible. Mounting needs root (as in CI);
/// elsewhere the test is skipped.
@Suite(.timeLimit(.minutes(3)))
struct FullDiskTests {
  static let producers = 8
  static let batch = 8
  static let topic = "full"

  /// Acknowledged batches by their first payload, and refusals, from all producers.
  final class Outcomes: Sendable {
    private let state = Mutex<(acknowledged: Set<String>, refusals: [GoetheError])>(([], []))

    func acknowledged(_ batch: [String]) { state.withLock { _ = $0.acknowledged.insert(batch[0]) } }
    func refused(_ error: GoetheError) { state.withLock { $0.refusals.append(error) } }
    var acknowledged: Set<String> { state.withLock { $0.acknowledged } }
    var refusals: [GoetheError] { state.withLock { $0.refusals } }
  }

  @Test func appendsFailOnAFullDiskAndResumeOnceThereIsSpace() async throws {
    try await withScratchDirectory { scratch in
      let mount = scratch.appendingPathComponent("disk")
      try FileManager.default.createDirectory(at: mount, withIntermediateDirectories: true)
      guard Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=128m", "tmpfs", mount.path]) else {
        print("skipped: cannot mount a tmpfs here (needs root)")
        return
      }
      defer { _ = Self.run("/bin/umount", ["-l", mount.path]) }
      let filler = mount.appendingPathComponent("filler")
      try Data(count: 100 << 20).write(to: filler)
      let data = mount.appendingPathComponent("data")

      let daemon = try await Daemon.start(dataDirectory: data, ["--sync", "always"])
      defer { daemon.killIfRunning() }
      let outcomes = Outcomes()
      try await Self.appendUntilRefused(daemon, outcomes)
      #expect(outcomes.acknowledged.count > 100, "appends succeeded before the disk was full")
      #expect(outcomes.refusals.allSatisfy { $0.code == .diskFull }, "\(outcomes.refusals)")
      #expect(Set(outcomes.refusals.map(\.message)) == ["disk full at \(data.path)"])

      let served = try await daemon.withClient { try await $0.everything(in: Self.topic) }
      try Self.expectWhole(served, acknowledged: outcomes.acknowledged)
      let later = await daemon.refusal { try await $0.append([Data("later".utf8)], to: Self.topic) }
      #expect(later == "disk full at \(data.path)")

      try FileManager.default.removeItem(at: filler)
      let resumed = try await Self.appendOnceThereIsSpace(daemon)
      let afterResume = try await daemon.withClient { try await $0.everything(in: Self.topic) }
      #expect(resumed.firstSequence == UInt64(afterResume.count - Self.batch + 1))
      try Self.expectWhole(afterResume, acknowledged: outcomes.acknowledged)

      let exit = try await daemon.stop()
      #expect(exit.status == 0, "\(exit)")
      #expect(exit.stderr.filter { $0.contains("disk full at \(data.path)") }.count == 1, "\(exit.stderr)")
      #expect(exit.stderr.contains { $0.contains("writes resume") }, "\(exit.stderr)")

      let restarted = try await Daemon.start(dataDirectory: data, ["--sync", "always"])
      defer { restarted.killIfRunning() }
      let stored = try await restarted.withClient { try await $0.everything(in: Self.topic) }
      #expect(stored.map(\.id) == afterResume.map(\.id), "the restart finds what was served")
      #expect(try await restarted.stop().status == 0)
    }
  }

  /// Every acknowledged batch is there whole, no other batch is there in part, sequences have no
  /// gaps and ids are in order.
  static func expectWhole(_ events: some Collection<StoredEvent>, acknowledged: Set<String>) throws {
    let batches = Dictionary(grouping: events.map(\.payloadText)) { $0.prefix { $0 != "#" } }
    #expect(batches.values.allSatisfy { $0.count == batch }, "a refused batch is visible in part")
    let firsts = Set(batches.values.compactMap(\.first))
    #expect(acknowledged.subtracting(firsts).isEmpty, "\(acknowledged.subtracting(firsts).count) acknowledged lost")
    #expect(events.map(\.sequence) == (1...UInt64(events.count)).map { $0 }, "sequences have no gaps")
    #expect(events.map(\.id) == events.map(\.id).sorted())
  }

  /// `producers` clients append batches of `batch` 4 KiB events until each is refused once.
  static func appendUntilRefused(_ daemon: Daemon, _ outcomes: Outcomes) async throws {
    try await withThrowingTaskGroup(of: Void.self) { group in
      for producer in 0..<producers {
        group.addTask {
          try await daemon.withClient { client in
            for number in 0... {
              let payloads = (0..<batch).map { index in
                "p\(producer)b\(number)#\(index) ".padding(toLength: 4_096, withPad: "x", startingAt: 0)
              }
              do {
                _ = try await client.append(payloads.map { Data($0.utf8) }, to: topic)
                outcomes.acknowledged(payloads)
              } catch let error as GoetheError {
                outcomes.refused(error)
                return
              }
            }
          }
        }
      }
      try await group.waitForAll()
    }
  }

  /// Appends one batch, trying again while the disk is full: the daemon looks for space every second.
  static func appendOnceThereIsSpace(_ daemon: Daemon) async throws -> AppendResult {
    let deadline = ContinuousClock.now + .seconds(60)
    while true {
      do {
        let payloads = (0..<batch).map { Data("resumed#\($0)".utf8) }
        return try await daemon.withClient { try await $0.append(payloads, to: topic) }
      } catch let error as GoetheError where error.code == .diskFull && ContinuousClock.now < deadline {
        try await Task.sleep(for: .milliseconds(100))
      }
    }
  }

  static func run(_ tool: String, _ arguments: [String]) -> Bool {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: tool)
    process.arguments = arguments
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return false }
    process.waitUntilExit()
    return process.terminationStatus == 0
  }
}
