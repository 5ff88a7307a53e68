import Foundation
import GoetheKit
import TestSupport
import Testing

/// A data directory written by the real daemon, built once for the suite that carries the trait;
/// its tests damage copies of it.
///
/// The daemon is restarted between rounds of appends, and each start moves the log of the round
/// before into a table of its own, so the directory holds:
///
/// - table 1: the format version, the node id, topic `orders` (number 1) and its events 1...10,000;
/// - table 2: `orders`' events 10,001...20,000 and topic `audit` (number 2) with 100 events;
/// - table 3: `orders`' events 20,001...30,001 and consumer `billing`'s cursor on `orders`' event 5,000;
/// - the log: `orders`' events 30,002...32,001.
struct DamagedStoreDataSet: SuiteTrait, TestScoping {
  static let orders = 32_001
  static let audit = 100

  @TaskLocal static var template: URL?

  func provideScope(
    for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
  ) async throws {
    try await withScratchDirectory { scratch in
      let data = scratch.appendingPathComponent("template")
      try await Self.write(data)
      try await Self.$template.withValue(data, operation: function)
    }
  }

  /// A copy of the data set at `directory`.
  static func copy(to directory: URL) throws {
    guard let template else { throw E2EFailure("the suite lacks the .damagedStoreDataSet trait") }
    try FileManager.default.copyItem(at: template, to: directory)
  }

  private static func write(_ data: URL) async throws {
    var appended = 0
    /// Appends `orders`' events up to number `last`, in batches of 500, then runs `more`.
    func round(through last: Int, _ more: @Sendable (GoetheClient) async throws -> Void = { _ in }) async throws {
      let daemon = try await Daemon.start(dataDirectory: data)
      defer { daemon.killIfRunning() }
      let first = appended
      try await daemon.withClient { client in
        for start in stride(from: first, to: last, by: 500) {
          let batch = (start..<min(last, start + 500)).map { number in
            Data("orders \(number + 1) \(String(repeating: "·", count: 40))".utf8)
          }
          _ = try await client.append(batch, to: "orders")
        }
        try await more(client)
      }
      appended = last
      let exit = try await daemon.stop()
      guard exit.status == 0 else { throw E2EFailure("the daemon writing the data set failed: \(exit)") }
    }
    try await round(through: 10_000)
    try await round(through: 20_000) { client in
      _ = try await client.append((1...audit).map { Data("audit \($0)".utf8) }, to: "audit")
    }
    try await round(through: 30_001) { client in
      let early = try await client.subscribe("orders", from: .position(.beginning), limit: 5_000) { subscription in
        var events: [StoredEvent] = []
        for try await batch in subscription { events += batch }
        return events
      }
      guard let fifthThousand = early.last else { throw E2EFailure("orders has no events") }
      _ = try await client.setCursor(topic: "orders", consumer: "billing", to: .event(fifthThousand.id))
    }
    try await round(through: orders)
    let names = try FileManager.default.contentsOfDirectory(atPath: data.path)
    guard names.filter({ $0.hasSuffix(".ldb") }).count == 3, names.contains(where: { $0.hasSuffix(".log") }) else {
      throw E2EFailure("the data set is not laid out as expected: \(names.sorted())")
    }
  }
}

extension Trait where Self == DamagedStoreDataSet {
  /// Builds the data set of ``DamagedStoreDataSet`` for the suite.
  static var damagedStoreDataSet: Self { Self() }
}

/// The files of a data directory and their bytes, but for LevelDB's diagnostic log, which every
/// attempt to open the store rotates.
struct DirectoryContents: Equatable {
  var files: [String: Data]

  init(_ directory: URL) throws {
    files = [:]
    let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
    for name in names where name != "LOG" && name != "LOG.old" {
      let url = directory.appendingPathComponent(name)
      var isDirectory: ObjCBool = false
      if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
        files[name] = try Data(contentsOf: url)
      }
    }
  }

  /// Only the tables.
  var tables: [String: Data] { files.filter { $0.key.hasSuffix(".ldb") } }

  /// The paths of the tables, oldest first.
  static func tables(in directory: URL) throws -> [URL] {
    try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".ldb") }.sorted()
      .map { directory.appendingPathComponent($0) }
  }

  /// The path of the log.
  static func log(in directory: URL) throws -> URL {
    let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
    guard let name = names.first(where: { $0.hasSuffix(".log") }) else {
      throw E2EFailure("no log in \(directory.path)")
    }
    return directory.appendingPathComponent(name)
  }
}
