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
  static func connection(
    _ method: RPCMethod, maxRequestSize: Int = 1024, memory: RequestMemory = RequestMemory(limit: 1 << 30)
  ) throws -> EmbeddedChannel {
    let channel = EmbeddedChannel()
    let configuration = GRPCCall.Configuration(
      methods: [path: method], maxRequestSize: maxRequestSize,
      executor: EventLoopTaskExecutor(eventLoop: channel.eventLoop), calls: CallTracker(),
      requestMemory: memory)
    try channel.pipeline.syncOperations.addHandler(GRPCConnectionHandler(configuration, targetWindow: window))
    return channel
  }

  static func open(_ stream: HTTP2StreamID, on channel: EmbeddedChannel) throws {
    let headers: HPACKHeaders = [
      ":method": "POST", ":scheme": "http", ":path": path, "content-type": "application/grpc",
    ]
    try channel.writeInbound(HTTP2Frame(streamID: stream, payload: .headers(.init(headers: headers))))
  }

  /// One request message of `size` bytes.
  static func send(on stream: HTTP2StreamID, to channel: EmbeddedChannel, size: Int = 1) throws {
    var message = ByteBuffer()
    message.writeInteger(UInt8(0))
    message.writeInteger(UInt32(size))
    message.writeRepeatingByte(7, count: size)
    try channel.writeInbound(HTTP2Frame(streamID: stream, payload: .data(.init(data: .byteBuffer(message)))))
  }

  /// The `grpc-status` each stream ended with.
  static func statuses(_ channel: EmbeddedChannel) throws -> [HTTP2StreamID: String] {
    var statuses: [HTTP2StreamID: String] = [:]
    while let frame = try channel.readOutbound(as: HTTP2Frame.self) {
      if case .headers(let headers) = frame.payload, headers.endStream {
        statuses[frame.streamID] = headers.headers.first(name: "grpc-status")
      }
    }
    return statuses
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
    for try await message in requests.stream { requests.flow.consumed(message.storageCapacity) }
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

  /// Few messages, but large ones, pause the stream as well: what waits is bounded in bytes.
  @Test func aStreamWhoseHandlerHoldsManyBytesGetsNoWindowUntilItCatchesUp() throws {
    let channel = try Self.connection(Self.reader, maxRequestSize: 2 << 20)
    try Self.open(1, on: channel)
    for _ in 0..<(RequestFlow.highBytes >> 20) { try Self.send(on: 1, to: channel, size: 1 << 20) }
    Self.windowNow(100, of: 1, on: channel)
    #expect(try Self.windowUpdates(channel).isEmpty, "a stream holding \(RequestFlow.highBytes) unread got window")

    channel.embeddedEventLoop.run()
    #expect(try Self.windowUpdates(channel) == [1: Self.window - 100])
  }

  /// Messages that wait for a handler that reads none count in the server's request memory: past
  /// its limit the call ends with RESOURCE_EXHAUSTED, and gives back what it held.
  @Test func messagesWaitingForTheirHandlerCountInTheRequestMemory() throws {
    let memory = RequestMemory(limit: 1 << 20)
    let neverReads = RPCMethod.bidirectional { _, _, _ in try await Task.sleep(for: .seconds(3600)) }
    let channel = try Self.connection(neverReads, maxRequestSize: 512 << 10, memory: memory)
    try Self.open(1, on: channel)
    try Self.send(on: 1, to: channel, size: 500 << 10)
    #expect(memory.bytes >= 500 << 10, "a message waiting for its handler is not counted")
    try Self.send(on: 1, to: channel, size: 500 << 10)
    try Self.send(on: 1, to: channel, size: 500 << 10)
    #expect(try Self.statuses(channel)[1] == "8", "the messages past the limit were taken")
    #expect(memory.bytes == 0, "the ended call did not give back what it held")
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
