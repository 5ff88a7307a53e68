import GRPCCore
import GRPCNIOTransportHTTP2
import Synchronization

/// A gRPC server of another implementation than Goethe's own (grpc-swift's `GRPCServer` with its
/// HTTP/2 transport), on a free loopback port, serving raw bytes, for GoetheKit's transport to be
/// tried against.
///
/// - `Echo`: answers the request, its `x-echo` header as the answer's header and a trailer
///   `x-trailer-bin` with the request's bytes; a request that begins with "fail" fails with
///   FAILED_PRECONDITION, a message outside ASCII, and a trailer.
/// - `Expand`: the request is a count N and a size S (two big-endian UInt32); answers N messages of
///   S bytes, the i-th filled with i % 256, and counts them in ``sent``.
/// - `Collect`: reads every message and answers their count and total size.
/// - `Chat`: answers each message as it comes.
/// - `Peer`: answers the client's address as the server sees it.
/// - `Hold`: never answers; counts the calls in ``holding``, and in ``cancelled`` those gRPC
///   cancelled.
final class EchoServer: Sendable {
  static let service = "goethe.test.Echo"
  static let failureMessage = "refusé: 100% sure"

  let sent = Atomic<Int>(0)
  let holding = Atomic<Int>(0)
  let cancelled = Atomic<Int>(0)

  static func method(_ name: String) -> MethodDescriptor {
    MethodDescriptor(fullyQualifiedService: service, method: name)
  }

  /// Serves while `body` runs, on `port` (by default a free one); `body` gets the port. Shuts
  /// down gracefully afterwards: GOAWAY, then the connections close.
  ///
  /// The server is left to end by itself, and cancelled only if it has not within
  /// ``shutdownGrace``: cancelling it at once can drop a stream the transport accepted but had not
  /// handed over yet, and swift-nio traps on the unfinished writer of such a stream
  /// (apple/swift-nio#3481).
  func serve<Result: Sendable>(port: Int = 0, _ body: (Int) async throws -> Result) async throws -> Result {
    let server = GRPCServer(
      transport: HTTP2ServerTransport.Posix(
        address: .ipv4(host: "127.0.0.1", port: port), transportSecurity: .plaintext),
      services: [Service(server: self)])
    return try await withThrowingTaskGroup(of: Void.self) { group in
      group.addTask { try await server.serve() }
      let outcome: Swift.Result<Result, any Error>
      do {
        guard let port = try await server.listeningAddress?.ipv4?.port else {
          throw RPCError(code: .internalError, message: "the echo server has no port")
        }
        outcome = .success(try await body(port))
      } catch {
        outcome = .failure(error)
      }
      server.beginGracefulShutdown()
      group.addTask { try await Task.sleep(for: Self.shutdownGrace) }
      _ = try? await group.next()
      group.cancelAll()
      return try outcome.get()
    }
  }

  /// How long a shut-down server may take to finish its calls (a held call ends only when its
  /// client cancels it or goes away).
  static let shutdownGrace = Duration.seconds(5)

  private struct Service: RegistrableRPCService {
    let server: EchoServer

    func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
      let server = self.server
      router.registerHandler(
        forMethod: EchoServer.method("Echo"), deserializer: RawBytes(), serializer: RawBytes()
      ) { request, _ in
        var messages = request.messages.makeAsyncIterator()
        let message = try await messages.next() ?? []
        if message.starts(with: Array("fail".utf8)) {
          var metadata = Metadata()
          metadata.addString("why", forKey: "x-reason")
          throw RPCError(code: .failedPrecondition, message: EchoServer.failureMessage, metadata: metadata)
        }
        var headers = Metadata()
        for value in request.metadata[stringValues: "x-echo"] { headers.addString(value, forKey: "x-echo") }
        return StreamingServerResponse(metadata: headers) { writer in
          try await writer.write(message)
          var trailers = Metadata()
          trailers.addBinary(message, forKey: "x-trailer-bin")
          return trailers
        }
      }
      router.registerHandler(
        forMethod: EchoServer.method("Expand"), deserializer: RawBytes(), serializer: RawBytes()
      ) { request, _ in
        var messages = request.messages.makeAsyncIterator()
        let shape = try await messages.next() ?? []
        let count = shape.prefix(4).reduce(0) { $0 << 8 | Int($1) }
        let size = shape.dropFirst(4).prefix(4).reduce(0) { $0 << 8 | Int($1) }
        return StreamingServerResponse { writer in
          for index in 0..<count {
            try await writer.write([UInt8](repeating: UInt8(index % 256), count: size))
            server.sent.add(1, ordering: .relaxed)
          }
          return [:]
        }
      }
      router.registerHandler(
        forMethod: EchoServer.method("Collect"), deserializer: RawBytes(), serializer: RawBytes()
      ) { request, _ in
        var count = 0
        var bytes = 0
        for try await message in request.messages {
          count += 1
          bytes += message.count
        }
        let answer = Array("\(count) \(bytes)".utf8)
        return StreamingServerResponse { writer in
          try await writer.write(answer)
          return [:]
        }
      }
      router.registerHandler(
        forMethod: EchoServer.method("Chat"), deserializer: RawBytes(), serializer: RawBytes()
      ) { request, _ in
        StreamingServerResponse { writer in
          for try await message in request.messages { try await writer.write(message) }
          return [:]
        }
      }
      router.registerHandler(
        forMethod: EchoServer.method("Peer"), deserializer: RawBytes(), serializer: RawBytes()
      ) { _, context in
        StreamingServerResponse { writer in
          try await writer.write(Array(context.remotePeer.utf8))
          return [:]
        }
      }
      router.registerHandler(
        forMethod: EchoServer.method("Hold"), deserializer: RawBytes(), serializer: RawBytes()
      ) { _, _ in
        StreamingServerResponse { _ in
          server.holding.add(1, ordering: .relaxed)
          let gate = Mutex<(waiter: CheckedContinuation<Void, Never>?, cancelled: Bool)>((nil, false))
          await withRPCCancellationHandler {
            await withCheckedContinuation { waiter in
              let cancelled = gate.withLock { gate in
                if !gate.cancelled { gate.waiter = waiter }
                return gate.cancelled
              }
              if cancelled { waiter.resume() }
            }
          } onCancelRPC: {
            gate.withLock { gate in
              gate.cancelled = true
              return gate.waiter.take()
            }?.resume()
          }
          server.cancelled.add(1, ordering: .relaxed)
          return [:]
        }
      }
    }
  }
}

/// Messages as their bytes.
struct RawBytes: MessageSerializer, MessageDeserializer {
  func serialize<Bytes: GRPCContiguousBytes>(_ message: [UInt8]) throws -> Bytes { Bytes(message) }
  func deserialize<Bytes: GRPCContiguousBytes>(_ bytes: Bytes) throws -> [UInt8] {
    bytes.withUnsafeBytes { Array($0) }
  }
}
