import Foundation
import GoetheKit
import Testing

/// `goethe repair --data-dir DIR`.
@Suite(.timeLimit(.minutes(1)))
struct RepairCommandTests {
  @Test func repairsAStoppedStoreAndKeepsItsEvents() async throws {
    try await withScratchDirectory { scratch in
      let data = scratch.appendingPathComponent("data")
      let daemon = try await Daemon.start(dataDirectory: data)
      defer { daemon.killIfRunning() }
      let stored = try await daemon.withClient { client in
        _ = try await client.append([Data("a".utf8), Data("b".utf8)], to: "orders")
        _ = try await client.append([Data("c".utf8)], to: "audit")
        return try await client.everything(in: "orders")
      }
      #expect(try await daemon.stop().status == 0)

      let repair = try await GoetheProcess.run(["repair", "--data-dir", data.path])
      #expect(repair.status == 0, "\(repair)")
      let report = repair.stdout.first { $0.hasPrefix("repaired") }
      #expect(report != nil, "\(repair)")
      #expect(report?.contains("2 topics and 3 events") == true, "\(repair)")

      let restarted = try await Daemon.start(dataDirectory: data)
      defer { restarted.killIfRunning() }
      let events = try await restarted.withClient { client in try await client.everything(in: "orders") }
      #expect(events == stored)
      #expect(try await restarted.stop().status == 0)
    }
  }

  @Test func refusesTheStoreOfARunningDaemon() async throws {
    try await withScratchDirectory { scratch in
      let data = scratch.appendingPathComponent("data")
      let daemon = try await Daemon.start(dataDirectory: data)
      defer { daemon.killIfRunning() }
      let stored = try await daemon.withClient { client in
        _ = try await client.append([Data("a".utf8)], to: "orders")
        return try await client.everything(in: "orders")
      }

      let before = try DirectoryContents(data)
      let repair = try await GoetheProcess.run(["repair", "--data-dir", data.path])
      #expect(repair.status != 0, "\(repair)")
      #expect(repair.failureReports.count == 1, "\(repair)")
      #expect(repair.failureReports.first?.contains("in use") == true, "\(repair)")
      #expect(try DirectoryContents(data) == before, "the refused repair changed nothing under the daemon")

      let events = try await daemon.withClient { client in
        _ = try await client.append([Data("b".utf8)], to: "orders")
        return try await client.everything(in: "orders")
      }
      #expect(events.first == stored.first)
      #expect(events.count == 2)

      // Both events are only in the daemon's log, which a restart finds.
      #expect(try await daemon.stop().status == 0)
      let restarted = try await Daemon.start(dataDirectory: data)
      defer { restarted.killIfRunning() }
      #expect(try await restarted.withClient { client in try await client.everything(in: "orders") } == events)
      #expect(try await restarted.stop().status == 0)
    }
  }

  @Test func directoryWithoutAStoreIsRefusedAndNotCreated() async throws {
    try await withScratchDirectory { scratch in
      let data = scratch.appendingPathComponent("typo")
      let repair = try await GoetheProcess.run(["repair", "--data-dir", data.path])
      #expect(repair.status != 0, "\(repair)")
      #expect(repair.failureReports == ["goethe: \(data.path) holds no goethe store; nothing to repair"], "\(repair)")
      #expect(!FileManager.default.fileExists(atPath: data.path))
    }
  }

  @Test func missingDataDirectoryFlagIsRefused() async throws {
    let exit = try await GoetheProcess.run(["repair"])
    #expect(exit.status != 0, "\(exit)")
    #expect(exit.stderr.joined(separator: "\n").contains("--data-dir"), "\(exit)")
  }
}
