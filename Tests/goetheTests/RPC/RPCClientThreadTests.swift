import Foundation
import GoetheKit
import NIOPosix
import Synchronization
import Testing

@testable import goethe

/// Where a `GoetheClient`'s calls run: a request-response call on the event loop of its
/// connection, so that its request is written and its answer read without a switch between
/// threads; the body of a stream, which is the caller's code, never on an event loop.
@Suite(.timeLimit(.minutes(1)))
struct RPCClientThreadTests {
  @Test
  func requestResponseCallsRunOnTheirConnectionsEventLoopAndAStreamsBodyDoesNot() async throws {
    try await withRPCServer { server in
      // The event loop each finished call's trace was reported on, by method; nil for none.
      let loops = Mutex<[String: [ObjectIdentifier?]]>([:])
      let trace: @Sendable (CallRecord) -> Void = { record in
        let loop = MultiThreadedEventLoopGroup.currentEventLoop.map { ObjectIdentifier($0) }
        loops.withLock { $0[record.method, default: []].append(loop) }
      }
      let bodyOnLoop = try await GoetheClient.withConnection(to: server.address, trace: trace) { client in
        _ = try await client.append([Data("one".utf8)], to: "threads")
        _ = try await client.serverInfo()
        _ = try await client.append([Data("two".utf8)], to: "threads")
        return try await client.subscribe("threads", limit: 2) { subscription in
          for try await _ in subscription {}
          return MultiThreadedEventLoopGroup.currentEventLoop != nil
        }
      }
      let unary = loops.withLock { recorded in
        recorded.filter { $0.key.hasSuffix("/Append") || $0.key.hasSuffix("/ServerInfo") }.values.flatMap { $0 }
      }
      #expect(unary.count == 3)
      #expect(unary.allSatisfy { $0 != nil })
      #expect(Set(unary).count == 1)
      #expect(!bodyOnLoop)
    }
  }
}
