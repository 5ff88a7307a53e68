import Crypto
import Foundation
import GRPCCore
import GoetheKit
import SwiftProtobuf
import Testing

@testable import goethe

/// Every method of the Goethe service against an auth file: each is served to a token with the
/// grant it needs on the topic it names, and refused with PERMISSION_DENIED to a token with any
/// other grant, or with its grant on another topic. Calls without a known token are refused with
/// UNAUTHENTICATED; the health service stays open.
@Suite struct RPCAccessTests {
  typealias Stub = RPCServer.GoetheStub
  /// One call of a method on `topic` with `metadata`; it throws the call's status.
  typealias Call = @Sendable (Stub, String, Metadata) async throws -> Void

  static let tokens = ["producer": "t-produce", "consumer": "t-consume", "describer": "t-describe", "admin": "t-admin"]
  static let grants = [
    "producer": "produce:orders.*", "consumer": "consume:orders.*", "describer": "describe:orders.*", "admin": "admin",
  ]

  static func withServer<Result: Sendable>(
    extra: [String] = [], _ body: (RPCServer, URL) async throws -> Result
  ) async throws -> Result {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("goethe-auth-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: file) }
    let lines = tokens.keys.sorted().map { name in
      "\(name) \(SHA256.hash(data: Data(tokens[name]!.utf8)).map { String(format: "%02x", $0) }.joined()) \(grants[name]!)"
    }
    try (lines + extra).joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
    return try await withRPCServer(authFile: file.path) { server in
      // Topics to act on, made by the admin.
      try await server.withStub { stub in
        for topic in ["orders.a", "payments"] {
          _ = try await stub.append(
            .with {
              $0.topic = topic
              $0.payloads = [Data("x".utf8)]
            }, metadata: bearer("admin"))
          _ = try await stub.setCursor(
            .with {
              $0.topic = topic
              $0.consumer = "c"
              $0.position.beginning = .init()
            }, metadata: bearer("admin"))
        }
      }
      return try await body(server, file)
    }
  }

  static func bearer(_ name: String) -> Metadata { authorization("Bearer \(tokens[name]!)") }

  static func authorization(_ value: String) -> Metadata {
    var metadata = Metadata()
    metadata.addString(value, forKey: "authorization")
    return metadata
  }

  /// The refusal `call` ends with, UNAUTHENTICATED or PERMISSION_DENIED; nil when the call got
  /// past the access check (whatever its outcome then, such as a cursor already deleted).
  static func status(_ call: Call, _ stub: Stub, topic: String, _ metadata: Metadata) async -> RPCError.Code? {
    do {
      try await call(stub, topic, metadata)
      return nil
    } catch let error as RPCError where [.unauthenticated, .permissionDenied].contains(error.code) {
      return error.code
    } catch {
      return nil
    }
  }

  static let calls: [(method: String, access: String, call: Call)] = [
    (
      "Produce", "producer",
      { stub, topic, metadata in _ = try await stub.produce(.with { $0.topic.id = topic }, metadata: metadata) }
    ),
    (
      "Append", "producer",
      { stub, topic, metadata in
        _ = try await stub.append(
          .with {
            $0.topic = topic
            $0.payloads = [Data("y".utf8)]
          }, metadata: metadata)
      }
    ),
    (
      "AppendStream", "producer",
      { stub, topic, metadata in
        try await stub.appendStream(metadata: metadata) { writer in
          try await writer.write(
            .with {
              $0.topic = topic
              $0.payloads = [Data("z".utf8)]
            })
        } onResponse: { response in
          for try await _ in response.messages {}
        }
      }
    ),
    (
      "CreateTopic", "producer",
      { stub, topic, metadata in
        let name = topic + "." + UUID().uuidString.prefix(8).lowercased()
        _ = try await stub.createTopic(.with { $0.topic = name }, metadata: metadata)
      }
    ),
    (
      "SetCursor", "consumer",
      { stub, topic, metadata in
        _ = try await stub.setCursor(
          .with {
            $0.topic = topic
            $0.consumer = "c"
            $0.position.end = .init()
          }, metadata: metadata)
      }
    ),
    (
      "GetCursor", "consumer",
      { stub, topic, metadata in
        _ = try await stub.getCursor(
          .with {
            $0.topic = topic
            $0.consumer = "c"
          }, metadata: metadata)
      }
    ),
    (
      "ListCursors", "consumer",
      { stub, topic, metadata in _ = try await stub.listCursors(.with { $0.topic = topic }, metadata: metadata) }
    ),
    (
      "Subscribe", "consumer",
      { stub, topic, metadata in
        try await stub.subscribe(.with { $0.topic = topic }, metadata: metadata) { response in
          for try await _ in response.messages {}
        }
      }
    ),
    (
      "Consume", "consumer",
      { stub, topic, metadata in
        try await stub.consume(metadata: metadata) { writer in
          try await writer.write(
            .with {
              $0.topic.id = topic
              $0.consumer = "v1"
            })
        } onResponse: { response in
          for try await _ in response.messages { return }
        }
      }
    ),
    (
      "DescribeTopic", "describer",
      { stub, topic, metadata in _ = try await stub.describeTopic(.with { $0.topic = topic }, metadata: metadata) }
    ),
    (
      "TopicStats", "describer",
      { stub, topic, metadata in _ = try await stub.topicStats(.with { $0.topic = topic }, metadata: metadata) }
    ),
    (
      "SharedConsume", "consumer",
      { stub, topic, metadata in
        try await stub.sharedConsume(metadata: metadata) { writer in
          try await writer.write(
            .with {
              $0.join = .with {
                $0.topic = topic; $0.consumer = "shared"
              }
            })
        } onResponse: { response in
          for try await _ in response.messages { return }
        }
      }
    ),
    (
      "DescribeConsumer", "consumer",
      { stub, topic, metadata in
        _ = try await stub.describeConsumer(
          .with {
            $0.topic = topic; $0.consumer = "shared"
          }, metadata: metadata)
      }
    ),
    (
      "ResetConsumer", "consumer",
      { stub, topic, metadata in
        _ = try await stub.resetConsumer(
          .with {
            $0.topic = topic
            $0.consumer = "shared"
            $0.position.end = .init()
          }, metadata: metadata)
      }
    ),
    (
      "DeleteCursor", "consumer",
      { stub, topic, metadata in
        _ = try await stub.deleteCursor(
          .with {
            $0.topic = topic
            $0.consumer = "c"
          }, metadata: metadata)
      }
    ),
  ]

  @Test(arguments: calls.indices)
  func eachMethodNeedsItsGrantOnItsTopic(_ index: Int) async throws {
    let (method, needed, call) = Self.calls[index]
    try await Self.withServer { server, _ in
      try await server.withStub { stub in
        for name in Self.tokens.keys.sorted() {
          let served = await Self.status(call, stub, topic: "orders.a", Self.bearer(name))
          if name == needed || name == "admin" {
            #expect(served == nil, "\(method) as \(name) on orders.a")
          } else {
            #expect(served == .permissionDenied, "\(method) as \(name) on orders.a")
          }
        }
        let elsewhere = await Self.status(call, stub, topic: "payments", Self.bearer(needed))
        #expect(elsewhere == .permissionDenied, "\(method) as \(needed) on payments, which its grant does not cover")
        let anonymous = await Self.status(call, stub, topic: "orders.a", [:])
        #expect(anonymous == .unauthenticated, "\(method) without a token")
      }
    }
  }

  /// Limits, purges and deletions remove events of any topic: they need the admin grant.
  static let adminCalls: [(method: String, call: Call)] = [
    (
      "SetRetention",
      { stub, topic, metadata in
        _ = try await stub.setRetention(
          .with {
            $0.topic = topic
            $0.maxEvents = 10
          }, metadata: metadata)
      }
    ),
    (
      "PurgeTopic",
      { stub, topic, metadata in
        _ = try await stub.purgeTopic(
          .with {
            $0.topic = topic
            $0.before.end = true
          }, metadata: metadata)
      }
    ),
    (
      "DeleteTopic",
      { stub, topic, metadata in _ = try await stub.deleteTopic(.with { $0.topic = topic }, metadata: metadata) }
    ),
  ]

  @Test func removingEventsNeedsTheAdminGrant() async throws {
    try await Self.withServer { server, _ in
      try await server.withStub { stub in
        for (method, call) in Self.adminCalls {
          for name in Self.tokens.keys.sorted() where name != "admin" {
            let refused = await Self.status(call, stub, topic: "orders.a", Self.bearer(name))
            #expect(refused == .permissionDenied, "\(method) as \(name)")
          }
          #expect(
            await Self.status(call, stub, topic: "orders.a", [:]) == .unauthenticated, "\(method) without a token")
          #expect(await Self.status(call, stub, topic: "orders.a", Self.bearer("admin")) == nil, "\(method) as admin")
        }
      }
    }
  }

