import Foundation
import GoetheKit
import Testing

@testable import goethe

/// Resolving positions (`.event`, `.beginning`, `.end`, last n) to where a read starts, and reads.
@Suite struct PositionTests {
  static let ids = FiveEvents.ids

  func expectStart(
    _ start: ReadStart, _ resolution: StartInfo.Resolution, at index: Int?,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let ids = Self.ids
    if let index {
      #expect(start.fromID == ids[index], sourceLocation: sourceLocation)
      #expect(
        start.info == StartInfo(resolution: resolution, eventID: ids[index], sequence: UInt64(index + 1)),
        sourceLocation: sourceLocation)
    } else {
      #expect(start.fromID == ids[ids.count - 1] + 1, sourceLocation: sourceLocation)
      #expect(start.info == StartInfo(resolution: .waiting), sourceLocation: sourceLocation)
    }
    #expect(start.topic == "t", sourceLocation: sourceLocation)
  }

  @Test func eventPositionResolvesToTheEventOrTheNearestFollowingOne() async throws {
    try await FiveEvents.withStore { store, _ in
      let ids = Self.ids
      expectStart(try store.resolveStart(.event(0), in: "t"), .nearest, at: 0)
      expectStart(try store.resolveStart(.event(ids[0] - 1), in: "t"), .nearest, at: 0)
      for index in ids.indices {
        expectStart(try store.resolveStart(.event(ids[index]), in: "t"), .exact, at: index)
      }
      expectStart(try store.resolveStart(.event(ids[0] + 1), in: "t"), .nearest, at: 1)
      expectStart(try store.resolveStart(.event(ids[1] + 50), in: "t"), .nearest, at: 2)
      expectStart(try store.resolveStart(.event(ids[4] - 1), in: "t"), .nearest, at: 4)
      expectStart(try store.resolveStart(.event(ids[4] + 1), in: "t"), .waiting, at: nil)
      expectStart(try store.resolveStart(.event(.max), in: "t"), .waiting, at: nil)
    }
  }

  @Test func readFromAPositionPastTheHeadDeliversTheNextAppendedEvent() async throws {
    try await FiveEvents.withStore { store, clock in
      let afterLast = try store.resolveStart(.event(Self.ids[4] + 500), in: "t")
      let end = try store.resolveStart(.end, in: "t")
      #expect(try store.read(afterLast, from: afterLast.fromID, limit: 10).isEmpty)
      clock.set(FakeClock.epoch + 1)  // behind the head: the new id is head + 1
      let next = try await store.appendText("6", to: "t")
      for start in [afterLast, end] {
        let events = try store.read(start, from: start.fromID, limit: 10)
        #expect(events.map(\.payloadText) == ["6"])
        #expect(events.map(\.id) == [next])
        #expect(events.map(\.sequence) == [6])
      }
    }
  }

  @Test func beginningAndEnd() async throws {
    try await FiveEvents.withStore { store, _ in
      expectStart(try store.resolveStart(.beginning, in: "t"), .exact, at: 0)
      expectStart(try store.resolveStart(.end, in: "t"), .waiting, at: nil)
      let beginning = try store.resolveStart(.beginning, in: "t")
      #expect(
        try store.read(beginning, from: beginning.fromID, limit: .max).map(\.payloadText) == ["1", "2", "3", "4", "5"])
    }
  }

  @Test func everyPositionWaitsOnAnEmptyTopic() async throws {
    let clock = FakeClock()
    try await withStore(.testing(clock: clock)) { store in
      _ = try await store.createTopic("t")
      let positions: [Position] = [.beginning, .end, .event(0), .event(FakeClock.epoch), .time(0), .time(.max)]
      var starts: [ReadStart] = []
      for position in positions {
        let start = try store.resolveStart(position, in: "t")
        #expect(start.info == StartInfo(resolution: .waiting), "\(position)")
        starts.append(start)
      }
      let last = try await store.resolveStart(lastEvents: 3, in: "t")
      #expect(last.info == StartInfo(resolution: .waiting))
      starts.append(last)
      let id = try await store.appendText("first", to: "t")
      for start in starts {
        #expect(try store.read(start, from: start.fromID, limit: 10).map(\.id) == [id])
      }
    }
  }

  @Test func lastEventsStartsAtTheNthLastEvent() async throws {
    try await FiveEvents.withStore { store, _ in
      expectStart(try await store.resolveStart(lastEvents: 1, in: "t"), .exact, at: 4)
      expectStart(try await store.resolveStart(lastEvents: 2, in: "t"), .exact, at: 3)
      expectStart(try await store.resolveStart(lastEvents: 3, in: "t"), .exact, at: 2)
      expectStart(try await store.resolveStart(lastEvents: 5, in: "t"), .exact, at: 0)
      expectStart(try await store.resolveStart(lastEvents: 6, in: "t"), .exact, at: 0)
      expectStart(try await store.resolveStart(lastEvents: .max, in: "t"), .exact, at: 0)
      expectStart(try await store.resolveStart(lastEvents: 0, in: "t"), .waiting, at: nil)
      let start = try await store.resolveStart(lastEvents: 2, in: "t")
      #expect(try store.read(start, from: start.fromID, limit: .max).map(\.payloadText) == ["4", "5"])
    }
  }

  @Test func lastEventsIgnoresOtherTopics() async throws {
    let clock = FakeClock()
    try await withStore(.testing(clock: clock)) { store in
      _ = try await store.append(payloads("a1", "a2"), to: "a", createTopic: true)
      _ = try await store.append(payloads("t1", "t2"), to: "t", createTopic: true)
      _ = try await store.append(payloads("z1", "z2"), to: "z", createTopic: true)
      let start = try await store.resolveStart(lastEvents: 10, in: "t")
      #expect(try store.read(start, from: start.fromID, limit: .max).map(\.payloadText) == ["t1", "t2"])
      #expect(start.info.sequence == 1)
    }
  }

  @Test func readHonoursLimitThroughAndMaxBytes() async throws {
    try await FiveEvents.withStore { store, _ in
      let ids = Self.ids
      let start = try store.resolveStart(.beginning, in: "t")
      #expect(try store.read(start, from: 0, limit: 2).map(\.payloadText) == ["1", "2"])
      #expect(try store.read(start, from: 0, limit: 0).isEmpty)
      #expect(try store.read(start, from: ids[1], through: ids[3], limit: 10).map(\.payloadText) == ["2", "3", "4"])
      #expect(try store.read(start, from: ids[1] + 1, through: ids[3] - 1, limit: 10).map(\.payloadText) == ["3"])
      #expect(try store.read(start, from: ids[3], through: ids[1], limit: 10, maxBytes: .max).isEmpty)
      // Each payload is 1 byte: the read stops after the event that reaches maxBytes.
      #expect(
        try store.read(start, from: 0, through: .max, limit: 10, maxBytes: 3).map(\.payloadText) == ["1", "2", "3"])
      #expect(try store.read(start, from: 0, through: .max, limit: 10, maxBytes: 1).map(\.payloadText) == ["1"])
      var visited: [UInt64] = []
      let count = try store.scan(start, from: ids[2], through: .max, limit: .max) { id, _, _ in
        visited.append(id)
        return visited.count < 2
      }
      #expect(visited == [ids[2], ids[3]])
      #expect(count == 1, "scan counts the events visit accepted")
    }
  }

  @Test func positionsInAMissingTopicAreNotFound() async throws {
    try await withStore { store in
      await expectError(.notFound, mentioning: ["ghost"]) { _ = try store.resolveStart(.beginning, in: "ghost") }
      await expectError(.notFound, mentioning: ["ghost"]) {
        _ = try await store.resolveStart(lastEvents: 1, in: "ghost")
      }
      await expectError(.notFound, mentioning: ["ghost"]) {
        _ = try store.resolveStart(afterConsumer: "c", in: "ghost")
      }
      await expectError(.invalidArgument, mentioning: [Names.topicRule]) {
        _ = try store.resolveStart(.end, in: "no/such")
      }
    }
  }
}
