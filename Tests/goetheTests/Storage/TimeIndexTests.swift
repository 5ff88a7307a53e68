import Foundation
import GoetheKit
import TestSupport
import Testing

@testable import goethe

/// The time index: seeking by time and per-bucket counts must agree with a brute-force look at
/// every stored event, whatever the clock did.
@Suite struct TimeIndexTests {
  /// Appends `count` batches to topic `t` while moving the clock in tiny steps, within a bucket,
  /// across many buckets, to just before a bucket boundary and backwards; now and then appends to
  /// the neighbour topics too. Returns the ids appended to `t`.
  static func appendRandomly(
    _ store: any GoetheStore, count: Int, clock: FakeClock, granularity: Granularity, random: inout SplitMix64
  ) async throws -> [UInt64] {
    let width = Int64(granularity.nanoseconds)
    var ids: [UInt64] = []
    for index in 0..<count {
      switch random.next() % 10 {
      case 0: clock.advance(by: -Int64.random(in: 0...(2 * width), using: &random))
      case 1: break  // the same reading again
      case 2, 3: clock.advance(by: .random(in: 1...1_000, using: &random))
      case 4, 5, 6: clock.advance(by: .random(in: 1...(width / 2), using: &random))
      case 7, 8: clock.advance(by: width * .random(in: 1...40, using: &random) + .random(in: 0..<width, using: &random))
      default: clock.set(granularity.bucketStart(of: clock.now) + UInt64(width) - .random(in: 1...3, using: &random))
      }
      let size = Int.random(in: 1...3, using: &random)
      let result = try await store.append((0..<size).map { Data("\(index).\($0)".utf8) }, to: "t")
      ids += result.events.map(\.id)
      if random.next() % 5 == 0 {
        _ = try await store.appendText("noise", to: random.next() % 2 == 0 ? "before" : "after")
      }
    }
    return ids
  }

  @Test(arguments: zip(["1m", "15m", "1h", "1d"], [UInt64(101), 102, 103, 104]))
  func timeSeekAndBucketCountsMatchBruteForce(granularityText: String, seed: UInt64) async throws {
    let granularity = try Granularity(parsing: granularityText)
    let width = granularity.nanoseconds
    var random = SplitMix64(seed: seed)
    let clock = FakeClock(FakeClock.epoch + .random(in: 0..<width, using: &random))
    try await withTemporaryDirectory { _, path in
      var appended: [UInt64] = []
      try await withStore(at: path, .testing(clock: clock)) { store in
        // Neighbours on both sides of the topic's number, so seeks run into other topics' keys.
        _ = try await store.createTopic("before", granularity: .minimum)
        _ = try await store.createTopic("t", granularity: granularity)
        _ = try await store.createTopic("after", granularity: .maximum)
        appended += try await Self.appendRandomly(
          store, count: 120, clock: clock, granularity: granularity, random: &random)
      }
      // Reopen halfway: the newest bucket must carry on from what is stored. The implementation's
      // time-index lookup is checked beside the resolved start.
      try await withEventStore(at: path, .testing(clock: clock)) { store in
        appended += try await Self.appendRandomly(
          store, count: 120, clock: clock, granularity: granularity, random: &random)

        let ids = try store.allEvents(in: "t").map(\.id)
        try #require(ids == appended)
        try #require(zip(ids, ids.dropFirst()).allSatisfy { $0 < $1 })
        let first = try #require(ids.first)
        let last = try #require(ids.last)
        let number = try store.waitable("t").number

        // Query times: the edges, every event and its neighbours, bucket boundaries, random times.
        var times: [UInt64] = [0, 1, first - 1, first, last, last + 1, last + width, .max - 1, .max]
        for (a, b) in zip(ids, ids.dropFirst()) { times += [a + 1, b - 1, a + (b - a) / 2] }
        for id in ids {
          let start = granularity.bucketStart(of: id)
          times += [id, start, start - 1, start + width, start + width - 1]
        }
        for _ in 0..<500 { times.append(.random(in: (first - 3 * width)...(last + 3 * width), using: &random)) }

        var mismatches: [String] = []
        for time in times {
          let index = ids.firstIndex { $0 >= time }  // brute force
          let start = try store.resolveStart(.time(time), in: "t")
          let direct = try store.firstEvent(store.readable("t"), atOrAfterTime: time)
          let expected: ReadStart
          if let index {
            expected = ReadStart(
              topic: "t", number: number, fromID: ids[index],
              info: StartInfo(
                resolution: ids[index] == time ? .exact : .nearest, eventID: ids[index], sequence: UInt64(index + 1)))
          } else {
            expected = ReadStart(topic: "t", number: number, fromID: last + 1, info: StartInfo(resolution: .waiting))
          }
          if start != expected || direct?.id != expected.info.eventID || direct?.sequence != expected.info.sequence {
            mismatches.append("T=\(time): got \(start) / \(String(describing: direct)), expected \(expected)")
          }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) of \(times.count) seeks wrong, e.g. \(mismatches.prefix(3))")

        // Bucket counts: bucket start = id - id % width.
        var brute: [UInt64: BucketCount] = [:]
        for id in ids {
          let start = id - id % width
          var bucket = brute[start] ?? BucketCount(start: start, count: 0, lastEventID: 0)
          bucket.count += 1
          bucket.lastEventID = max(bucket.lastEventID, id)
          brute[start] = bucket
        }
        let expectedBuckets = brute.values.sorted { $0.start < $1.start }
        let allBuckets = try await store.bucketCounts("t", from: 0, to: .max)
        #expect(allBuckets == expectedBuckets)
        #expect(allBuckets.reduce(0) { $0 + $1.count } == UInt64(ids.count))
        for _ in 0..<200 {
          let from = UInt64.random(in: (first - 2 * width)...(last + width), using: &random)
          let to = from + .random(in: 1...(width * 20), using: &random)
          let expectedWindow = expectedBuckets.filter { $0.start < to && $0.start + width > from }
          let window = try await store.bucketCounts("t", from: from, to: to)
          #expect(window == expectedWindow, "bucketCounts(from: \(from), to: \(to))")
          if window != expectedWindow { break }
        }
      }
    }
  }