  @Test func listingsShowOnlyTheTopicsTheGrantCovers() async throws {
    try await Self.withServer { server, _ in
      try await server.withStub { stub in
        let topics = try await stub.listTopics(.init(), metadata: Self.bearer("describer")).topics.map(\.name)
        #expect(topics == ["orders.a"])
        let cursors = try await stub.listCursors(.init(), metadata: Self.bearer("consumer")).cursors.map(\.topic)
        #expect(cursors == ["orders.a"])
        await #expect(throws: RPCError.self) { try await stub.listTopics(.init(), metadata: Self.bearer("producer")) }
        let info = await Self.status(
          { stub, _, metadata in _ = try await stub.serverInfo(.init(), metadata: metadata) }, stub, topic: "",
          Self.bearer("producer"))
        #expect(info == nil, "any known caller may ask for the server's version")
      }
    }
  }

  @Test(arguments: [
    "Basic dXNlcjpwYXNz", "Bearer", "Bearer  ", "Bearer t-admin extra", "t-admin", "Bearer t\u{7f}admin",
  ])
  func aMalformedAuthorizationHeaderIsUnauthenticated(_ header: String) async throws {
    try await Self.withServer { server, _ in
      try await server.withStub { stub in
        do {
          _ = try await stub.listTopics(.init(), metadata: Self.authorization(header))
          Issue.record("served with authorization \(header)")
        } catch let error as RPCError {
          #expect(error.code == .unauthenticated)
          #expect(error.message.contains("not of the form"))
        }
      }
    }
  }

