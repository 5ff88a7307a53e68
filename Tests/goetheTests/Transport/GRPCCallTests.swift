import GoetheKit
import NIOCore
import NIOEmbedded
import NIOHPACK
import NIOHTTP2
import Testing

@testable import goethe

/// What a stream answers before any handler runs: requests it cannot serve are refused in
/// gRPC's terms, or HTTP's when they are not gRPC at all.
@Suite struct GRPCCallTests {
  static let path = "/io.typusomega.goethe.Goethe/Produce"

  /// A connection whose only method must never run.
  static func stream() throws -> EmbeddedChannel {
    let channel = EmbeddedChannel()
    let configuration = GRPCCall.Configuration(
      methods: [
        path: .unary { _, _ in
          Issue.record("the handler ran"); return ByteBuffer()
        }
      ],
      maxRequestSize: 1024, executor: EventLoopTaskExecutor(eventLoop: channel.eventLoop), calls: CallTracker(),
      requestMemory: RequestMemory(limit: 1 << 30))
    try channel.pipeline.syncOperations.addHandler(GRPCConnectionHandler(configuration, targetWindow: 1 << 20))
    return channel
  }

  static func request(
    path: String = path, contentType: String = "application/grpc", _ extra: [(String, String)] = []
  )
    -> HTTP2Frame
  {
    var headers: HPACKHeaders = [":method": "POST", ":scheme": "http", ":path": path, "content-type": contentType]
    for (name, value) in extra { headers.add(name: name, value: value) }
    return HTTP2Frame(streamID: 1, payload: .headers(.init(headers: headers)))
  }

  /// The headers frames the stream wrote.
  static func answers(_ channel: EmbeddedChannel) throws -> [(HPACKHeaders, endStream: Bool)] {
    var answers: [(HPACKHeaders, endStream: Bool)] = []
    while let frame = try channel.readOutbound(as: HTTP2Frame.self) {
      if case .headers(let headers) = frame.payload, frame.streamID == 1 {
        answers.append((headers.headers, headers.endStream))
      }
    }
    return answers
  }

  @Test func compressionItDoesNotOfferIsUnimplementedNamingWhatItAccepts() throws {
    let channel = try Self.stream()
    try channel.writeInbound(Self.request([("grpc-encoding", "gzip")]))
    let answer = try #require(try Self.answers(channel).first)
    #expect(answer.endStream)
    #expect(answer.0.first(name: ":status") == "200", "trailers-only")
    #expect(answer.0.first(name: "grpc-status") == "12")
    #expect(answer.0.first(name: "grpc-accept-encoding") == "identity")
  }

  @Test func anUnknownMethodIsUnimplemented() throws {
    let channel = try Self.stream()
    try channel.writeInbound(Self.request(path: "/io.typusomega.goethe.Goethe/Nothing"))
    let answer = try #require(try Self.answers(channel).first)
    #expect(answer.0.first(name: "grpc-status") == "12")
    #expect(answer.0.first(name: "grpc-message")?.contains("Nothing") == true)
  }

  @Test func aRequestThatIsNotGRPCIsUnsupportedMediaType() throws {
    let channel = try Self.stream()
    try channel.writeInbound(Self.request(contentType: "application/json"))
    let answer = try #require(try Self.answers(channel).first)
    #expect(answer.0.first(name: ":status") == "415")
    #expect(answer.0.first(name: "grpc-status") == nil)
    #expect(answer.endStream)
  }

  @Test func aCompressedMessageWithoutNegotiationIsRefused() throws {
    let channel = try Self.stream()
    try channel.writeInbound(Self.request())
    try channel.writeInbound(
      HTTP2Frame(streamID: 1, payload: .data(.init(data: .byteBuffer(ByteBuffer(bytes: [1, 0, 0, 0, 1, 7]))))))
    let answer = try #require(try Self.answers(channel).first)
    #expect(answer.0.first(name: "grpc-status") == "13")
  }
}
