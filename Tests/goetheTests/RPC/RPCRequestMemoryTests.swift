import Foundation
import GoetheKit
import NIOCore
import NIOEmbedded
import NIOHPACK
import NIOHTTP2
import NIOPosix
import Synchronization
import Testing

@testable import goethe

/// The server holds at most its limit of requests that have not reached their handlers: a call
/// whose request would take it past the limit is refused with RESOURCE_EXHAUSTED, complete
/// requests are still served, and what a call held is given back when it ends.
///
/// The hostile client is a bare swift-nio-http2 connection on loopback that starts Produce calls
/// and sends most of each request message, never the rest.
@Suite(.timeLimit(.minutes(1)))
struct RPCRequestMemoryTests {
  /// Room for four requests of 60 KiB, not five.
  static let settings = TransportSettings(maxRequestSize: 64 << 10, requestMemoryLimit: 256 << 10)

  /// Keeps the frames a connection received.
  final class FrameRecorder: ChannelInboundHandler, Sendable {
    typealias InboundIn = HTTP2Frame
    private let frames = Mutex<[HTTP2Frame]>([])

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
      let frame = unwrapInboundIn(data)
      frames.withLock { $0.append(frame) }
    }

    /// The `grpc-status` and `grpc-message` a stream ended with, if it has.
    func status(of id: HTTP2StreamID) -> (code: String, message: String)? {
      frames.withLock { frames in
        for frame in frames where frame.streamID == id {
          guard case .headers(let headers) = frame.payload, headers.endStream else { continue }
          return (headers.headers.first(name: "grpc-status") ?? "", headers.headers.first(name: "grpc-message") ?? "")
        }
        return nil
      }
    }