  @Test func aCertificateNameIsNotATokenAndTokensNeverAppearInRefusals() async throws {
    try await Self.withServer(extra: ["billing - produce:billing.*"]) { server, _ in
      try await server.withStub { stub in
        do {
          _ = try await stub.listTopics(.init(), metadata: Self.authorization("Bearer billing"))
          Issue.record("a name is not a token")
        } catch let error as RPCError {
          #expect(error.code == .unauthenticated)
          #expect(!error.message.contains("billing"))
        }
      }
    }
  }

  @Test func theHealthServiceStaysOpen() async throws {
    try await Self.withServer { server, _ in
      let response = try await server.withHealthStub { try await $0.check(.init()) }
      #expect(response.status == .serving)
    }
  }

  @Test func aReloadAppliesTheNewFileAndABrokenOneKeepsTheOld() async throws {
    try await Self.withServer { server, file in
      try await server.withStub { stub in
        let newcomer =
          "auditor \(SHA256.hash(data: Data("t-audit".utf8)).map { String(format: "%02x", $0) }.joined()) admin"
        try newcomer.write(to: file, atomically: true, encoding: .utf8)
        try server.access.reload()
        _ = try await stub.listTopics(.init(), metadata: Self.authorization("Bearer t-audit"))
        await #expect(throws: RPCError.self) { try await stub.listTopics(.init(), metadata: Self.bearer("admin")) }
        try "auditor xyz admin".write(to: file, atomically: true, encoding: .utf8)
        #expect(throws: GoetheError.self) { try server.access.reload() }
        _ = try await stub.listTopics(.init(), metadata: Self.authorization("Bearer t-audit"))
      }
    }
  }
}
