import NIOCore
import NIOEmbedded
import NIOHTTP2
import Testing

@testable import goethe

/// A connection's life behind the HTTP/2 handler, driven by the stream events the HTTP/2 handler
/// reports.
@Suite struct ConnectionManagerTests {
  /// A connection with its manager, and the stream events the HTTP/2 handler would send it.
  struct Connection {
    let channel = EmbeddedChannel()
    let streams: any NIOHTTP2StreamDelegate

    init(idleTimeout: TimeAmount? = .seconds(60)) throws {
      let manager = ConnectionManager(idleTimeout: idleTimeout)
      streams = manager.streamDelegate(on: channel.eventLoop)
      try channel.pipeline.syncOperations.addHandler(manager)
      try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
    }

    func open(_ stream: Int) { streams.streamCreated(HTTP2StreamID(stream), channel: channel) }

    func close(_ stream: Int) {
      streams.streamClosed(HTTP2StreamID(stream), channel: channel)
      channel.embeddedEventLoop.run()
    }
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
    let connection = try Connection(idleTimeout: .seconds(60))
    let channel = connection.channel
    channel.embeddedEventLoop.advanceTime(by: .seconds(59))
    #expect(channel.isActive)
    channel.embeddedEventLoop.advanceTime(by: .seconds(1))
    #expect(!channel.isActive)
    #expect(try Self.goAways(on: channel).map(\.1) == [.noError])
  }

  @Test func aConnectionWithACallInFlightIsNotIdle() throws {
    let connection = try Connection(idleTimeout: .seconds(60))
    let channel = connection.channel
    connection.open(1)
    channel.embeddedEventLoop.advanceTime(by: .seconds(600))
    #expect(channel.isActive)
    connection.close(1)
    channel.embeddedEventLoop.advanceTime(by: .seconds(60))
    #expect(!channel.isActive)
  }

  @Test func shutdownDrainsTheOpenCallsThenCloses() throws {
    let connection = try Connection()
    let channel = connection.channel
    connection.open(1)
    connection.open(3)
    channel.pipeline.triggerUserOutboundEvent(ConnectionManager.ShutdownEvent(), promise: nil)
    let goAways = try Self.goAways(on: channel)
    #expect(goAways.map(\.0) == [HTTP2StreamID(3)], "GOAWAY names the last stream that will be served")
    connection.close(1)
    #expect(channel.isActive)
    connection.close(3)
    #expect(!channel.isActive)
  }

  @Test func pingsWithoutCallsTooOftenEndTheConnection() throws {
    let channel = try Connection(idleTimeout: nil).channel
    for _ in 0...ConnectionManager.maxPingStrikes { try Self.ping(channel) }
    #expect(channel.isActive, "the first ping and two strikes are allowed")
    try Self.ping(channel)
    #expect(!channel.isActive)
    let goAway = try #require(try Self.goAways(on: channel).first)
    #expect(goAway.1 == .enhanceYourCalm)
    #expect(goAway.2 == "too_many_pings")
  }

  @Test func pingsDuringCallsAreNotStrikes() throws {
    let connection = try Connection(idleTimeout: nil)
    let channel = connection.channel
    connection.open(1)
    for _ in 0..<50 { try Self.ping(channel) }
    #expect(channel.isActive)
  }
}