    /// Whether the server answered on stream `id`, with headers or a reset.
    func answered(_ id: HTTP2StreamID) -> Bool {
      frames.withLock { frames in
        frames.contains { frame in
          switch frame.payload {
          case .headers, .rstStream: frame.streamID == id
          default: false
          }
        }
      }
    }
  }

  /// A bare HTTP/2 connection to `port` with the recorder of what it receives.
  static func connect(port: Int) async throws -> (any Channel, FrameRecorder) {
    let recorder = FrameRecorder()
    let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
      .channelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
          try channel.pipeline.syncOperations.addHandler(NIOHTTP2Handler(mode: .client))
          try channel.pipeline.syncOperations.addHandler(recorder)
        }
      }
      .connect(host: "127.0.0.1", port: port).get()
    return (channel, recorder)
  }

  /// Starts a Produce call on stream `id` with 60 KiB of a message that declares 63 KiB.
  static func startUnfinishedCall(_ id: HTTP2StreamID, on channel: any Channel) {
    let headers: HPACKHeaders = [
      ":method": "POST", ":scheme": "http", ":path": "/io.typusomega.goethe.Goethe/Produce",
      ":authority": "127.0.0.1", "content-type": "application/grpc", "te": "trailers",
    ]
    var partial = ByteBuffer()
    partial.writeInteger(UInt8(0))
    partial.writeInteger(UInt32(63 << 10))
    partial.writeRepeatingByte(7, count: 60 << 10)
    channel.write(HTTP2Frame(streamID: id, payload: .headers(.init(headers: headers))), promise: nil)
    channel.write(HTTP2Frame(streamID: id, payload: .data(.init(data: .byteBuffer(partial)))), promise: nil)
    channel.flush()
  }

  /// A request whose last bytes come with the end of the client's side reaches its handler at
  /// once: it is not held, however little room is left; the same bytes without the end are.
  @Test(arguments: [true, false])
  func aRequestThatEndsWithItsBytesIsNotHeld(endsWithThem: Bool) throws {
    let channel = EmbeddedChannel()
    let configuration = GRPCCall.Configuration(
      methods: [GRPCCallTests.path: .unary { _, _ in ByteBuffer() }], maxRequestSize: 1024,
      executor: EventLoopTaskExecutor(eventLoop: channel.eventLoop), calls: CallTracker(),
      requestMemory: RequestMemory(limit: 8))
    try channel.pipeline.syncOperations.addHandler(GRPCConnectionHandler(configuration, targetWindow: 1 << 20))
    var message = ByteBuffer()
    message.writeInteger(UInt8(0))
    message.writeInteger(UInt32(100))
    message.writeRepeatingByte(7, count: 100)
    try channel.writeInbound(GRPCCallTests.request())
    try channel.writeInbound(
      HTTP2Frame(streamID: 1, payload: .data(.init(data: .byteBuffer(message), endStream: endsWithThem))))
    let refused = try GRPCCallTests.answers(channel).contains { $0.0.first(name: "grpc-status") == "8" }
    #expect(refused == !endsWithThem)
  }

  /// A unary request waiting for the end of its client's side is held in storage of its own
  /// size, not in the read it came in, and counted so.
  @Test func aRequestWaitingForItsEndIsHeldInStorageOfItsOwn() throws {
    let channel = EmbeddedChannel()
    let memory = RequestMemory(limit: 1 << 30)
    let configuration = GRPCCall.Configuration(
      methods: [GRPCCallTests.path: .unary { _, _ in ByteBuffer() }], maxRequestSize: 1024,
      executor: EventLoopTaskExecutor(eventLoop: channel.eventLoop), calls: CallTracker(), requestMemory: memory)
    try channel.pipeline.syncOperations.addHandler(GRPCConnectionHandler(configuration, targetWindow: 1 << 20))
    var read = ByteBufferAllocator().buffer(capacity: 64 << 10)
    read.writeInteger(UInt8(0))
    read.writeInteger(UInt32(100))
    read.writeRepeatingByte(7, count: 100)
    try channel.writeInbound(GRPCCallTests.request())
    try channel.writeInbound(HTTP2Frame(streamID: 1, payload: .data(.init(data: .byteBuffer(read)))))
    #expect(memory.bytes > 0 && memory.bytes < 4 << 10, "\(memory.bytes)")
    try channel.writeInbound(
      HTTP2Frame(streamID: 1, payload: .data(.init(data: .byteBuffer(ByteBuffer()), endStream: true))))
    #expect(memory.bytes == 0)
  }

  @Test func requestsHeldPastTheLimitAreRefusedWhileCompleteOnesAreServed() async throws {
    try await withRPCServer(transport: Self.settings) { server in
      let (channel, recorder) = try await Self.connect(port: server.port)
      let ids = (0..<5).map { HTTP2StreamID(1 + 2 * $0) }
      for id in ids { Self.startUnfinishedCall(id, on: channel) }
      // The client sends the five in turns: whichever takes the total past the limit first is refused.
      try await eventually("a call is refused") { ids.contains { recorder.status(of: $0) != nil } }
      let refused = ids.filter { recorder.status(of: $0) != nil }
      #expect(refused.count == 1, "\(refused)")
      let status = try #require(recorder.status(of: refused[0]))
      #expect(status.code == "8", "RESOURCE_EXHAUSTED")
      #expect(status.message.contains("near its limit of 256 KiB"), "\(status.message)")
      #expect(ids.filter { recorder.answered($0) } == refused, "the other four wait for the rest")

      try await server.withStub { stub in
        let produced = try await stub.produce("small", to: "small")
        #expect(produced.topic.id == "small", "a complete request is served meanwhile")
      }

      // The client gives one up: what it held is given back, and a new call fits in its place.
      let waiting = ids.filter { !refused.contains($0) }
      channel.writeAndFlush(HTTP2Frame(streamID: waiting[0], payload: .rstStream(.cancel)), promise: nil)
      let replacement = HTTP2StreamID(11)
      Self.startUnfinishedCall(replacement, on: channel)
      // Its message completed, it reaches its handler, which finds no event in it: it was not
      // refused for room.
      var rest = ByteBuffer()
      rest.writeRepeatingByte(7, count: 3 << 10)
      try await channel.writeAndFlush(
        HTTP2Frame(streamID: replacement, payload: .data(.init(data: .byteBuffer(rest), endStream: true))))
      try await eventually("the replacement is answered") { recorder.status(of: replacement) != nil }
      let answer = try #require(recorder.status(of: replacement))
      #expect(answer.message.contains("is not a valid io.typusomega.goethe.Event"), "\(answer)")
      try await channel.close()
    }
  }
}
