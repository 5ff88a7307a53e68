import Foundation
import GoetheKit
import Testing

/// Subscribe with `follow`: live delivery of new commits, and ending by cancellation.
@Suite(.timeLimit(.minutes(1)))
struct RPCFollowTests {
  @Test(arguments: Durability.allCases)
  func followReceivesEventsAppendedAfterItStarted(durability: Durability) async throws {
    try await withRPCServer(durability: durability) { server in
      try await server.withClient { client in
        _ = try await client.append(RPCTest.data("old"), to: "orders")
        let (started, startedSignal) = AsyncStream.makeStream(of: StartInfo.self)

        let received = try await withThrowingTaskGroup(of: [StoredEvent].self) { group in
          group.addTask {
            try await client.subscribe("orders", from: .position(.end), follow: true) { subscription in
              startedSignal.yield(subscription.start)
              var events: [StoredEvent] = []
              for try await batch in subscription {
                events += batch
                if events.count >= 3 { break }
              }
              return events
            }
          }
          var starts = started.makeAsyncIterator()
          #expect(await starts.next() == StartInfo(resolution: .waiting))
          _ = try await client.append(RPCTest.data("new 1"), to: "orders")
          _ = try await client.append(RPCTest.data("new 2", "new 3"), to: "orders")
          return try await group.next() ?? []
        }
        #expect(RPCTest.texts(received) == ["new 1", "new 2", "new 3"])
        #expect(received.map(\.sequence) == [2, 3, 4])
      }
    }
  }

  @Test func followDeliversStoredEventsThenNewOnes() async throws {
    try await withRPCServer { server in
      try await server.withClient { client in
        _ = try await client.append(RPCTest.data("a", "b"), to: "orders")
        let (firstBatch, firstBatchSignal) = AsyncStream.makeStream(of: [String].self)
        let received = try await withThrowingTaskGroup(of: [StoredEvent].self) { group in
          group.addTask {
            try await client.subscribe("orders", follow: true) { subscription in
              var events: [StoredEvent] = []
              for try await batch in subscription {
                if events.isEmpty { firstBatchSignal.yield(RPCTest.texts(batch)) }
                events += batch
                if events.count >= 3 { break }
              }
              return events
            }
          }
          var batches = firstBatch.makeAsyncIterator()
          #expect(await batches.next() == ["a", "b"])
          _ = try await client.append(RPCTest.data("c"), to: "orders")
          return try await group.next() ?? []
        }
        #expect(RPCTest.texts(received) == ["a", "b", "c"])
      }
    }
  }

  @Test func followWithALimitEndsAfterTheLimit() async throws {
    try await withRPCServer { server in
      try await server.withClient { client in
        _ = try await client.append(RPCTest.data("a"), to: "orders")
        let (started, startedSignal) = AsyncStream.makeStream(of: Void.self)
        let received = try await withThrowingTaskGroup(of: [StoredEvent].self) { group in
          group.addTask {
            try await client.subscribe("orders", limit: 2, follow: true) { subscription in
              startedSignal.yield()
              var events: [StoredEvent] = []
              for try await batch in subscription { events += batch }
              return events
            }
          }
          var starts = started.makeAsyncIterator()
          await starts.next()
          _ = try await client.append(RPCTest.data("b", "c"), to: "orders")
          return try await group.next() ?? []
        }
        #expect(RPCTest.texts(received) == ["a", "b"])
      }
    }
  }

  @Test func cancellingTheReaderEndsAFollowPromptly() async throws {
    try await withRPCServer { server in
      try await server.withClient { client in
        _ = try await client.createTopic("orders")
        let (started, startedSignal) = AsyncStream.makeStream(of: Void.self)
        let clock = ContinuousClock()
        var cancelled = clock.now
        let outcome = await withTaskGroup(of: String?.self) { group in
          group.addTask {
            do {
              try await client.subscribe("orders", follow: true) { subscription in
                startedSignal.yield()
                for try await _ in subscription {}
              }
              return nil
            } catch let error as GoetheError {
              return error.code == .cancelled ? nil : "ended with \(error.code): \(error)"
            } catch {
              return "ended with \(error)"
            }
          }
          var starts = started.makeAsyncIterator()
          await starts.next()
          cancelled = clock.now
          group.cancelAll()
          return await group.next() ?? nil
        }
        #expect(cancelled.duration(to: clock.now) < .seconds(5))
        #expect(outcome == nil, "a cancelled subscription ends quietly or as cancelled")

        // The server is not stuck on the abandoned stream: it serves the next call on the same connection.
        #expect(try await client.append(RPCTest.data("after"), to: "orders").firstSequence == 1)
      }
    }
  }

  /// Every later commit gets an id (its commit time) after the clock's now, so once the clock is past
  /// a time bound no event can still fall within it: the stream has delivered all it ever will.
  @Test func followWithATimeBoundThatHasPassedEndsAfterTheLastEventBeforeIt() async throws {
    let clock = RPCClock()
    let t = RPCClock.base
    try await withRPCServer(clock: clock) { server in
      try await server.withClient { client in
        _ = try await client.appendEach(
          [(t + 10 * RPCClock.second, "a"), (t + 20 * RPCClock.second, "b")], to: "orders", clock: clock)
        clock.set(t + 60 * RPCClock.second)
        let delivered = await withTaskGroup(of: [String]?.self) { group in
          group.addTask {
            try? await client.subscribe("orders", to: .time(t + 30 * RPCClock.second), follow: true) { subscription in
              var texts: [String] = []
              for try await batch in subscription { texts += RPCTest.texts(batch) }
              return texts
            }
          }
          group.addTask {
            try? await Task.sleep(for: .seconds(10))  // a deadline, not a synchronisation
            return nil
          }
          let first = await group.next() ?? nil
          group.cancelAll()
          return first
        }
        #expect(delivered == ["a", "b"], "the stream was still open after 10 s")
      }
    }
  }
}
