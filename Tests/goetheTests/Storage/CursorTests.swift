import Foundation
import GoetheKit
import Testing

@testable import goethe

/// Consumer cursors: what setting them to each kind of position means, lag, listing and deleting.
@Suite struct CursorTests {
  let ids = FiveEvents.ids

  /// Checks where consumer `c` resumes: at event `index`, or (nil) with the next event to arrive.
  func expectResume(
    _ store: any GoetheStore, consumer: String = "c", at index: Int?, sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let start = try store.resolveStart(afterConsumer: consumer, in: "t")
    if let index {
      #expect(start.fromID == ids[index], sourceLocation: sourceLocation)
      #expect(
        start.info == StartInfo(resolution: .exact, eventID: ids[index], sequence: UInt64(index + 1)),
        sourceLocation: sourceLocation)
      let texts = try store.read(start, from: start.fromID, limit: .max).map(\.payloadText)
      #expect(texts == (index..<5).map { "\($0 + 1)" }, sourceLocation: sourceLocation)
    } else {
      #expect(start.fromID == ids[4] + 1, sourceLocation: sourceLocation)
      #expect(start.info == StartInfo(resolution: .waiting), sourceLocation: sourceLocation)
    }
  }

  @Test(arguments: Durability.allCases)
  func cursorAtAnEventMeansThatEventIsProcessed(durability: Durability) async throws {
    try await FiveEvents.withStore(durability) { store, clock in
      clock.set(FakeClock.epoch + 5_000)
      let info = try await store.setCursor(topic: "t", consumer: "c", to: .event(ids[2]))
      #expect(
        info
          == CursorInfo(
            topic: "t", consumer: "c", eventID: ids[2], sequence: 3, updated: FakeClock.epoch + 5_000, lag: 2))
      #expect(try store.cursor(topic: "t", consumer: "c") == info)
      try expectResume(store, at: 3)
    }
  }

  @Test func cursorAtAMissingIdTakesTheNearestFollowingEvent() async throws {
    try await FiveEvents.withStore { store, _ in
      var info = try await store.setCursor(topic: "t", consumer: "c", to: .event(ids[1] + 1))
      #expect(info.eventID == ids[2])
      #expect(info.sequence == 3)
      #expect(info.lag == 2)
      try expectResume(store, at: 3)

      info = try await store.setCursor(topic: "t", consumer: "c", to: .event(0))
      #expect(info.eventID == ids[0])
      #expect(info.lag == 4)
      try expectResume(store, at: 1)

      // Past the head: the newest event counts as processed.
      info = try await store.setCursor(topic: "t", consumer: "c", to: .event(ids[4] + 1))
      #expect(info.eventID == ids[4])
      #expect(info.sequence == 5)
      #expect(info.lag == 0)
      try expectResume(store, at: nil)
    }
  }

  /// (time as an offset from the first event, cursor's event index or nil for "before the first",
  /// index the consumer resumes at or nil for "the next event to arrive")
  @Test(arguments: [
    (Int64(-1), Int?.none, Int?.some(0)),
    (0, nil, 0),
    (1, 0, 1),
    (150, 1, 2),
    (200, 1, 2),
    (201, 2, 3),
    (202, 3, 4),
    (1_000, 3, 4),
    (1_001, 4, nil),
    (86_400_000_000_000, 4, nil),
  ])
  func cursorAtATimeResumesWithTheFirstEventAtOrAfterIt(offset: Int64, cursor: Int?, resume: Int?) async throws {
    try await FiveEvents.withStore { store, _ in
      let time = UInt64(Int64(FakeClock.epoch) + offset)
      let info = try await store.setCursor(topic: "t", consumer: "c", to: .time(time))
      #expect(info.eventID == cursor.map { ids[$0] } ?? 0)
      #expect(info.sequence == cursor.map { UInt64($0 + 1) } ?? 0)
      #expect(info.lag == 5 - (cursor.map { UInt64($0 + 1) } ?? 0))
      try expectResume(store, at: resume)
    }
  }

  @Test func cursorAtBeginningAndEnd() async throws {
    try await FiveEvents.withStore { store, clock in
      var info = try await store.setCursor(topic: "t", consumer: "c", to: .beginning)
      #expect(info.eventID == 0)
      #expect(info.sequence == 0)
      #expect(info.lag == 5)
      try expectResume(store, at: 0)

      info = try await store.setCursor(topic: "t", consumer: "c", to: .end)
      #expect(info.eventID == ids[4])
      #expect(info.sequence == 5)
      #expect(info.lag == 0)
      try expectResume(store, at: nil)

      let start = try store.resolveStart(afterConsumer: "c", in: "t")
      clock.set(FakeClock.epoch)  // behind the head
      let next = try await store.appendText("6", to: "t")
      #expect(try store.read(start, from: start.fromID, limit: .max).map(\.id) == [next])
      #expect(try store.cursor(topic: "t", consumer: "c").lag == 1)
    }
  }

  @Test func cursorAtTheEndOfAnEmptyTopicResumesWithItsFirstEvent() async throws {
    try await withStore { store in
      _ = try await store.createTopic("t")
      let info = try await store.setCursor(topic: "t", consumer: "c", to: .end)
      #expect(info.eventID == 0)
      #expect(info.lag == 0)
      #expect(try store.resolveStart(afterConsumer: "c", in: "t").info.resolution == .waiting)
      _ = try await store.appendText("first", to: "t")
      let start = try store.resolveStart(afterConsumer: "c", in: "t")
      #expect(try store.read(start, from: start.fromID, limit: .max).map(\.payloadText) == ["first"])
    }
  }

  @Test func commitCursorNeedsAnExistingEvent() async throws {
    try await FiveEvents.withStore { store, _ in
      let info = try await store.commitCursor(topic: "t", consumer: "c", eventID: ids[1])
      #expect(info.eventID == ids[1])
      #expect(info.sequence == 2)
      #expect(info.lag == 3)
      try expectResume(store, at: 2)
      await expectError(.notFound, mentioning: ["\(ids[1] + 1)"]) {
        _ = try await store.commitCursor(topic: "t", consumer: "c", eventID: ids[1] + 1)
      }
      await expectError(.notFound) { _ = try await store.commitCursor(topic: "t", consumer: "c", eventID: ids[4] + 1) }
      #expect(try store.cursor(topic: "t", consumer: "c") == info, "a failed commit leaves the cursor alone")
    }
  }

  @Test func lagFollowsTheHead() async throws {
    try await FiveEvents.withStore { store, _ in
      _ = try await store.setCursor(topic: "t", consumer: "c", to: .event(ids[2]))
      _ = try await store.append(payloads("6", "7", "8"), to: "t")
      #expect(try store.cursor(topic: "t", consumer: "c").lag == 5)
      #expect(try await store.listCursors(topic: "t").map(\.lag) == [5])
      #expect(try await store.describeTopic("t").consumers.map(\.lag) == [5])
    }
  }

  @Test func listCursorsPerTopicAndOverall() async throws {
    try await withStore { store in
      // "b" gets the lower topic number: the listing is by name, not by number.
      for topic in ["b", "a", "empty"] {
        _ = try await store.append(payloads("1", "2"), to: topic, createTopic: true)
      }
      for (topic, consumer) in [("b", "z"), ("b", "c"), ("a", "c1"), ("a", "c"), ("a", "c 2 ü")] {
        _ = try await store.setCursor(topic: topic, consumer: consumer, to: .beginning)
      }
      let a = try await store.listCursors(topic: "a")
      #expect(a.map(\.consumer) == ["c", "c 2 ü", "c1"])
      #expect(a.allSatisfy { $0.topic == "a" && $0.lag == 2 })
      #expect(try await store.listCursors(topic: "b").map(\.consumer) == ["c", "z"])
      #expect(try await store.listCursors(topic: "empty").isEmpty)
      let all = try await store.listCursors().map { "\($0.topic):\($0.consumer)" }
      #expect(all == ["a:c", "a:c 2 ü", "a:c1", "b:c", "b:z"])
      #expect(try await store.describeTopic("a").consumers == a)
      #expect(store.listTopics().allSatisfy { $0.consumers.isEmpty }, "listings leave out the consumers")
    }
  }

  @Test func deletedCursorIsGone() async throws {
    try await FiveEvents.withStore { store, _ in
      _ = try await store.setCursor(topic: "t", consumer: "c", to: .event(ids[3]))
      let other = try await store.setCursor(topic: "t", consumer: "other", to: .event(ids[1]))
      try await store.deleteCursor(topic: "t", consumer: "c")
      await expectError(.notFound, mentioning: ["consumer c", "topic t"]) {
        _ = try store.cursor(topic: "t", consumer: "c")
      }
      await expectError(.notFound) { try await store.deleteCursor(topic: "t", consumer: "c") }
      try expectResume(store, at: 0)  // no cursor: from the beginning
      #expect(try await store.listCursors(topic: "t") == [other])
    }
  }

  @Test func cursorsBelongToOneTopic() async throws {
    try await FiveEvents.withStore { store, _ in
      _ = try await store.append(payloads("x"), to: "u", createTopic: true)
      _ = try await store.setCursor(topic: "t", consumer: "c", to: .end)
      await expectError(.notFound) { _ = try store.cursor(topic: "u", consumer: "c") }
      #expect(try store.resolveStart(afterConsumer: "c", in: "u").info.sequence == 1)
      #expect(try await store.listCursors(topic: "u").isEmpty)
    }
  }

  @Test func cursorsOnAMissingTopicAreNotFound() async throws {
    try await withStore { store in
      await expectError(.notFound, mentioning: ["ghost"]) { _ = try store.cursor(topic: "ghost", consumer: "c") }
      await expectError(.notFound, mentioning: ["ghost"]) {
        _ = try await store.setCursor(topic: "ghost", consumer: "c", to: .beginning)
      }
      await expectError(.notFound, mentioning: ["ghost"]) {
        _ = try await store.commitCursor(topic: "ghost", consumer: "c", eventID: 1)
      }
      await expectError(.notFound, mentioning: ["ghost"]) { _ = try await store.listCursors(topic: "ghost") }
      await expectError(.notFound, mentioning: ["ghost"]) {
        try await store.deleteCursor(topic: "ghost", consumer: "c")
      }
      #expect(store.listTopics().isEmpty)
    }
  }

  @Test(arguments: [
    "", String(repeating: "x", count: 250), String(repeating: "é", count: 125), "line\nbreak", "tab\there", "bell\u{7}",
    "nul\u{0}",
  ])
  func invalidConsumerNamesAreRejected(name: String) async throws {
    try await FiveEvents.withStore { store, _ in
      await expectError(.invalidArgument, mentioning: [Names.consumerRule]) {
        _ = try await store.setCursor(topic: "t", consumer: name, to: .beginning)
      }
      await expectError(.invalidArgument, mentioning: [Names.consumerRule]) {
        _ = try await store.commitCursor(topic: "t", consumer: name, eventID: ids[0])
      }
      await expectError(.invalidArgument, mentioning: [Names.consumerRule]) {
        _ = try store.cursor(topic: "t", consumer: name)
      }
      await expectError(.invalidArgument, mentioning: [Names.consumerRule]) {
        try await store.deleteCursor(topic: "t", consumer: name)
      }
      let remaining = try await store.listCursors(topic: "t")
      #expect(remaining.isEmpty)
    }
  }

  @Test(arguments: ["a", "with space", "ünïcødé", "slash/and:colon", String(repeating: "é", count: 124) + "x"])
  func validConsumerNamesAreAccepted(name: String) async throws {
    try await FiveEvents.withStore { store, _ in
      let info = try await store.setCursor(topic: "t", consumer: name, to: .event(ids[0]))
      #expect(try store.cursor(topic: "t", consumer: name) == info)
      #expect(try await store.listCursors(topic: "t").map(\.consumer) == [name])
      try expectResume(store, consumer: name, at: 1)
    }
  }

  @Test(arguments: ["", "line\nbreak", String(repeating: "x", count: 250)])
  func resumingAfterAnInvalidConsumerNameIsRejected(name: String) async throws {
    try await FiveEvents.withStore { store, _ in
      await expectError(.invalidArgument, mentioning: [Names.consumerRule]) {
        _ = try store.resolveStart(afterConsumer: name, in: "t")
      }
    }
  }

  @Test(arguments: Durability.allCases)
  func cursorsSurviveReopen(durability: Durability) async throws {
    let clock = FakeClock()
    try await withTemporaryDirectory { _, path in
      let saved = try await withStore(at: path, .testing(durability, clock: clock)) { store in
        try await FiveEvents.fill(store, clock: clock)
        return try await store.setCursor(topic: "t", consumer: "c", to: .event(ids[1]))
      }
      try await withStore(at: path, .testing(durability, clock: clock)) { store in
        #expect(try store.cursor(topic: "t", consumer: "c") == saved)
        try expectResume(store, at: 2)
      }
    }
  }
}