  /// What goes wrong when seeking and counting while appends are committed.
  struct RaceFindings {
    var checks = 0
    /// Seeks to the newest committed event that did not find it.
    var missedSeeks: [String] = []
    /// Bucket counts that left out committed events.
    var missingCounts: [String] = []
    /// Bucket counts that listed a bucket twice or counted more events than were committed.
    var doubleCounts: [String] = []
  }

  /// Seeks and counts while appends are being committed. Each append closes the previous bucket
  /// (the clock moves a minute per reading, the granularity is 1m).
  static func seekAndCountDuringAppends(durability: Durability) async throws -> RaceFindings {
    let minute: Int64 = 60_000_000_000
    let clock = FakeClock(seed: 9, jitter: minute...minute)
    return try await withStore(.testing(durability, clock: clock)) { store in
      _ = try await store.createTopic("t", granularity: .minimum)
      _ = try await store.appendText("0", to: "t")
      let done = ResumeFlag()
      let writer = Task {
        defer { done.set() }
        for index in 1...300 { _ = try await store.appendText("\(index)", to: "t") }
      }
      defer { writer.cancel() }
      var findings = RaceFindings()
      while !done.isSet {
        try Task.checkCancellation()
        let before = try await store.describeTopic("t")
        let head = try #require(before.lastEventID)
        let start = try store.resolveStart(.time(head), in: "t")
        if start.info.eventID != head {
          findings.missedSeeks.append(
            "seek to the committed head \(head) (sequence \(before.headSequence)) gave \(start.info)")
        }
        let buckets = try await store.bucketCounts("t", from: 0, to: .max)
        let after = try await store.describeTopic("t")
        let counted = buckets.reduce(0) { $0 + $1.count }
        if counted < before.headSequence {
          findings.missingCounts.append("the buckets count \(counted) of \(before.headSequence) committed events")
        }
        if counted > after.headSequence || !zip(buckets, buckets.dropFirst()).allSatisfy({ $0.start < $1.start }) {
          findings.doubleCounts.append("\(counted) events counted of \(after.headSequence) in \(buckets.suffix(3))")
        }
        findings.checks += 1
        await Task.yield()
      }
      try await outcome(of: writer).get()
      return findings
    }
  }

  /// Regression test: a bucket is closed in memory when an append is planned but reaches the index
  /// only when that append is committed (after an fsync in `always` mode). Seeks in between must
  /// still find the committed events of that bucket, and bucketCounts must neither leave it out
  /// nor, when the commit lands between its two reads, list it twice.
  @Test(.timeLimit(.minutes(1)), arguments: Durability.allCases)
  func timeIndexSeesCommittedEventsWhileAppendsAreInFlight(durability: Durability) async throws {
    let findings = try await Self.seekAndCountDuringAppends(durability: durability)
    #expect(findings.checks > 0)
    #expect(
      findings.missedSeeks.isEmpty,
      "\(findings.missedSeeks.count) of \(findings.checks) seeks wrong, e.g. \(findings.missedSeeks.prefix(3))")
    #expect(
      findings.missingCounts.isEmpty,
      "\(findings.missingCounts.count) of \(findings.checks) counts short, e.g. \(findings.missingCounts.prefix(3))")
    #expect(
      findings.doubleCounts.isEmpty,
      "\(findings.doubleCounts.count) of \(findings.checks) counts doubled, e.g. \(findings.doubleCounts.prefix(3))")
  }

  @Test func bucketCountCarriesOnAcrossReopen() async throws {
    let hourStart = Granularity.hour.bucketStart(of: FakeClock.epoch)
    let clock = FakeClock(hourStart + 1)
    try await withTemporaryDirectory { _, path in
      try await withStore(at: path, .testing(clock: clock)) { store in
        _ = try await store.append(payloads("1", "2", "3"), to: "t", createTopic: true)
      }
      clock.advance(by: 60_000_000_000)
      try await withStore(at: path, .testing(clock: clock)) { store in
        let result = try await store.append(payloads("4", "5"), to: "t")
        #expect(
          try await store.bucketCounts("t", from: 0, to: .max)
            == [BucketCount(start: hourStart, count: 5, lastEventID: result.firstID + 1)])
      }
    }
  }

  @Test func timeSeekOnAnEmptyTopicWaits() async throws {
    try await withStore { store in
      _ = try await store.createTopic("t")
      let start = try store.resolveStart(.time(FakeClock.epoch), in: "t")
      #expect(start.info == StartInfo(resolution: .waiting))
      #expect(start.fromID == 1)
      #expect(try await store.bucketCounts("t", from: 0, to: .max).isEmpty)
      await expectError(.notFound, mentioning: ["ghost"]) {
        _ = try await store.bucketCounts("ghost", from: 0, to: .max)
      }
    }
  }
}
