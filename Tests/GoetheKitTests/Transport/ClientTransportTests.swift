import GRPCCore
import Synchronization
import Testing

@testable import GoetheKit

/// GoetheKit's gRPC transport against grpc-swift's own server on a loopback port: what a gRPC
/// client owes any server, beyond Goethe's (whose calls the rest of the tests make through it).
@Suite(.timeLimit(.minutes(1))) struct ClientTransportTests {
  /// Runs `body` with a client of a running ``EchoServer``.
  private static func withClient<Result: Sendable>(
    _ body: (GRPCClient<GoetheClientTransport>, EchoServer) async throws -> Result
  ) async throws -> Result {
    let server = EchoServer()
    return try await server.serve { port in
      let transport = try GoetheClientTransport(target: ServerAddress(host: "127.0.0.1", port: port), tls: nil)
      return try await withGRPCClient(transport: transport) { client in try await body(client, server) }
    }
  }

  private static func unary(
    _ client: GRPCClient<GoetheClientTransport>, _ method: String, _ message: [UInt8], metadata: Metadata = [:]
  ) async throws -> ClientResponse<[UInt8]> {
    try await client.unary(
      request: ClientRequest(message: message, metadata: metadata), descriptor: EchoServer.method(method),
      serializer: RawBytes(), deserializer: RawBytes(), options: .defaults
    ) { $0 }
  }

  @Test func aUnaryCallCarriesItsMessageHeadersAndTrailers() async throws {
    try await Self.withClient { client, _ in
      var metadata = Metadata()
      metadata.addString("hello", forKey: "x-echo")
      let response = try await Self.unary(client, "Echo", Array("payload".utf8), metadata: metadata)
      #expect(try response.message == Array("payload".utf8))
      #expect(Array(response.metadata[stringValues: "x-echo"]) == ["hello"])
      #expect(Array(response.trailingMetadata[binaryValues: "x-trailer-bin"]) == [Array("payload".utf8)])
    }
  }

  @Test func aFailedCallKeepsItsCodeMessageAndTrailers() async throws {
    try await Self.withClient { client, _ in
      let error = try await #require(throws: RPCError.self) {
        try await Self.unary(client, "Echo", Array("fail".utf8)).message
      }
      #expect(error.code == .failedPrecondition)
      #expect(error.message == EchoServer.failureMessage)
      #expect(Array(error.metadata[stringValues: "x-reason"]) == ["why"])
    }
  }

  @Test func metadataHTTP2ForbidsFailsTheCallAndNotTheConnection() async throws {
    try await Self.withClient { client, _ in
      var metadata = Metadata()
      metadata.addString("close", forKey: "connection")
      let error = try await #require(throws: RPCError.self) {
        try await Self.unary(client, "Echo", Array("payload".utf8), metadata: metadata).message
      }
      #expect(error.code == .internalError, "not refused: sending it again could not help")
      #expect(error.message.hasPrefix("the request's headers could not be sent"))
      #expect(try await Self.unary(client, "Echo", Array("next".utf8)).message == Array("next".utf8))
    }
  }

  @Test func manyCallsShareTheConnectionAtOnce() async throws {
    try await Self.withClient { client, _ in
      try await withThrowingTaskGroup(of: Void.self) { group in
        for index in 0..<200 {
          group.addTask {
            let message = Array("call \(index)".utf8)
            let answer = try await Self.unary(client, "Echo", message).message
            #expect(answer == message)
          }
        }
        try await group.waitForAll()
      }
    }
  }

  /// 24 MiB in 384 messages: three times the flow-control window, so the server waits on the
  /// client's window updates; every message arrives, in order.
  @Test func aLongResponseStreamArrivesWhole() async throws {
    try await Self.withClient { client, _ in
      let (count, size) = (384, 64 << 10)
      let received = try await Self.expand(client, count: count, size: size) { messages in
        var index = 0
        for try await message in messages {
          #expect(message.count == size && message.allSatisfy { $0 == UInt8(index % 256) })
          index += 1
        }
        return index
      }
      #expect(received == count)
    }
  }

  @Test func aRequestStreamArrivesWholeAndInOrderOfItsEnd() async throws {
    try await Self.withClient { client, _ in
      let answer = try await client.clientStreaming(
        request: StreamingClientRequest(of: [UInt8].self) { writer in
          for index in 0..<1000 { try await writer.write([UInt8](repeating: UInt8(index % 256), count: 1000)) }
        }, descriptor: EchoServer.method("Collect"), serializer: RawBytes(), deserializer: RawBytes(),
        options: .defaults
      ) { try $0.message }
      #expect(String(decoding: answer, as: UTF8.self) == "1000 1000000")
    }
  }

  /// Each message goes out when written: a conversation in lock-step does not stall.
  @Test func aBidirectionalCallTakesTurns() async throws {
    try await Self.withClient { client, _ in
      let (toServer, fromCaller) = AsyncStream.makeStream(of: [UInt8].self)
      let turns = try await client.bidirectionalStreaming(
        request: StreamingClientRequest(of: [UInt8].self) { writer in
          for await message in toServer { try await writer.write(message) }
        }, descriptor: EchoServer.method("Chat"), serializer: RawBytes(), deserializer: RawBytes(),
        options: .defaults
      ) { response in
        var answers = response.messages.makeAsyncIterator()
        for turn in 0..<100 {
          let message = Array("turn \(turn)".utf8)
          fromCaller.yield(message)
          let answer = try await answers.next()
          #expect(answer == message)
        }
        fromCaller.finish()
        let end = try await answers.next()
        #expect(end == nil)
        return 100
      }
      #expect(turns == 100)
    }
  }

  @Test func aCallPastItsDeadlineFailsAndTheServerIsTold() async throws {
    try await Self.withClient { client, server in
      _ = try await Self.unary(client, "Echo", []).message  // connected, so the call goes out at once
      let error = try await #require(throws: RPCError.self) {
        try await CallDeadline.$current.withValue(.now + .seconds(1)) {
          try await Self.unary(client, "Hold", []).message
        }
      }
      #expect(error.code == .deadlineExceeded)
      // The server is told of every call it got (on a machine so loaded that the call did not
      // even leave before its deadline, it got none).
      try await waitUntil { server.cancelled.load(ordering: .relaxed) == server.holding.load(ordering: .relaxed) }
      #expect(server.holding.load(ordering: .relaxed) <= 1)
    }
  }

  @Test func aCallerThatStopsReadingCancelsTheCall() async throws {
    try await Self.withClient { client, server in
      let task = Task {
        try await Self.unary(client, "Hold", []).message
      }
      try await waitUntil { server.holding.load(ordering: .relaxed) == 1 }
      task.cancel()
      await #expect(throws: (any Error).self) { try await task.value }
      try await waitUntil { server.cancelled.load(ordering: .relaxed) == 1 }
    }
  }

  /// A server that shuts down (GOAWAY, then the connection closes) and comes back on the same
  /// address costs the client nothing but a new connection for its next call.
  @Test func aCallAfterTheServerCameBackConnectsAgain() async throws {
    let (transport, client, connections) = try await EchoServer().serve { port in
      let transport = try GoetheClientTransport(target: ServerAddress(host: "127.0.0.1", port: port), tls: nil)
      let client = GRPCClient(transport: transport)
      let connections = Task { try await client.runConnections() }
      _ = try await Self.unary(client, "Peer", []).message
      #expect(transport.hasReadyConnection)
      return (transport, client, connections)
    }
    defer {
      client.beginGracefulShutdown()
      connections.cancel()
    }
    try await waitUntil { !transport.hasReadyConnection }
    try await EchoServer().serve(port: transport.target.port) { _ in
      let peer = try await Self.unary(client, "Peer", []).message
      #expect(String(decoding: peer, as: UTF8.self).hasPrefix("ipv4:127.0.0.1:"))
    }
  }

  @Test func aServerThatIsNotThereFailsTheCallAtOnce() async throws {
    let port = try await EchoServer().serve { $0 }  // a port that was free a moment ago
    let transport = try GoetheClientTransport(target: ServerAddress(host: "127.0.0.1", port: port), tls: nil)
    try await withGRPCClient(transport: transport) { client in
      let error = try await #require(throws: RPCError.self) { try await Self.unary(client, "Echo", []).message }
      #expect(error.code == .unavailable)
      #expect(error.neverConnected)
      #expect(error.transportReason == "connection refused")
    }
  }

  private static func expand<Result: Sendable>(
    _ client: GRPCClient<GoetheClientTransport>, count: Int, size: Int,
    _ body: @escaping @Sendable (RPCAsyncSequence<[UInt8], any Error>) async throws -> Result
  ) async throws -> Result {
    let shape = [count, size].flatMap { value in (0..<4).reversed().map { UInt8(value >> ($0 * 8) & 0xff) } }
    return try await client.serverStreaming(
      request: ClientRequest(message: shape), descriptor: EchoServer.method("Expand"), serializer: RawBytes(),
      deserializer: RawBytes(), options: .defaults
    ) { response in try await body(response.messages) }
  }
}

/// Waits until `condition` holds, for ten seconds at most.
func waitUntil(_ condition: () -> Bool) async throws {
  let deadline = ContinuousClock.now + .seconds(10)
  while !condition() {
    guard ContinuousClock.now < deadline else {
      throw RPCError(code: .deadlineExceeded, message: "condition never held")
    }
    try await Task.sleep(for: .milliseconds(10))
  }
}
