import Foundation
import GRPCCore
import GoetheKit
import SwiftProtobuf
import Testing

/// Subscribe (without follow) from every kind of position, with bounds and limits.
@Suite(.timeLimit(.minutes(1)))
struct RPCSubscribeTests {
  /// The five events of every case are committed at these times, so they get these ids.
  static let ids: [UInt64] = (1...5).map { RPCClock.base + UInt64($0) * 10 * RPCClock.second }
  static let texts = ["e0", "e1", "e2", "e3", "e4"]

  struct Case: Sendable, CustomTestStringConvertible {
    var name: String
    var from: ReadStartRequest
    var to: ReadBound? = nil
    var limit: UInt64? = nil
    /// Indexes into `ids` of the events delivered.
    var expected: [Int]
    var resolution: StartInfo.Resolution

    var testDescription: String { name }
  }

  static let cases: [Case] = [
    Case(name: "beginning", from: .position(.beginning), expected: [0, 1, 2, 3, 4], resolution: .exact),
    Case(name: "end", from: .position(.end), expected: [], resolution: .waiting),
    Case(name: "existing event id", from: .position(.event(ids[2])), expected: [2, 3, 4], resolution: .exact),
    Case(name: "id between events", from: .position(.event(ids[2] - 1)), expected: [2, 3, 4], resolution: .nearest),
    Case(name: "id before the first", from: .position(.event(1)), expected: [0, 1, 2, 3, 4], resolution: .nearest),
    Case(name: "id past the head", from: .position(.event(ids[4] + 1)), expected: [], resolution: .waiting),
    Case(name: "time of an event", from: .position(.time(ids[1])), expected: [1, 2, 3, 4], resolution: .exact),
    Case(name: "time between events", from: .position(.time(ids[1] + 1)), expected: [2, 3, 4], resolution: .nearest),
    Case(name: "time after the head", from: .position(.time(ids[4] + 1)), expected: [], resolution: .waiting),
    Case(name: "after a consumer's cursor", from: .afterConsumer("reader"), expected: [2, 3, 4], resolution: .exact),
    Case(
      name: "after a consumer without cursor", from: .afterConsumer("newcomer"), expected: [0, 1, 2, 3, 4],
      resolution: .exact),
    Case(name: "last 2", from: .last(2), expected: [3, 4], resolution: .exact),
    Case(name: "last 1", from: .last(1), expected: [4], resolution: .exact),
    Case(name: "last 9 of 5", from: .last(9), expected: [0, 1, 2, 3, 4], resolution: .exact),
    Case(name: "last 0", from: .last(0), expected: [], resolution: .waiting),
    Case(
      name: "to an id, inclusive", from: .position(.beginning), to: .event(ids[2]), expected: [0, 1, 2],
      resolution: .exact),
    Case(
      name: "to an id between events", from: .position(.event(ids[1])), to: .event(ids[3] - 1), expected: [1, 2],
      resolution: .exact),
    Case(
      name: "to a time, exclusive", from: .position(.beginning), to: .time(ids[2]), expected: [0, 1], resolution: .exact
    ),
    Case(
      name: "to a time just after an event", from: .position(.beginning), to: .time(ids[2] + 1), expected: [0, 1, 2],
      resolution: .exact),
    Case(
      name: "to before the start", from: .position(.event(ids[3])), to: .event(ids[1]), expected: [], resolution: .exact
    ),
    Case(name: "limit", from: .position(.beginning), limit: 2, expected: [0, 1], resolution: .exact),
    Case(name: "limit from an id", from: .position(.event(ids[1])), limit: 3, expected: [1, 2, 3], resolution: .exact),
    Case(
      name: "limit past the head", from: .position(.event(ids[3])), limit: 10, expected: [3, 4], resolution: .exact),
    Case(
      name: "limit and bound", from: .position(.beginning), to: .event(ids[1]), limit: 3, expected: [0, 1],
      resolution: .exact),
  ]

