import Foundation
import GoetheKit
import Testing

/// GetCursor, SetCursor, ListCursors and DeleteCursor through `GoetheClient`.
@Suite(.timeLimit(.minutes(1)))
struct RPCCursorTests {
  static let ids: [UInt64] = (1...5).map { RPCClock.base + UInt64($0) * 10 * RPCClock.second }

  /// A server whose topic "orders" holds five events with the ids `ids`.
  private func withOrders(_ body: @escaping @Sendable (GoetheClient, RPCClock) async throws -> Void) async throws {
    let clock = RPCClock()
    try await withRPCServer(clock: clock) { server in
      try await server.withClient { client in
        let ids = try await client.appendEach(Self.ids.map { (time: $0, payload: "\($0)") }, to: "orders", clock: clock)
        try #require(ids == Self.ids)
        clock.set(Self.ids[4] + 100 * RPCClock.second)
        try await body(client, clock)
      }
    }
  }

  struct SetCase: Sendable, CustomTestStringConvertible {
    var name: String
    var position: Position
    /// The index of the event the cursor lands on; nil for "before the first event".
    var landsOn: Int?
    var testDescription: String { name }
  }

  static let setCases: [SetCase] = [
    SetCase(name: "an existing event", position: .event(ids[1]), landsOn: 1),
    SetCase(
      name: "an id between events, which resolves to the following event", position: .event(ids[1] + 1), landsOn: 2),
    SetCase(name: "an id past the head, which resolves to the newest event", position: .event(ids[4] + 1), landsOn: 4),
    SetCase(name: "the time of an event, which resumes with that event", position: .time(ids[3]), landsOn: 2),
    SetCase(name: "a time between events", position: .time(ids[3] - 1), landsOn: 2),
    SetCase(name: "a time before the first event", position: .time(1), landsOn: nil),
    SetCase(name: "a time after the head", position: .time(ids[4] + 1), landsOn: 4),
    SetCase(name: "the beginning", position: .beginning, landsOn: nil),
    SetCase(name: "the end", position: .end, landsOn: 4),
  ]

  @Test(arguments: setCases)
  func setCursorTo(_ setCase: SetCase) async throws {
    try await withOrders { client, clock in
      let set = try await client.setCursor(topic: "orders", consumer: "billing", to: setCase.position)
      let expectedID = setCase.landsOn.map { Self.ids[$0] } ?? 0
      let expectedSequence = setCase.landsOn.map { UInt64($0 + 1) } ?? 0
      #expect(set.topic == "orders")
      #expect(set.consumer == "billing")
      #expect(set.eventID == expectedID)
      #expect(set.sequence == expectedSequence)
      #expect(set.lag == 5 - expectedSequence)
      #expect(set.updated == clock.now)
      #expect(try await client.cursor(topic: "orders", consumer: "billing") == set)

      let resumed = try await client.collect("orders", from: .afterConsumer("billing")).events
      #expect(resumed.map(\.id) == Array(Self.ids[(setCase.landsOn.map { $0 + 1 } ?? 0)...]))
    }
  }

  @Test func cursorsAreListedPerTopicAndForAll() async throws {
    try await withOrders { client, _ in
      _ = try await client.append(RPCTest.data("x"), to: "audit")
      _ = try await client.setCursor(topic: "orders", consumer: "zeta", to: .event(Self.ids[0]))
      _ = try await client.setCursor(topic: "orders", consumer: "alpha", to: .end)
      _ = try await client.setCursor(topic: "audit", consumer: "mallory", to: .beginning)

      let orders = try await client.cursors(topic: "orders")
      #expect(orders.map(\.consumer) == ["alpha", "zeta"])
      #expect(orders.map(\.lag) == [0, 4])
      let all = try await client.cursors()
      #expect(all.map { "\($0.topic)/\($0.consumer)" } == ["audit/mallory", "orders/alpha", "orders/zeta"])
      #expect(all.first?.lag == 1)
      #expect(try await client.cursors(topic: "audit").map(\.consumer) == ["mallory"])
    }
  }

  @Test func deletedCursorsAreGone() async throws {
    try await withOrders { client, _ in
      _ = try await client.setCursor(topic: "orders", consumer: "billing", to: .event(Self.ids[2]))
      _ = try await client.setCursor(topic: "orders", consumer: "audit", to: .event(Self.ids[0]))
      try await client.deleteCursor(topic: "orders", consumer: "billing")

      let gone = await #expect(throws: GoetheError.self) {
        try await client.cursor(topic: "orders", consumer: "billing")
      }
      #expect(gone?.code == .notFound)
      #expect(try await client.cursors(topic: "orders").map(\.consumer) == ["audit"])
      #expect(try await client.collect("orders", from: .afterConsumer("billing")).events.count == 5)
      let again = await #expect(throws: GoetheError.self) {
        try await client.deleteCursor(topic: "orders", consumer: "billing")
      }
      #expect(again?.code == .notFound)
    }
  }

  @Test func cursorsMoveBackwardsToo() async throws {
    try await withOrders { client, _ in
      _ = try await client.setCursor(topic: "orders", consumer: "billing", to: .end)
      let moved = try await client.setCursor(topic: "orders", consumer: "billing", to: .event(Self.ids[0]))
      #expect(moved.sequence == 1)
      #expect(try await client.cursor(topic: "orders", consumer: "billing").eventID == Self.ids[0])
    }
  }
}
