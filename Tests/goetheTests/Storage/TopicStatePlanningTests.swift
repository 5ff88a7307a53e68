import GoetheKit
import TestSupport
import Testing

@testable import goethe

/// `TopicState.planAppend`: the pure id, sequence and time-index rules, without LevelDB.
@Suite struct TopicStatePlanningTests {
  static let minute = Granularity.minimum.nanoseconds

  func topic(
    granularity: Granularity = .minimum, head: TopicState.Head = .empty, firstID: UInt64 = 0,
    openBucket: TimeBucket? = nil
  ) -> TopicState {
    let record = TopicRecord(number: 7, granularity: granularity, created: FakeClock.epoch)
    return TopicState(name: "t", record: record, head: head, firstID: firstID, openBucket: openBucket)
  }

  @Test func firstAppendTakesTheClockReading() throws {
    var state = topic()
    let now = FakeClock.epoch + 12_345
    let plan = try state.planAppend(count: 1, bytes: 0, now: now, expectedSequence: nil)
    #expect(plan.firstID == now)
    #expect(plan.firstSequence == 1)
    #expect(plan.head == TopicState.Head(id: now, sequence: 1))
    #expect(state.firstID == now)
    #expect(state.head == TopicState.Head(id: now, sequence: 1))
    #expect(state.committed == .empty, "planning does not commit")
    #expect(plan.closedBuckets.isEmpty)
    let start = FakeClock.epoch - FakeClock.epoch % Self.minute
    #expect(state.openBucket == TimeBucket(start: start, lastID: now, count: 1, lastSequence: 1))
  }

  @Test func batchGetsConsecutiveIdsAndSequences() throws {
    var state = topic(head: .init(id: FakeClock.epoch, sequence: 10), firstID: 1)
    let now = FakeClock.epoch + 1_000
    let plan = try state.planAppend(count: 5, bytes: 0, now: now, expectedSequence: nil)
    #expect(plan.firstID == now)
    #expect(plan.firstSequence == 11)
    #expect(plan.count == 5)
    #expect(plan.head == TopicState.Head(id: now + 4, sequence: 15))
    #expect(state.head == plan.head)
    #expect(state.firstID == 1, "the first id is set only by the first append")
  }

  @Test(arguments: [
    // (clock offset from the head id, expected first id offset from the head id)
    (Int64(-3_600_000_000_000), Int64(1)),  // clock an hour behind
    (-1, 1),
    (0, 1),  // same nanosecond as the head
    (1, 1),
    (2, 2),
    (5_000, 5_000),
  ])
  func idIsMaxOfClockAndHeadPlusOne(clockOffset: Int64, expected: Int64) throws {
    let head = FakeClock.epoch
    var state = topic(head: .init(id: head, sequence: 3), firstID: 1)
    let now = UInt64(Int64(head) + clockOffset)
    let plan = try state.planAppend(count: 2, bytes: 0, now: now, expectedSequence: nil)
    #expect(plan.firstID == UInt64(Int64(head) + expected))
    #expect(plan.head.id == plan.firstID + 1)
    #expect(plan.firstSequence == 4)
  }

