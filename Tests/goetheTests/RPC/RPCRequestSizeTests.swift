import Foundation
import GRPCCore
import GoetheKit
import NIOCore
import Testing

@testable import goethe

/// Requests over the transport's size limit are refused with RESOURCE_EXHAUSTED naming the limit,
/// marked as Goethe's own refusal, and the connection goes on serving.
@Suite(.timeLimit(.minutes(1)))
struct RPCRequestSizeTests {
  static let settings = TransportSettings(maxRequestSize: 64 << 10)

  @Test func aBatchOverTheRequestLimitIsRefusedAndNothingIsStored() async throws {
    try await withRPCServer(transport: Self.settings) { server in
      try await server.withStub { stub in
        let request = Io_Typusomega_Goethe_AppendRequest.with {
          $0.topic = "blobs"
          $0.payloads = Array(repeating: Data(repeating: 7, count: 16 << 10), count: 5)
        }
        let error = await #expect(throws: RPCError.self) { try await stub.append(request) }
        #expect(error?.code == .resourceExhausted)
        #expect(error?.message.contains("over the limit of 64 KiB") == true, "\(String(describing: error))")
        #expect(error?.metadata[stringValues: GoetheError.originKey].first(where: { _ in true }) == "too large")

        let produced = try await stub.produce("small", to: "blobs")
        #expect(produced.topic.id == "blobs", "the connection still serves")
      }
      try await server.withClient { (client) async throws in
        #expect(try await client.describeTopic("blobs").headSequence == 1)
      }
    }
  }

  @Test func aStreamedMessageOverTheLimitEndsTheConversation() async throws {
    try await withRPCServer(transport: Self.settings) { server in
      try await server.withStub { stub in
        _ = try await stub.produce("a", to: "orders")
        _ = try await stub.produce("b", to: "orders")
        let error = await #expect(throws: RPCError.self) {
          try await stub.conversation { conversation in
            conversation.open(topic: "orders", consumer: "worker")
            var reply = try #require(try await conversation.receive())
            reply.consumer = String(repeating: "w", count: 100 << 10)
            conversation.commit(reply)
            return try await conversation.receive()
          }
        }
        #expect(error?.code == .resourceExhausted, "\(String(describing: error))")
      }
    }
  }
}

/// gRPC's length-prefixed messages, however the DATA frames cut them.
@Suite struct GRPCMessageDeframerTests {
  static func message(_ length: Int, fill: UInt8 = 1) -> [UInt8] {
    [0, UInt8(length >> 24 & 0xff), UInt8(length >> 16 & 0xff), UInt8(length >> 8 & 0xff), UInt8(length & 0xff)]
      + [UInt8](repeating: fill, count: length)
  }

  @Test func cutsMessagesAcrossAnySplit() throws {
    let stream = Self.message(3, fill: 1) + Self.message(0) + Self.message(20, fill: 2)
    for cut in 0...stream.count {
      var deframer = GRPCMessageDeframer(limit: 100)
      let messages = try deframer.process(ByteBuffer(bytes: stream[..<cut]))
        + deframer.process(ByteBuffer(bytes: stream[cut...]))
      #expect(messages.map { Array($0.readableBytesView) } == [[1, 1, 1], [], [UInt8](repeating: 2, count: 20)])
      #expect(deframer.isEmpty)
    }
  }

  @Test func refusesAMessageOverTheLimitFromItsPrefixAlone() {
    var deframer = GRPCMessageDeframer(limit: 64)
    #expect(throws: GRPCMessageDeframer.Failure.tooLarge(length: 1000)) {
      try deframer.process(ByteBuffer(bytes: Self.message(64) + Array(Self.message(1000).prefix(5))))
    }
  }

  @Test func refusesCompressedMessages() {
    var deframer = GRPCMessageDeframer(limit: 64)
    var compressed = Self.message(2)
    compressed[0] = 1
    #expect(throws: GRPCMessageDeframer.Failure.compressed) { try deframer.process(ByteBuffer(bytes: compressed)) }
  }

  @Test func holdsAPartialMessage() throws {
    var deframer = GRPCMessageDeframer(limit: 64)
    #expect(try deframer.process(ByteBuffer(bytes: Self.message(10).prefix(8))).isEmpty)
    #expect(!deframer.isEmpty)
  }

  @Test func percentEncodingKeepsPrintableASCII() {
    #expect(GRPCStatusTrailers.percentEncoded("100% ok\nü") == "100%25 ok%0A%C3%BC")
  }
}
