import Foundation
import GoetheKit
import Testing

/// Damaged data directories: the daemon either refuses one with a line naming `goethe repair`,
/// leaving it as it was, or serves it; after `goethe repair` every count matches what a replay
/// returns and appends go on.
@Suite(.damagedStoreDataSet, .timeLimit(.minutes(2)))
struct DamagedStoreTests {
  /// What the daemon does with the damaged directory before it is repaired.
  enum Before {
    /// It refuses to start and leaves every file as it was.
    case refused
    /// It refuses to start and leaves every table as it was; LevelDB's open has already rewritten
    /// its manifest and moved the log into a table when the first read finds the damage.
    case refusedAfterOpening
    /// It starts, and serves every event that is left (a log cut off at its end is what a crash leaves).
    case serves
    /// It starts, and reading the damaged part fails with an error naming `goethe repair`.
    case servesUntilTheDamage
  }

  enum Damage: String, CaseIterable, CustomTestStringConvertible {
    case currentMissing, currentGarbage, manifestMissing
    case logTruncated, logScribbled
    case tableTruncated, tableScribbled, tableDeleted

    var testDescription: String { rawValue }

    var before: Before {
      switch self {
      case .currentMissing, .currentGarbage, .manifestMissing, .logScribbled, .tableDeleted: .refused
      case .tableTruncated: .refusedAfterOpening
      case .logTruncated: .serves
      case .tableScribbled: .servesUntilTheDamage
      }
    }

    func apply(to data: URL) throws {
      let current = data.appendingPathComponent("CURRENT")
      switch self {
      case .currentMissing:
        try FileManager.default.removeItem(at: current)
      case .currentGarbage:
        try Data("garbage\n".utf8).write(to: current)
      case .manifestMissing:
        let manifest = try String(contentsOf: current, encoding: .utf8).trimmingCharacters(in: .newlines)
        try FileManager.default.removeItem(at: data.appendingPathComponent(manifest))
      case .logTruncated:
        try cut(DirectoryContents.log(in: data), keeping: 0.5)
      case .logScribbled:
        try scribble(DirectoryContents.log(in: data), at: 0.5)
      case .tableTruncated:
        try cut(DirectoryContents.tables(in: data)[1], keeping: 0.5)
      case .tableScribbled:
        try scribble(DirectoryContents.tables(in: data)[1], at: 0.5)
      case .tableDeleted:
        try FileManager.default.removeItem(at: DirectoryContents.tables(in: data)[0])
      }
    }

    private func cut(_ file: URL, keeping fraction: Double) throws {
      let handle = try FileHandle(forWritingTo: file)
      defer { try? handle.close() }
      try handle.truncate(atOffset: UInt64(Double(try handle.seekToEnd()) * fraction))
    }

    /// Overwrites 64 bytes at `fraction` of the file with `X`.
    private func scribble(_ file: URL, at fraction: Double) throws {
      let handle = try FileHandle(forWritingTo: file)
      defer { try? handle.close() }
      try handle.seek(toOffset: UInt64(Double(try handle.seekToEnd()) * fraction))
      try handle.write(contentsOf: Data(repeating: UInt8(ascii: "X"), count: 64))
    }
  }

