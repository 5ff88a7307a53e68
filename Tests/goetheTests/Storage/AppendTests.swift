import Foundation
import GoetheKit
import Testing

@testable import goethe

/// Appending: ids, sequence numbers, batches, size limits and optimistic concurrency.
@Suite struct AppendTests {
  @Test(arguments: Durability.allCases)
  func appendedEventsReadBackInOrder(durability: Durability) async throws {
    let clock = FakeClock()
    try await withStore(.testing(durability, clock: clock)) { store in
      _ = try await store.createTopic("orders")
      var results: [AppendResult] = []
      for text in ["a", "b", "c"] {
        results.append(try await store.append(payloads(text), to: "orders"))
        clock.advance(by: 1_000)
      }
      results.append(try await store.append(payloads("d", "e", "f", "g"), to: "orders"))

      let events = try store.allEvents(in: "orders")
      #expect(events.map(\.payloadText) == ["a", "b", "c", "d", "e", "f", "g"])
      #expect(events.allSatisfy { $0.topic == "orders" })
      expectWellOrdered(events)
      let appended = results.flatMap(\.events)
      #expect(events.map(\.id) == appended.map(\.id))
      #expect(events.map(\.sequence) == appended.map(\.sequence))
      #expect(results.map(\.count) == [1, 1, 1, 4])

      let info = try await store.describeTopic("orders")
      #expect(info.headSequence == 7)
      #expect(info.eventCount == 7)
      #expect(info.firstEventID == events.first?.id)
      #expect(info.lastEventID == events.last?.id)
      #expect(store.listTopics().map(\.name) == ["orders"])
      #expect(store.listTopics().first?.headSequence == 7)
    }
  }

  @Test func idIsTheClockOrOneAfterTheHead() async throws {
    let clock = FakeClock()
    let t = FakeClock.epoch
    try await withStore(.testing(clock: clock)) { store in
      _ = try await store.createTopic("t")
      #expect(try await store.appendText("1", to: "t") == t)
      clock.set(t + 5_000)
      #expect(try await store.appendText("2", to: "t") == t + 5_000)
      #expect(try await store.appendText("3", to: "t") == t + 5_001, "same clock reading: head + 1")
      clock.set(t - 3_600_000_000_000)
      #expect(try await store.appendText("4", to: "t") == t + 5_002, "clock went back an hour: head + 1")
      clock.set(t + 1_000_000)
      #expect(try await store.appendText("5", to: "t") == t + 1_000_000, "clock ahead again: its reading")
      expectWellOrdered(try store.allEvents(in: "t"))
    }
  }

  @Test func idsAreIndependentPerTopic() async throws {
    let clock = FakeClock()
    try await withStore(.testing(clock: clock)) { store in
      let a = try await store.append(payloads("a1", "a2"), to: "a", createTopic: true)
      let b = try await store.append(payloads("b1"), to: "b", createTopic: true)
      #expect(a.firstID == FakeClock.epoch)
      #expect(a.firstSequence == 1)
      #expect(b.firstID == FakeClock.epoch, "another topic's head does not push this topic's ids")
      #expect(b.firstSequence == 1)
      #expect(try store.allEvents(in: "a").map(\.payloadText) == ["a1", "a2"])
      #expect(try store.allEvents(in: "b").map(\.payloadText) == ["b1"])
    }
  }

  @Test func batchGetsConsecutiveIdsAndSequences() async throws {
    let clock = FakeClock()
    try await withStore(.testing(clock: clock)) { store in
      _ = try await store.createTopic("t")
      _ = try await store.appendText("first", to: "t")
      clock.advance(by: 10_000)
      let result = try await store.append(payloads("a", "b", "c", "d", "e"), to: "t")
      #expect(result.firstID == FakeClock.epoch + 10_000)
      #expect(result.firstSequence == 2)
      #expect(result.count == 5)
      let stored = try store.allEvents(in: "t").dropFirst()
      #expect(stored.map(\.id) == (0..<5).map { FakeClock.epoch + 10_000 + $0 })
      #expect(stored.map(\.sequence) == [2, 3, 4, 5, 6])
    }
  }

  @Test(arguments: Durability.allCases)
  func idsStayAheadOfStoredOnesAfterReopenWithAClockThatWentBack(durability: Durability) async throws {
    let clock = FakeClock()
    try await withTemporaryDirectory { _, path in
      let before = try await withStore(at: path, .testing(durability, clock: clock)) { store in
        _ = try await store.createTopic("t")
        for index in 0..<10 {
          _ = try await store.appendText("old \(index)", to: "t")
          clock.advance(by: 1_000_000)
        }
        return try store.allEvents(in: "t")
      }
      let lastOld = try #require(before.last?.id)
      clock.set(FakeClock.epoch - 86_400_000_000_000)  // a day before the first event
      try await withStore(at: path, .testing(durability, clock: clock)) { store in
        let result = try await store.append(payloads("new 0", "new 1"), to: "t")
        #expect(result.firstID == lastOld + 1)
        #expect(result.firstSequence == 11)
        clock.set(lastOld)
        #expect(try await store.appendText("new 2", to: "t") == lastOld + 3)
        let events = try store.allEvents(in: "t")
        #expect(events.count == 13)
        expectWellOrdered(events)
        #expect(Array(events.prefix(10)) == before)
      }
    }
  }

  // MARK: Rejected batches

