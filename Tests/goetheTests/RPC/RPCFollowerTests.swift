import Foundation
import GRPCCore
import GoetheKit
import SwiftProtobuf
import Testing

@testable import goethe

/// A node that does not lead its cluster refuses every call that writes, naming the leader, and
/// still serves reads; its Leader health service is NOT_SERVING.
@Suite(.timeLimit(.minutes(1)))
struct RPCFollowerTests {
  static let leader = ClusterMember(nodeID: "node-b", address: ServerAddress(host: "10.0.0.2", port: 1337))

  /// The server, with the topic `t` holding one event, made a follower of ``leader``.
  static func withFollower(_ body: (RPCServer) async throws -> Void) async throws {
    try await withRPCServer { server in
      _ = try await server.withClient { try await $0.append([Data("a".utf8)], to: "t") }
      server.role.change(to: .follower(leader: leader))
      server.health.markLeading(false)
      try await body(server)
    }
  }

  static func expectRefused(_ call: () async throws -> Void) async {
    do {
      try await call()
      Issue.record("the write was taken on a follower")
    } catch let error as RPCError {
      #expect(error.code == .unavailable)
      #expect(error.message.contains("write to the leader at 10.0.0.2:1337"), "\(error.message)")
      #expect(error.metadata[stringValues: "goethe-leader"].map { $0 } == ["10.0.0.2:1337"])
      #expect(error.metadata[stringValues: "goethe-refused"].map { $0 } == ["not-leader"], "marked as not done")
    } catch {
      Issue.record("unexpected \(error)")
    }
  }

  @Test func writesAreRefusedWithTheLeadersAddress() async throws {
    try await Self.withFollower { server in
      try await server.withStub { stub in
        await Self.expectRefused {
          _ = try await stub.produce(
            .with {
              $0.topic.id = "t"; $0.payload = Data("x".utf8)
            })
        }
        await Self.expectRefused {
          _ = try await stub.append(
            .with {
              $0.topic = "t"; $0.payloads = [Data("x".utf8)]
            })
        }
        await Self.expectRefused { _ = try await stub.createTopic(.with { $0.topic = "u" }) }
        await Self.expectRefused {
          _ = try await stub.setCursor(
            .with {
              $0.topic = "t"; $0.consumer = "c"; $0.position.beginning = .init()
            })
        }
        await Self.expectRefused {
          _ = try await stub.deleteCursor(
            .with {
              $0.topic = "t"; $0.consumer = "c"
            })
        }
        // A shared consumer's members and what they hold live on the leader.
        await Self.expectRefused {
          _ = try await stub.describeConsumer(
            .with {
              $0.topic = "t"; $0.consumer = "c"
            })
        }
        await Self.expectRefused {
          try await stub.sharedConsume(
            requestProducer: { writer in
              try await writer.write(
                .with {
                  $0.join = .with {
                    $0.topic = "t"; $0.consumer = "c"
                  }
                })
            },
            onResponse: { response in for try await _ in response.messages {} })
        }
      }
      #expect(try server.store.allEvents(in: "t").count == 1, "nothing was written")
    }
  }

  @Test func readsAreServed() async throws {
    try await Self.withFollower { server in
      let events = try await server.withClient { try await $0.collect("t").events }
      #expect(events.map { String(decoding: $0.payload, as: UTF8.self) } == ["a"])
      let (leader, overall) = try await server.withHealthStub { health in
        (
          try await health.check(.with { $0.service = "io.typusomega.goethe.Leader" }).status,
          try await health.check(.with { $0.service = "" }).status
        )
      }
      #expect(leader == .notServing)
      #expect(overall == .serving)
    }
  }
}
