import Foundation
import GoetheKit
import Testing

/// CreateTopic, ListTopics, DescribeTopic and TopicStats through `GoetheClient`.
@Suite(.timeLimit(.minutes(1)))
struct RPCTopicTests {
  @Test func createdTopicsAreListedAndDescribed() async throws {
    try await withRPCServer { server in
      try await server.withClient { client in
        let created = try await client.createTopic("orders", granularity: .minimum)
        #expect(created.name == "orders")
        #expect(created.granularity == .minimum)
        #expect(created.headSequence == 0)
        #expect(created.firstEventID == nil && created.lastEventID == nil)
        #expect(try await client.createTopic("audit").granularity == .hour)

        let appended = try await client.append(RPCTest.data("a", "b", "c"), to: "orders")

        let listed = try await client.topics()
        #expect(listed.map(\.name) == ["audit", "orders"])
        #expect(listed.map(\.headSequence) == [0, 3])

        let described = try await client.describeTopic("orders")
        #expect(described.headSequence == 3)
        #expect(described.firstEventID == appended.firstID)
        #expect(described.lastEventID == appended.firstID + 2)
        #expect(described.created == created.created)
        #expect(described.consumers.isEmpty)
      }
    }
  }

  @Test func creatingAnExistingTopicFails() async throws {
    try await withRPCServer { server in
      try await server.withClient { client in
        _ = try await client.createTopic("orders")
        _ = try await client.append(RPCTest.data("kept"), to: "orders")
        let error = await #expect(throws: GoetheError.self) {
          try await client.createTopic("orders", granularity: .minimum)
        }
        #expect(error?.code == .alreadyExists)
        let described = try await client.describeTopic("orders")
        #expect(described.granularity == .hour)
        #expect(described.headSequence == 1)
      }
    }
  }

  @Test func describeShowsConsumersWithTheirLag() async throws {
    try await withRPCServer { server in
      try await server.withClient { client in
        let first = try await client.append(RPCTest.data("1", "2", "3", "4", "5"), to: "orders").firstID
        _ = try await client.setCursor(topic: "orders", consumer: "billing", to: .event(first + 1))
        _ = try await client.setCursor(topic: "orders", consumer: "audit", to: .end)

        var consumers = try await client.describeTopic("orders").consumers
        #expect(consumers.map(\.consumer) == ["audit", "billing"])
        #expect(consumers.map(\.sequence) == [5, 2])
        #expect(consumers.map(\.eventID) == [first + 4, first + 1])
        #expect(consumers.map(\.lag) == [0, 3])

        _ = try await client.append(RPCTest.data("6", "7"), to: "orders")
        consumers = try await client.describeTopic("orders").consumers
        #expect(consumers.map(\.lag) == [2, 5])
        #expect(try await client.topics().first?.consumers == [], "listings leave consumers out")
      }
    }
  }

  @Test func statsCountEventsPerTimeBucket() async throws {
    let clock = RPCClock()
    let minute = 60 * RPCClock.second
    let t = RPCClock.base
    try await withRPCServer(clock: clock) { server in
      try await server.withClient { client in
        _ = try await client.createTopic("orders", granularity: .minimum)
        let ids = try await client.appendEach(
          [
            (t + 1 * RPCClock.second, "a"), (t + 2 * RPCClock.second, "b"), (t + 2 * minute + 5 * RPCClock.second, "c"),
          ],
          to: "orders", clock: clock)
        #expect(ids == [t + RPCClock.second, t + 2 * RPCClock.second, t + 2 * minute + 5 * RPCClock.second])

        let (granularity, all) = try await client.stats("orders")
        #expect(granularity == .minimum)
        #expect(
          all == [
            BucketCount(start: t, count: 2, lastEventID: ids[1]),
            BucketCount(start: t + 2 * minute, count: 1, lastEventID: ids[2]),
          ])
        #expect(try await client.stats("orders", from: t + 2 * minute).1.map(\.start) == [t + 2 * minute])
        #expect(try await client.stats("orders", from: t + 30 * RPCClock.second).1.map(\.start) == [t, t + 2 * minute])
        #expect(try await client.stats("orders", from: 0, to: t + 2 * minute).1.map(\.start) == [t])
        #expect(try await client.stats("orders", from: t + 3 * minute).1.isEmpty)

        let error = await #expect(throws: GoetheError.self) { try await client.stats("orders", from: t + 1, to: t) }
        #expect(error?.code == .invalidArgument)
      }
    }
  }
}
