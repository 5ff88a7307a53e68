import Foundation
import GRPCCore
import GRPCProtobuf
import GoetheKit
import SwiftProtobuf
import Testing

/// A method that takes one request refuses a call that sends another number of them, as soon as
/// the second arrives or the requests end without one.
@Suite(.timeLimit(.minutes(1)))
struct RPCRequestCountTests {
  typealias AppendRequest = Io_Typusomega_Goethe_AppendRequest
  typealias AppendResponse = Io_Typusomega_Goethe_AppendResponse

  /// Calls the unary Append method as a stream of `count` requests.
  static func append(requests count: Int, on server: RPCServer) async throws -> RPCError? {
    try await server.withRawClient { client in
      await #expect(throws: RPCError.self) {
        let request = StreamingClientRequest<AppendRequest>(
          producer: { writer in
            for _ in 0..<count {
              try await writer.write(
                .with {
                  $0.topic = "orders"
                  $0.payloads = [Data("x".utf8)]
                })
            }
          })
        try await client.bidirectionalStreaming(
          request: request, descriptor: Io_Typusomega_Goethe_Goethe.Method.Append.descriptor,
          serializer: ProtobufSerializer<AppendRequest>(), deserializer: ProtobufDeserializer<AppendResponse>(),
          options: .defaults
        ) { response in
          for try await _ in response.messages {}
        }
      }
    }
  }

  @Test(arguments: [0, 2, 50])
  func aUnaryMethodRefusesAnyOtherNumberOfRequests(count: Int) async throws {
    try await withRPCServer { server in
      let error = try await Self.append(requests: count, on: server)
      #expect(error?.code == .internalError, "\(String(describing: error))")
      #expect(error?.message.hasPrefix("expected one request message") == true, "\(String(describing: error))")
      try await server.withClient { (client) async throws in
        #expect(try await client.topics().isEmpty, "nothing was appended")
      }
    }
  }
}
