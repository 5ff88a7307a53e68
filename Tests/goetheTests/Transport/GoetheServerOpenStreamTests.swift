import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import GoetheKit
import NIOCore
import SwiftProtobuf
import Testing

@testable import goethe

/// A graceful shutdown is not held by a client that keeps a stream's request side open: the
/// server ends the requests of streaming calls, and their handlers end.
///
/// The server is the daemon's own, on a loopback port, with one bidirectional method in the place
/// of `AppendStream` that answers each request and ends only when its requests end; the client is
/// grpc-swift's.
@Suite(.timeLimit(.minutes(1)))
struct GoetheServerOpenStreamTests {
  typealias Request = Io_Typusomega_Goethe_AppendRequest
  typealias Response = Io_Typusomega_Goethe_AppendResponse

  struct AnsweringService: RPCService {
    var methods: [String: RPCMethod] {
      [
        "/io.typusomega.goethe.Goethe/AppendStream": .bidirectional {
          (requests: RequestStream<Request>, responses: ResponseWriter<Response>) in
          for try await request in requests {
            try await responses.write(.with { $0.count = UInt32(request.payloads.count) })
          }
        }
      ]
    }
  }

  typealias Stub = Io_Typusomega_Goethe_Goethe.Client<HTTP2ClientTransport.Posix>

  /// Serves ``AnsweringService`` with `settings` while `body` runs with a client of it; the server
  /// must have finished serving (shut down by `body`, or afterwards) before this returns.
  static func withServer<Result: Sendable>(
    _ settings: TransportSettings, _ body: (GoetheServer, Stub) async throws -> Result
  ) async throws -> Result {
    let server = GoetheServer(
      socket: try ListeningSocket(binding: ServerAddress(host: "127.0.0.1", port: 0)),
      services: [AnsweringService()], settings: settings, tls: nil)
    return try await withThrowingTaskGroup(of: Void.self) { group in
      group.addTask { try await server.serve() }
      let port = try #require(await server.listeningAddress?.port)
      let transport = try HTTP2ClientTransport.Posix(
        target: .ipv4(address: "127.0.0.1", port: port), transportSecurity: .plaintext)
      let result = try await withGRPCClient(transport: transport) { client in
        try await body(server, Stub(wrapping: client))
      }
      server.beginGracefulShutdown()
      try await group.waitForAll()
      return result
    }
  }

  /// The shutdown timeout is far longer than the test's time limit, so only the end of the
  /// requests can let the shutdown finish.
  @Test func aStreamWhoseClientKeepsSendingEndsWithUnavailable() async throws {
    var settings = TransportSettings()
    settings.shutdownTimeout = .seconds(3600)
    let ending = try await Self.withServer(settings) { server, stub in
      let (held, hold) = AsyncStream.makeStream(of: Never.self)
      defer { hold.finish() }
      return try await stub.appendStream(
        requestProducer: { writer in
          try await writer.write(.with { $0.payloads = [Data("a".utf8)] })
          // A producer waiting for its next input: the request side stays open.
          for await _ in held {}
        },
        onResponse: { response in
          var answers = response.messages.makeAsyncIterator()
          let first = try await answers.next()
          #expect(first?.count == 1)
          server.beginGracefulShutdown()
          do {
            while try await answers.next() != nil {}
            return nil as RPCError?
          } catch let error as RPCError {
            return error
          }
        })
    }
    let error = try #require(ending, "the stream ended without a status")
    #expect(error.code == .unavailable)
    #expect(error.message.contains("shutting down"))
  }
}