  @Test(arguments: Damage.allCases)
  func damagedStoreIsRefusedOrServedThenRepaired(damage: Damage) async throws {
    try await withScratchDirectory { scratch in
      let data = scratch.appendingPathComponent("data")
      try DamagedStoreDataSet.copy(to: data)
      try damage.apply(to: data)
      try await expectBehaviour(damage.before, on: data)

      let repair = try await GoetheProcess.run(["repair", "--data-dir", data.path])
      #expect(repair.status == 0 && repair.stderr.isEmpty, "\(repair)")
      let summary = try #require(
        repair.stdout.first { $0.hasPrefix("repaired \(data.path): it opens with ") }, "\(repair)")
      let losses = repair.stdout.filter { $0.hasPrefix("lost: ") }
      try expectLosses(losses, after: damage, repair: repair)

      let daemon = try await Daemon.start(dataDirectory: data)
      defer { daemon.killIfRunning() }
      try await daemon.withClient { client in
        let topics = try await client.topics()
        var total = 0
        for topic in topics {
          let events = try await expectConsistent(client, topic.name)
          total += events.count
          let numbers = events.compactMap { event in
            String(decoding: event.payload, as: UTF8.self).wholeMatch(of: /(?:orders (\d+) ·{40})|(?:audit (\d+))/)
              .flatMap { Int($0.1 ?? $0.2 ?? "") }
          }
          #expect(numbers.count == events.count, "every event of \(topic.name) is as it was written")
          #expect(zip(numbers, numbers.dropFirst()).allSatisfy { $0 < $1 }, "\(topic.name) is in the order written")
          let appended = try await client.append([Data("after the repair".utf8)], to: topic.name)
          #expect(appended.firstSequence == UInt64(events.count) + 1)
          #expect(appended.firstID > events.last?.id ?? 0)
          let after = try await expectConsistent(client, topic.name)
          #expect(after.dropLast() == events[...], "appending changed nothing that was there")
        }
        #expect(summary.contains(" \(topics.count) topics and \(total) events"), "\(summary)")
      }
      #expect(try await daemon.stop().status == 0)
    }
  }

  /// Starts the daemon on the damaged directory and checks that it does what `before` says.
  private func expectBehaviour(_ before: Before, on data: URL) async throws {
    let untouched = try DirectoryContents(data)
    switch before {
    case .refused, .refusedAfterOpening:
      let exit = try await GoetheProcess.run(["--listen", "127.0.0.1:0", "--data-dir", data.path])
      #expect(exit.status != 0 && !exit.signalled, "\(exit)")
      #expect(exit.failureReports.count == 1, "\(exit)")
      let report = exit.failureReports.first ?? ""
      #expect(report.contains("\(data.path) is damaged"), "\(report)")
      #expect(report.hasSuffix("run: goethe repair --data-dir \(data.path)"), "\(report)")
      let after = try DirectoryContents(data)
      if before == .refused {
        #expect(after == untouched, "the refused directory is left as it was")
      } else {
        #expect(after.tables.filter { untouched.tables[$0.key] != nil } == untouched.tables, "no table changed")
      }
    case .serves, .servesUntilTheDamage:
      let daemon = try await Daemon.start(dataDirectory: data)
      defer { daemon.killIfRunning() }
      try await daemon.withClient { client in
        if before == .serves {
          try await expectConsistent(client, "orders")
        } else {
          do {
            _ = try await client.everything(in: "orders")
            Issue.record("reading across the damaged table succeeded")
          } catch let error as GoetheError {
            #expect(error.message.contains("run: goethe repair --data-dir \(data.path)"), "\(error.message)")
          }
        }
      }
      #expect(try await daemon.stop().status == 0)
    }
  }

  /// Checks the `lost: …` lines of the repair against what the damage destroyed.
  private func expectLosses(_ losses: [String], after damage: Damage, repair: GoetheProcess.Exit) throws {
    switch damage {
    case .currentMissing, .currentGarbage, .manifestMissing, .logTruncated:
      // A log cut off at its end leaves no record of what it held, like a crash.
      #expect(losses.isEmpty, "\(repair)")
    case .logScribbled, .tableScribbled:
      #expect(losses.count == 1, "\(repair)")
      let match = try #require(
        losses.first?.firstMatch(of: /^lost: (\d+) of 32001 events of topic orders; the (\d+) readable/), "\(repair)")
      let (lost, readable) = (Int(match.1) ?? 0, Int(match.2) ?? 0)
      #expect(lost > 0 && lost + readable == DamagedStoreDataSet.orders, "\(repair)")
    case .tableTruncated:
      // The table held `audit` whole, catalog entry and events: nothing is left to tell of it.
      #expect(
        losses == ["lost: 10000 of 32001 events of topic orders; the 22001 readable ones are numbered 1...22001 now"],
        "\(repair)")
    case .tableDeleted:
      #expect(losses.count == 4, "\(repair)")
      #expect(losses.first == "lost: the storage format version; written again", "\(repair)")
      #expect(losses.dropFirst().first?.hasPrefix("lost: the node identity; the new one is ") == true, "\(repair)")
      #expect(
        Array(losses.dropFirst(2)) == [
          "lost: the name of topic number 1; its 22001 readable events are topic recovered-1 now",
          "lost: 10000 of 32001 events of topic recovered-1; the 22001 readable ones are numbered 1...22001 now",
        ], "\(repair)")
    }
  }

  /// Checks that what the daemon says about `topic` matches a replay: the event count and head
  /// sequence are the number of events, numbered 1, 2, 3, … in id order, the head is the last one,
  /// the time index counts each once, and each cursor's lag is the events after it. Returns them.
  @discardableResult
  private func expectConsistent(
    _ client: GoetheClient, _ topic: String, sourceLocation: SourceLocation = #_sourceLocation
  ) async throws -> [StoredEvent] {
    let events = try await client.everything(in: topic)
    let info = try await client.describeTopic(topic)
    #expect(info.eventCount == UInt64(events.count), "\(topic)", sourceLocation: sourceLocation)
    #expect(info.headSequence == events.last?.sequence ?? 0, "\(topic)", sourceLocation: sourceLocation)
    #expect(info.lastEventID == events.last?.id, "\(topic)", sourceLocation: sourceLocation)
    #expect(
      events.map(\.sequence) == (0..<UInt64(events.count)).map { $0 + 1 }, "\(topic)", sourceLocation: sourceLocation)
    #expect(zip(events, events.dropFirst()).allSatisfy { $0.id < $1.id }, "\(topic)", sourceLocation: sourceLocation)
    let (_, buckets) = try await client.stats(topic)
    #expect(buckets.reduce(0) { $0 + $1.count } == UInt64(events.count), "\(topic)", sourceLocation: sourceLocation)
    #expect(buckets.last?.lastEventID == events.last?.id, "\(topic)", sourceLocation: sourceLocation)
    for cursor in try await client.cursors(topic: topic) {
      let after = events.filter { $0.id > cursor.eventID }.count
      #expect(cursor.lag == UInt64(after), "\(topic) \(cursor.consumer)", sourceLocation: sourceLocation)
    }
    return events
  }
}