  @Test(arguments: cases)
  func readsFrom(_ testCase: Case) async throws {
    let clock = RPCClock()
    try await withRPCServer(clock: clock) { server in
      try await server.withClient { client in
        let ids = try await client.appendEach(
          zip(Self.ids, Self.texts).map { (time: $0, payload: $1) }, to: "orders", clock: clock)
        try #require(ids == Self.ids)
        _ = try await client.setCursor(topic: "orders", consumer: "reader", to: .event(ids[1]))

        let read = try await client.collect("orders", from: testCase.from, to: testCase.to, limit: testCase.limit)
        #expect(read.events.map(\.id) == testCase.expected.map { ids[$0] })
        #expect(RPCTest.texts(read.events) == testCase.expected.map { Self.texts[$0] })
        #expect(read.events.map(\.sequence) == testCase.expected.map { UInt64($0 + 1) })
        #expect(read.headSequence == 5)
        #expect(read.start.resolution == testCase.resolution)
        if testCase.resolution == .waiting {
          #expect(read.start.eventID == nil)
        } else if let first = testCase.expected.first {
          #expect(read.start.eventID == ids[first])
          #expect(read.start.sequence == UInt64(first + 1))
        }
      }
    }
  }

  @Test func emptyTopicStartsWaiting() async throws {
    try await withRPCServer { server in
      try await server.withClient { client in
        _ = try await client.createTopic("orders")
        let read = try await client.collect("orders")
        #expect(read.start == StartInfo(resolution: .waiting))
        #expect(read.headSequence == 0)
        #expect(read.events.isEmpty)
      }
    }
  }

  @Test func largeTopicsArriveInSeveralBatchesInOrder() async throws {
    try await withRPCServer { server in
      try await server.withClient { client in
        let count = 1_300
        for chunk in stride(from: 0, to: count, by: 100) {
          _ = try await client.append((chunk..<chunk + 100).map { Data("event-\($0)".utf8) }, to: "orders")
        }
        let batches = try await client.subscribe("orders") { subscription in
          var batches: [[StoredEvent]] = []
          for try await batch in subscription { batches.append(batch) }
          return batches
        }
        #expect(batches.count > 1)
        let events = batches.flatMap { $0 }
        #expect(events.map(\.sequence) == Array(1...UInt64(count)))
        #expect(RPCTest.texts(events) == (0..<count).map { "event-\($0)" })
      }
    }
  }

  /// A reader that asks for compact events gets each without its id string and topic, and
  /// GoetheKit makes of them the same events as of full ones; a reader that does not ask (Goethe's
  /// earlier clients) still gets full events.
  @Test func compactEventsCarryWhatFullOnesDo() async throws {
    try await withRPCServer { server in
      let stored = try await server.withClient { client in
        _ = try await client.append(RPCTest.data("a", "b", "c"), to: "orders")
        return try await client.collect("orders").events
      }
      #expect(stored.map(\.topic) == ["orders", "orders", "orders"])
      try await server.withStub { stub in
        for compact in [false, true] {
          let request = Io_Typusomega_Goethe_SubscribeRequest.with {
            $0.topic = "orders"
            $0.compactEvents = compact
          }
          let events = try await stub.subscribe(request) { response in
            var events: [Io_Typusomega_Goethe_Event] = []
            for try await message in response.messages {
              if case .events(let batch)? = message.kind { events += batch.events }
            }
            return events
          }
          #expect(events.map(\.id.isEmpty) == [compact, compact, compact])
          #expect(events.map(\.hasTopic) == [!compact, !compact, !compact])
          #expect(try events.map { try StoredEvent($0, topic: "orders") } == stored)
        }
      }
    }
  }

  @Test func timeBoundAtTheEpochIsRejected() async throws {
    try await withRPCServer { server in
      try await server.withClient { client in
        _ = try await client.append(RPCTest.data("a"), to: "orders")
        let error = await #expect(throws: GoetheError.self) { try await client.collect("orders", to: .time(0)) }
        #expect(error?.code == .invalidArgument)
      }
    }
  }
}
