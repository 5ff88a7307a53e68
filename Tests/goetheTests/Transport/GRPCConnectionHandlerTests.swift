import GoetheKit
import NIOCore
import NIOEmbedded
import NIOHPACK
import NIOHTTP2
import Testing

@testable import goethe

/// A connection's streams without stream channels: the inbound flow control the connection keeps
/// for them, and calls ended by their stream's closing.
@Suite struct GRPCConnectionHandlerTests {
  static let path = "/io.typusomega.goethe.Goethe/Stream"
  static let window = 1 << 20

  /// A connection whose one method runs `method`; its handlers run when the loop runs.
  static func connection(_ method: RPCMethod) throws -> EmbeddedChannel {
    let channel = EmbeddedChannel()
    let configuration = GRPCCall.Configuration(
      methods: [path: method], maxRequestSize: 1024,
      executor: EventLoopTaskExecutor(eventLoop: channel.eventLoop), calls: CallTracker(),
      requestMemory: RequestMemory(limit: 1 << 30))
    try channel.pipeline.syncOperations.addHandler(GRPCConnectionHandler(configuration, targetWindow: window))
    return channel
  }

  static func open(_ stream: HTTP2StreamID, on channel: EmbeddedChannel) throws {
    let headers: HPACKHeaders = [
      ":method": "POST", ":scheme": "http", ":path": path, "content-type": "application/grpc",
    ]
    try channel.writeInbound(HTTP2Frame(streamID: stream, payload: .headers(.init(headers: headers))))
  }

  /// One request message of one byte.
  static func send(on stream: HTTP2StreamID, to channel: EmbeddedChannel) throws {
    let message = ByteBuffer(bytes: [0, 0, 0, 0, 1, 7])
    try channel.writeInbound(HTTP2Frame(streamID: stream, payload: .data(.init(data: .byteBuffer(message)))))
  }

  static func windowNow(_ size: Int, of stream: HTTP2StreamID, on channel: EmbeddedChannel) {
    channel.pipeline.fireUserInboundEventTriggered(
      NIOHTTP2WindowUpdatedEvent(streamID: stream, inboundWindowSize: size, outboundWindowSize: nil))
  }

  /// The WINDOW_UPDATE increments written so far, by stream.
  static func windowUpdates(_ channel: EmbeddedChannel) throws -> [HTTP2StreamID: Int] {
    var updates: [HTTP2StreamID: Int] = [:]
    while let frame = try channel.readOutbound(as: HTTP2Frame.self) {
      if case .windowUpdate(let increment) = frame.payload { updates[frame.streamID, default: 0] += increment }
    }
    return updates
  }

  /// A bidirectional method that takes every request as it comes.
  static let reader = RPCMethod.bidirectional { requests, _, _ in
    for try await _ in requests.stream { requests.flow.consumed() }
  }

  @Test func windowsHalfUsedAreToppedUpAndOthersLeftAlone() throws {
    let channel = try Self.connection(Self.reader)
    try Self.open(1, on: channel)
    Self.windowNow(Self.window / 2 + 1, of: .rootStream, on: channel)
    Self.windowNow(Self.window / 2 + 1, of: 1, on: channel)
    #expect(try Self.windowUpdates(channel).isEmpty)
    Self.windowNow(Self.window / 2, of: .rootStream, on: channel)
    Self.windowNow(100, of: 1, on: channel)
    #expect(try Self.windowUpdates(channel) == [.rootStream: Self.window / 2, 1: Self.window - 100])
  }

  @Test func aStreamWhoseHandlerFellBehindGetsNoWindowUntilItCatchesUp() throws {
    let channel = try Self.connection(Self.reader)
    try Self.open(1, on: channel)
    // The handler's task has not run: every request waits unread.
    for _ in 0..<RequestFlow.highWatermark { try Self.send(on: 1, to: channel) }
    Self.windowNow(100, of: 1, on: channel)
    Self.windowNow(100, of: .rootStream, on: channel)
    #expect(try Self.windowUpdates(channel) == [.rootStream: Self.window - 100], "the connection's window stays open")

    channel.embeddedEventLoop.run()
    #expect(try Self.windowUpdates(channel) == [1: Self.window - 100])
  }

  @Test func aClosedStreamEndsItsCallAndLaterFramesOpenNoOther() throws {
    let channel = try Self.connection(Self.reader)
    try Self.open(1, on: channel)
    channel.embeddedEventLoop.run()
    channel.pipeline.fireUserInboundEventTriggered(StreamClosedEvent(streamID: 1, reason: .cancel))
    channel.embeddedEventLoop.run()
    try Self.send(on: 1, to: channel)
    channel.embeddedEventLoop.run()
    var frames: [HTTP2Frame] = []
    while let frame = try channel.readOutbound(as: HTTP2Frame.self) { frames.append(frame) }
    // Only the response headers the bidirectional call sent at its start: no status after the reset.
    #expect(frames.count == 1)
    #expect(frames.allSatisfy { if case .headers(let headers) = $0.payload { !headers.endStream } else { false } })
  }

  @Test func framesOfTheConnectionAndStreamEventsGoOn() throws {
    let channel = try Self.connection(Self.reader)
    let ping = HTTP2Frame(streamID: .rootStream, payload: .ping(HTTP2PingData(withInteger: 7), ack: false))
    try channel.writeInbound(ping)
    let forwarded = try #require(try channel.readInbound(as: HTTP2Frame.self))
    #expect(forwarded.streamID == .rootStream)
    try Self.open(1, on: channel)
    #expect(try channel.readInbound(as: HTTP2Frame.self) == nil, "a stream's frames stay with its call")
  }
}