  @Test(arguments: Durability.allCases)
  func batchWithAnEmptyPayloadIsRejectedWhole(durability: Durability) async throws {
    try await withStore(.testing(durability)) { store in
      _ = try await store.append(payloads("kept"), to: "t", createTopic: true)
      let before = try await store.describeTopic("t")
      await expectError(.invalidArgument, mentioning: ["event 2 of 3", "empty payload", "at least one byte"]) {
        _ = try await store.append([Data("a".utf8), Data(), Data("c".utf8)], to: "t")
      }
      await expectError(.invalidArgument, mentioning: ["the event", "at least one byte"]) {
        _ = try await store.append([Data()], to: "t")
      }
      #expect(try await store.describeTopic("t") == before)
      #expect(try store.allEvents(in: "t").map(\.payloadText) == ["kept"])
      #expect(try await store.append(payloads("next"), to: "t").firstSequence == 2)
    }
  }

  @Test(arguments: Durability.allCases)
  func batchWithAnOversizePayloadIsRejectedWhole(durability: Durability) async throws {
    try await withStore(.testing(durability, maxEventSize: 1_024)) { store in
      _ = try await store.append(payloads("kept"), to: "t", createTopic: true)
      let before = try await store.describeTopic("t")
      let big = Data(repeating: 0x61, count: 1_025)
      await expectError(.tooLarge, mentioning: ["event 2 of 2", "1025 bytes", "limit of 1 KiB", "--max-event-size"]) {
        _ = try await store.append([Data("a".utf8), big], to: "t")
      }
      await expectError(.tooLarge, mentioning: ["limit of 1 KiB"]) {
        _ = try await store.append([big], to: "new-topic", createTopic: true)
      }
      #expect(try await store.describeTopic("t") == before)
      #expect(try store.allEvents(in: "t").map(\.payloadText) == ["kept"])
      #expect(store.listTopics().map(\.name) == ["t"], "a rejected append creates no topic")

      let exact = Data(repeating: 0x62, count: 1_024)
      let result = try await store.append([exact], to: "t")
      #expect(result.firstSequence == 2)
      #expect(try store.allEvents(in: "t").last?.payload == exact)
    }
  }

  @Test func emptyBatchIsRejected() async throws {
    try await withStore { store in
      _ = try await store.createTopic("t")
      await expectError(.invalidArgument, mentioning: ["at least one event"]) {
        _ = try await store.append([], to: "t")
      }
      #expect(try await store.describeTopic("t").headSequence == 0)
    }
  }

  @Test func appendToAMissingTopicFailsUnlessAskedToCreateIt() async throws {
    let fifteen = try Granularity(parsing: "15m")
    try await withStore(.testing(defaultGranularity: fifteen)) { store in
      await expectError(.notFound, mentioning: ["ghost", "does not exist"]) {
        _ = try await store.append(payloads("x"), to: "ghost")
      }
      #expect(store.listTopics().isEmpty)
      let result = try await store.append(payloads("x"), to: "ghost", createTopic: true)
      #expect(result.firstSequence == 1)
      let info = try await store.describeTopic("ghost")
      #expect(info.granularity == fifteen, "created with the default granularity")
      #expect(info.headSequence == 1)
    }
  }

  @Test func appendWithAnInvalidTopicNameCreatesNothing() async throws {
    try await withStore { store in
      await expectError(.invalidArgument, mentioning: [Names.topicRule]) {
        _ = try await store.append(payloads("x"), to: "bad name", createTopic: true)
      }
      await expectError(.invalidArgument, mentioning: [Names.topicRule]) {
        _ = try await store.append(payloads("x"), to: "a/b")
      }
      #expect(store.listTopics().isEmpty)
    }
  }

  // MARK: Expected sequence

  @Test(arguments: Durability.allCases)
  func expectedSequenceGuardsTheAppend(durability: Durability) async throws {
    try await withStore(.testing(durability)) { store in
      _ = try await store.createTopic("t")
      #expect(try await store.append(payloads("1"), to: "t", expectedSequence: 0).firstSequence == 1)
      #expect(try await store.append(payloads("2", "3"), to: "t", expectedSequence: 1).firstSequence == 2)
      let before = try await store.describeTopic("t")

      await expectError(.conflict, mentioning: ["at sequence 3", "not 1", "nothing was written"]) {
        _ = try await store.append(payloads("stale"), to: "t", expectedSequence: 1)
      }
      await expectError(.conflict, mentioning: ["at sequence 3", "not 0"]) {
        _ = try await store.append(payloads("stale"), to: "t", expectedSequence: 0)
      }
      await expectError(.conflict, mentioning: ["at sequence 3", "not 9"]) {
        _ = try await store.append(payloads("future"), to: "t", expectedSequence: 9)
      }
      #expect(try await store.describeTopic("t") == before)
      #expect(try store.allEvents(in: "t").map(\.payloadText) == ["1", "2", "3"])
      #expect(try await store.append(payloads("4"), to: "t", expectedSequence: 3).firstSequence == 4)
    }
  }

  @Test func expectedSequenceConflictWithCreateTopicLeavesNoPhantomTopic() async throws {
    try await withTemporaryDirectory { _, path in
      try await withStore(at: path) { store in
        await expectError(.conflict, mentioning: ["at sequence 0", "not 4"]) {
          _ = try await store.append(payloads("x"), to: "fresh", expectedSequence: 4, createTopic: true)
        }
        #expect(store.listTopics().isEmpty)
        await expectError(.notFound) { _ = try await store.describeTopic("fresh") }
        await expectError(.notFound) { _ = try store.resolveStart(.beginning, in: "fresh") }
      }
      try await withStore(at: path) { store in
        #expect(store.listTopics().isEmpty, "nothing about the topic was written either")
        let result = try await store.append(payloads("x"), to: "fresh", expectedSequence: 0, createTopic: true)
        #expect(result.firstSequence == 1)
        #expect(try store.allEvents(in: "fresh").map(\.payloadText) == ["x"])
      }
    }
  }
}
