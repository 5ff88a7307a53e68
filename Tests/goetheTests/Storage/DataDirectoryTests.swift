import Foundation
import GoetheKit
import Testing

@testable import goethe

/// What the store checks in its directory before LevelDB opens it: a store is never created over
/// the files of one that LevelDB cannot find, and a directory that cannot be made says why.
@Suite struct DataDirectoryTests {
  enum LostCurrent: String, CaseIterable {
    case currentMissing, currentGarbage, manifestMissing

    func apply(to path: String) throws {
      let current = path + "/CURRENT"
      switch self {
      case .currentMissing:
        try FileManager.default.removeItem(atPath: current)
      case .currentGarbage:
        try Data("garbage\n".utf8).write(to: URL(fileURLWithPath: current))
      case .manifestMissing:
        let manifest = try String(contentsOfFile: current, encoding: .utf8).trimmingCharacters(in: .newlines)
        try FileManager.default.removeItem(atPath: path + "/" + manifest)
      }
    }
  }

  @Test(arguments: LostCurrent.allCases)
  func storeThatLevelDBCannotFindIsRefusedUntouchedAndRepairable(damage: LostCurrent) async throws {
    try await withTemporaryDirectory { _, path in
      try await LayeredStore.fill(path)
      let before = try await withStore(at: path) { store in
        (store.nodeID, try store.allEvents(in: "early"), try store.allEvents(in: "orders"))
      }
      try damage.apply(to: path)
      let files = try storeFiles(in: path)

      for _ in 0..<2 {
        await expectError(
          .corrupted, mentioning: [path, "damaged", "CURRENT", "run: goethe repair --data-dir \(path)"]
        ) {
          _ = try EventStore(path: path)
        }
      }
      #expect(try storeFiles(in: path) == files, "the refused store is left as it was")

      let report = try EventStore.repair(path: path)
      #expect(report.topics.map(\.lost) == [0, 0])
      try await withStore(at: path) { store in
        let early = try await expectConsistent(store, "early")
        let orders = try await expectConsistent(store, "orders")
        #expect(store.nodeID == before.0)
        #expect(early == before.1)
        #expect(orders == before.2)
      }
    }
  }

  @Test func directoryWithOnlyLevelDBsDiagnosticLogGetsAStore() async throws {
    try await withTemporaryDirectory { _, path in
      try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
      try Data("an earlier attempt".utf8).write(to: URL(fileURLWithPath: path + "/LOG"))
      try await withStore(at: path) { store in
        _ = try await store.append(payloads("x"), to: "t", createTopic: true)
      }
    }
  }

  @Test func directoryUnderARegularFileIsNamed() async throws {
    try await withTemporaryDirectory { directory, _ in
      let file = directory.appendingPathComponent("somefile").path
      #expect(FileManager.default.createFile(atPath: file, contents: Data("x".utf8)))
      let data = file + "/data"
      let error = await expectError(.storageUnusable) { _ = try EventStore(path: data) }
      #expect(
        error?.message == "cannot create data directory \(data): \(file) is not a directory; choose another --data-dir")
      let itself = await expectError(.storageUnusable) { _ = try EventStore(path: file) }
      #expect(itself?.message == "data directory \(file) is not a directory; choose another --data-dir")
    }
  }

  @Test func repairOfADirectoryWithoutAStoreIsRefused() async throws {
    try await withTemporaryDirectory { directory, path in
      await expectError(.notFound, mentioning: [path, "no goethe store"]) { try EventStore.repair(path: path) }
      #expect(!FileManager.default.fileExists(atPath: path), "repair creates nothing")
      await expectError(.notFound, mentioning: [directory.path, "no goethe store"]) {
        try EventStore.repair(path: directory.path)
      }
    }
  }
}
