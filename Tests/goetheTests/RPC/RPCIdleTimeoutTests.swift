import Foundation
import GoetheKit
import Testing

@testable import goethe

/// The idle timeout closes connections without calls, never one with a call open.
@Suite(.timeLimit(.minutes(1)))
struct RPCIdleTimeoutTests {
  @Test func aFollowOpenLongerThanTheIdleTimeoutKeepsItsConnection() async throws {
    // Long enough that a loaded machine opens the connection and starts the call within it: a
    // call that starts only after the connection was drained is refused, which is not tested here.
    let settings = TransportSettings(idleTimeout: .seconds(2))
    try await withRPCServer(transport: settings) { server in
      try await server.withClient { client in _ = try await client.createTopic("quiet") }
      let delivered = try await server.withClient { client in
        try await client.subscribe("quiet", from: .position(.end), follow: true) { subscription in
          // Time passing with the call open is what is tested: two and a half idle timeouts.
          try await Task.sleep(for: .seconds(5))
          try await server.withClient { producer in _ = try await producer.append(RPCTest.data("late"), to: "quiet") }
          for try await batch in subscription { return RPCTest.texts(batch) }
          return []
        }
      }
      #expect(delivered == ["late"])
    }
  }
}