  @Test func expectedSequenceMismatchChangesNothing() throws {
    let open = TimeBucket(
      start: FakeClock.epoch - FakeClock.epoch % Self.minute, lastID: FakeClock.epoch, count: 3, lastSequence: 3)
    var state = topic(head: .init(id: FakeClock.epoch, sequence: 3), firstID: 1, openBucket: open)
    let error = #expect(throws: GoetheError.self) {
      try state.planAppend(count: 1, bytes: 0, now: FakeClock.epoch + Self.minute, expectedSequence: 7)
    }
    #expect(error?.code == .conflict)
    #expect(error?.message.contains("at sequence 3") == true, "\(error?.message ?? "")")
    #expect(error?.message.contains("not 7") == true)
    #expect(state.head == TopicState.Head(id: FakeClock.epoch, sequence: 3))
    #expect(state.firstID == 1)
    #expect(state.openBucket == open)
  }

  @Test func expectedSequenceMatches() throws {
    var empty = topic()
    #expect(try empty.planAppend(count: 1, bytes: 0, now: FakeClock.epoch, expectedSequence: 0).firstSequence == 1)
    var filled = topic(head: .init(id: FakeClock.epoch, sequence: 3), firstID: 1)
    #expect(try filled.planAppend(count: 2, bytes: 0, now: FakeClock.epoch, expectedSequence: 3).firstSequence == 4)
    #expect(throws: GoetheError.self) {
      try filled.planAppend(count: 1, bytes: 0, now: FakeClock.epoch, expectedSequence: 3)
    }
  }

  @Test func appendInTheOpenBucketKeepsItOpen() throws {
    let start = FakeClock.epoch - FakeClock.epoch % Self.minute
    var state = topic(
      head: .init(id: start + 10, sequence: 9), firstID: 1,
      openBucket: TimeBucket(start: start, lastID: start + 10, count: 9, lastSequence: 9))
    let plan = try state.planAppend(count: 3, bytes: 0, now: start + 20, expectedSequence: nil)
    #expect(plan.closedBuckets.isEmpty)
    #expect(state.openBucket == TimeBucket(start: start, lastID: start + 22, count: 12, lastSequence: 12))
  }

  @Test func batchAcrossABucketBoundaryClosesTheOpenBucket() throws {
    let boundary = FakeClock.epoch - FakeClock.epoch % Self.minute + Self.minute
    let open = TimeBucket(start: boundary - Self.minute, lastID: boundary - 100, count: 4, lastSequence: 4)
    var state = topic(head: .init(id: boundary - 100, sequence: 4), firstID: 1, openBucket: open)
    let plan = try state.planAppend(count: 5, bytes: 0, now: boundary - 2, expectedSequence: nil)
    #expect(
      plan.closedBuckets == [TimeBucket(start: boundary - Self.minute, lastID: boundary - 1, count: 6, lastSequence: 6)]
    )
    #expect(state.openBucket == TimeBucket(start: boundary, lastID: boundary + 2, count: 3, lastSequence: 9))
  }

  @Test func appendInANewerBucketClosesTheOpenOneAndStartsAtZero() throws {
    let start = FakeClock.epoch - FakeClock.epoch % Self.minute
    let open = TimeBucket(start: start, lastID: start + 10, count: 9, lastSequence: 9)
    var state = topic(head: .init(id: start + 10, sequence: 9), firstID: 1, openBucket: open)
    let now = start + 3 * Self.minute + 5
    let plan = try state.planAppend(count: 2, bytes: 0, now: now, expectedSequence: nil)
    #expect(plan.closedBuckets == [open])
    #expect(state.openBucket == TimeBucket(start: start + 3 * Self.minute, lastID: now + 1, count: 2, lastSequence: 11))
  }

  /// Many plans with a clock that jumps around: ids strictly increase, sequences are consecutive,
  /// every bucket is closed exactly once, and the closed buckets plus the open one count exactly
  /// the planned ids.
  @Test(arguments: [("1m", UInt64(1)), ("15m", 2), ("1d", 3)])
  func randomPlansAgreeWithBruteForce(granularityText: String, seed: UInt64) throws {
    let granularity = try Granularity(parsing: granularityText)
    var random = SplitMix64(seed: seed)
    var state = topic(granularity: granularity)
    var now = FakeClock.epoch
    var ids: [UInt64] = []
    var closed: [TimeBucket] = []
    for _ in 0..<2_000 {
      switch random.next() % 6 {
      case 0: now -= UInt64.random(in: 0...(2 * granularity.nanoseconds), using: &random)
      case 1: now += UInt64.random(in: 0...1_000, using: &random)
      case 2: now += granularity.nanoseconds * UInt64.random(in: 1...30, using: &random)
      case 3:
        now = granularity.bucketStart(of: now) + granularity.nanoseconds - UInt64.random(in: 0...3, using: &random)
      default: now += UInt64.random(in: 0...(granularity.nanoseconds / 3), using: &random)
      }
      let count = Int.random(in: 1...4, using: &random)
      let plan = try state.planAppend(count: count, bytes: 0, now: now, expectedSequence: UInt64(ids.count))
      #expect(plan.firstSequence == UInt64(ids.count) + 1)
      ids.append(contentsOf: (0..<UInt64(count)).map { plan.firstID + $0 })
      closed += plan.closedBuckets
    }
    #expect(zip(ids, ids.dropFirst()).allSatisfy { $0 < $1 })
    #expect(state.firstID == ids.first)
    #expect(state.head == TopicState.Head(id: ids.last ?? 0, sequence: UInt64(ids.count)))
    var expected: [TimeBucket] = []
    for (index, id) in ids.enumerated() {
      let start = granularity.bucketStart(of: id)
      if expected.last?.start != start {
        expected.append(TimeBucket(start: start, lastID: 0, count: 0, lastSequence: 0))
      }
      expected[expected.count - 1].count += 1
      expected[expected.count - 1].lastID = id
      expected[expected.count - 1].lastSequence = UInt64(index + 1)
    }
    #expect(closed == Array(expected.dropLast()))
    #expect(state.openBucket == expected.last)
  }
}
