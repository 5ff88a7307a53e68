import Foundation
import GoetheKit
import Synchronization
import Testing

/// PurgeTopic through `GoetheClient`: the position is taken when the purge begins.
@Suite(.timeLimit(.minutes(1)))
struct RPCPurgeTests {
  /// A purge up to `end` of a topic that takes several trims removes what the topic held when it
  /// began, while a producer keeps appending: it ends, and what was appended meanwhile stays.
  @Test func aPurgeToTheEndEndsAndLeavesWhatIsAppendedMeanwhile() async throws {
    try await withRPCServer { server in
      try await server.withClient { client in
        for batch in 0..<25 {
          _ = try await client.append((0..<1_000).map { Data("old \(batch)-\($0)".utf8) }, to: "t")
        }
        let done = Atomic(false)
        let purging = Task {
          defer { done.store(true, ordering: .releasing) }
          return try await client.purgeTopic("t", before: .end)
        }
        // Its first trim shows that the purge has taken its position: every event appended from
        // then on must stay.
        try await eventually("the purge has begun") {
          try await client.describeTopic("t").firstSequence > 1 || done.load(ordering: .acquiring)
        }
        let deadline = ContinuousClock.now + .seconds(20)
        var appended = 0
        while !done.load(ordering: .acquiring), ContinuousClock.now < deadline {
          _ = try await client.append(RPCTest.data("late \(appended)"), to: "t")
          appended += 1
        }
        let endedFirst = done.load(ordering: .acquiring)
        _ = try await purging.value
        #expect(endedFirst, "the purge went on for as long as events were appended (\(appended))")

        let kept = try await client.subscribe("t") { subscription in
          var texts: [String] = []
          for try await batch in subscription { texts += RPCTest.texts(batch) }
          return texts
        }
        #expect(kept.allSatisfy { $0.hasPrefix("late ") }, "an event from before the purge stayed")
        #expect(kept.count == appended, "\(appended - kept.count) of \(appended) events appended during the purge went")
      }
    }
  }
}
