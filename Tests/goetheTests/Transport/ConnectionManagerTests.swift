import NIOCore
import NIOEmbedded
import NIOHTTP2
import Testing

@testable import goethe

/// A connection's life behind the HTTP/2 handler, driven by the events the HTTP/2 handler sends.
@Suite struct ConnectionManagerTests {
  static func connection(idleTimeout: TimeAmount? = .seconds(60)) throws -> EmbeddedChannel {
    let channel = EmbeddedChannel()
    try channel.pipeline.syncOperations.addHandler(ConnectionManager(idleTimeout: idleTimeout))
    try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
    return channel
  }

  static func open(_ stream: Int, on channel: EmbeddedChannel) {
    channel.pipeline.fireUserInboundEventTriggered(
      NIOHTTP2StreamCreatedEvent(streamID: HTTP2StreamID(stream), localInitialWindowSize: nil, remoteInitialWindowSize: nil))
  }

  static func close(_ stream: Int, on channel: EmbeddedChannel) {
    channel.pipeline.fireUserInboundEventTriggered(
      StreamClosedEvent(streamID: HTTP2StreamID(stream), reason: nil))
  }

  /// The GOAWAY frames written so far: last stream id, code and reason.
  static func goAways(on channel: EmbeddedChannel) throws -> [(HTTP2StreamID, HTTP2ErrorCode, String)] {
    var frames: [(HTTP2StreamID, HTTP2ErrorCode, String)] = []
    while let frame = try channel.readOutbound(as: HTTP2Frame.self) {
      if case .goAway(let last, let code, let data) = frame.payload {
        frames.append((last, code, data.map { String(buffer: $0) } ?? ""))
      }
    }
    return frames
  }

  static func ping(_ channel: EmbeddedChannel) throws {
    try channel.writeInbound(HTTP2Frame(streamID: .rootStream, payload: .ping(HTTP2PingData(withInteger: 1), ack: false)))
  }

  @Test func anIdleConnectionIsClosedWithGoAway() throws {
    let channel = try Self.connection(idleTimeout: .seconds(60))
    channel.embeddedEventLoop.advanceTime(by: .seconds(59))
    #expect(channel.isActive)
    channel.embeddedEventLoop.advanceTime(by: .seconds(1))
    #expect(!channel.isActive)
    #expect(try Self.goAways(on: channel).map(\.1) == [.noError])
  }

  @Test func aConnectionWithACallInFlightIsNotIdle() throws {
    let channel = try Self.connection(idleTimeout: .seconds(60))
    Self.open(1, on: channel)
    channel.embeddedEventLoop.advanceTime(by: .seconds(600))
    #expect(channel.isActive)
    Self.close(1, on: channel)
    channel.embeddedEventLoop.advanceTime(by: .seconds(60))
    #expect(!channel.isActive)
  }

  @Test func shutdownDrainsTheOpenCallsThenCloses() throws {
    let channel = try Self.connection()
    Self.open(1, on: channel)
    Self.open(3, on: channel)
    channel.pipeline.triggerUserOutboundEvent(ConnectionManager.ShutdownEvent(), promise: nil)
    let goAways = try Self.goAways(on: channel)
    #expect(goAways.map(\.0) == [HTTP2StreamID(3)], "GOAWAY names the last stream that will be served")
    Self.close(1, on: channel)
    #expect(channel.isActive)
    Self.close(3, on: channel)
    #expect(!channel.isActive)
  }

  @Test func pingsWithoutCallsTooOftenEndTheConnection() throws {
    let channel = try Self.connection(idleTimeout: nil)
    for _ in 0...ConnectionManager.maxPingStrikes { try Self.ping(channel) }
    #expect(channel.isActive, "the first ping and two strikes are allowed")
    try Self.ping(channel)
    #expect(!channel.isActive)
    let goAway = try #require(try Self.goAways(on: channel).first)
    #expect(goAway.1 == .enhanceYourCalm)
    #expect(goAway.2 == "too_many_pings")
  }

  @Test func pingsDuringCallsAreNotStrikes() throws {
    let channel = try Self.connection(idleTimeout: nil)
    Self.open(1, on: channel)
    for _ in 0..<50 { try Self.ping(channel) }
    #expect(channel.isActive)
  }
}
