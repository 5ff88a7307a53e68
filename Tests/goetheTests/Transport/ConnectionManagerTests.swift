import GoetheKit
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

    /// Keepalive PINGs go out only in the tests of keepalive: elsewhere it is a day away.
    init(
      idleTimeout: TimeAmount? = .seconds(60),
      keepalive: ConnectionManager.Keepalive = .init(interval: .hours(24), timeout: .seconds(20))
    ) throws {
      try channel.pipeline.syncOperations.addHandler(ConnectionManager(idleTimeout: idleTimeout, keepalive: keepalive))
      try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
    }

    func open(_ stream: Int) {
      channel.pipeline.fireUserInboundEventTriggered(
        NIOHTTP2StreamCreatedEvent(
          streamID: HTTP2StreamID(stream), localInitialWindowSize: 65535, remoteInitialWindowSize: 65535))
    }

    func close(_ stream: Int) {
      channel.pipeline.fireUserInboundEventTriggered(StreamClosedEvent(streamID: HTTP2StreamID(stream), reason: nil))
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
    try channel.writeInbound(
      HTTP2Frame(streamID: .rootStream, payload: .ping(HTTP2PingData(withInteger: 1), ack: false)))
  }

  /// The PINGs written so far that ask for an acknowledgement.
  static func pingRequests(in frames: [HTTP2Frame]) -> [HTTP2PingData] {
    frames.compactMap { frame in
      if case .ping(let data, ack: false) = frame.payload { return data }
      return nil
    }
  }

  static func outbound(_ channel: EmbeddedChannel) throws -> [HTTP2Frame] {
    var frames: [HTTP2Frame] = []
    while let frame = try channel.readOutbound(as: HTTP2Frame.self) { frames.append(frame) }
    return frames
  }

  static func lastStreams(in frames: [HTTP2Frame]) -> [HTTP2StreamID] {
    frames.compactMap { frame in
      if case .goAway(let last, .noError, _) = frame.payload { return last }
      return nil
    }
  }

  /// Answers the drain's PING as a client that has read everything sent so far would.
  static func acknowledge(_ frames: [HTTP2Frame], on channel: EmbeddedChannel) throws {
    for data in pingRequests(in: frames) {
      try channel.writeInbound(HTTP2Frame(streamID: .rootStream, payload: .ping(data, ack: true)))
    }
  }

  @Test func anIdleConnectionIsDrainedThenClosed() throws {
    let connection = try Connection(idleTimeout: .seconds(60))
    let channel = connection.channel
    channel.embeddedEventLoop.advanceTime(by: .seconds(59))
    #expect(try Self.outbound(channel).isEmpty)
    channel.embeddedEventLoop.advanceTime(by: .seconds(1))
    let first = try Self.outbound(channel)
    #expect(Self.lastStreams(in: first) == [.maxID], "the first GOAWAY still lets calls start")
    #expect(channel.isActive)
    try Self.acknowledge(first, on: channel)
    channel.embeddedEventLoop.run()
    #expect(Self.lastStreams(in: try Self.outbound(channel)) == [HTTP2StreamID(0)])
    #expect(!channel.isActive)
  }

  @Test func aCallThatCrossesTheFirstGoAwayIsServed() throws {
    let connection = try Connection(idleTimeout: .seconds(1))
    let channel = connection.channel
    channel.embeddedEventLoop.advanceTime(by: .seconds(1))
    let first = try Self.outbound(channel)
    connection.open(1)
    try Self.acknowledge(first, on: channel)
    #expect(Self.lastStreams(in: try Self.outbound(channel)) == [HTTP2StreamID(1)], "the crossing call is named")
    #expect(channel.isActive)
    connection.close(1)
    #expect(!channel.isActive)
  }

  @Test func aClientThatNeverAcknowledgesIsClosedAfterTheDrainTimeout() throws {
    let connection = try Connection(idleTimeout: .seconds(1))
    let channel = connection.channel
    channel.embeddedEventLoop.advanceTime(by: .seconds(1))
    #expect(Self.lastStreams(in: try Self.outbound(channel)) == [.maxID])
    channel.embeddedEventLoop.advanceTime(by: ConnectionManager.drainPingTimeout)
    #expect(Self.lastStreams(in: try Self.outbound(channel)) == [HTTP2StreamID(0)])
    #expect(!channel.isActive)
  }

  @Test func aConnectionWithACallInFlightIsNotIdle() throws {
    let connection = try Connection(idleTimeout: .seconds(60))
    let channel = connection.channel
    connection.open(1)
    channel.embeddedEventLoop.advanceTime(by: .seconds(600))
    #expect(try Self.outbound(channel).isEmpty)
    connection.close(1)
    channel.embeddedEventLoop.advanceTime(by: .seconds(60))
    try Self.acknowledge(try Self.outbound(channel), on: channel)
    channel.embeddedEventLoop.run()
    #expect(!channel.isActive)
  }

  @Test func shutdownDrainsTheOpenCallsThenCloses() throws {
    let connection = try Connection()
    let channel = connection.channel
    connection.open(1)
    connection.open(3)
    Self.shutDown(channel, within: .seconds(10))
    try Self.acknowledge(try Self.outbound(channel), on: channel)
    let second = try Self.outbound(channel)
    #expect(Self.lastStreams(in: second) == [HTTP2StreamID(3)], "GOAWAY names the last stream that will be served")
    connection.close(1)
    #expect(channel.isActive)
    connection.close(3)
    #expect(!channel.isActive)
  }

  @Test func shutdownClosesTheConnectionAtItsDeadlineWhateverIsStillOpen() throws {
    let connection = try Connection()
    let channel = connection.channel
    connection.open(1)
    Self.shutDown(channel, within: .seconds(10))
    try Self.acknowledge(try Self.outbound(channel), on: channel)
    channel.embeddedEventLoop.advanceTime(by: .seconds(9))
    #expect(channel.isActive, "calls are given until the deadline")
    channel.embeddedEventLoop.advanceTime(by: .seconds(1))
    #expect(!channel.isActive)
  }

  static func shutDown(_ channel: EmbeddedChannel, within timeout: TimeAmount) {
    let deadline = channel.embeddedEventLoop.now + timeout
    channel.pipeline.triggerUserOutboundEvent(ConnectionManager.ShutdownEvent(deadline: deadline), promise: nil)
  }

  static let keepalive = ConnectionManager.Keepalive(interval: .seconds(60), timeout: .seconds(20))

  @Test func aSilentPeerIsPingedAndClosedWhenItDoesNotAnswer() throws {
    let connection = try Connection(idleTimeout: nil, keepalive: Self.keepalive)
    let channel = connection.channel
    connection.open(1)
    channel.embeddedEventLoop.advanceTime(by: .seconds(59))
    #expect(Self.pingRequests(in: try Self.outbound(channel)).isEmpty)
    channel.embeddedEventLoop.advanceTime(by: .seconds(1))
    #expect(Self.pingRequests(in: try Self.outbound(channel)).count == 1)
    channel.embeddedEventLoop.advanceTime(by: .seconds(19))
    #expect(channel.isActive)
    channel.embeddedEventLoop.advanceTime(by: .seconds(1))
    #expect(!channel.isActive, "a peer that does not answer is gone")
  }

  /// The acknowledgement is itself a read: the next look finds the connection was not silent, so a
  /// quiet peer that answers is pinged every other interval.
  @Test func aPeerThatAnswersItsKeepalivePingStaysConnected() throws {
    let connection = try Connection(idleTimeout: nil, keepalive: Self.keepalive)
    let channel = connection.channel
    connection.open(1)
    var pings = 0
    for _ in 0..<6 {
      channel.embeddedEventLoop.advanceTime(by: .seconds(60))
      let frames = try Self.outbound(channel)
      pings += Self.pingRequests(in: frames).count
      try Self.acknowledge(frames, on: channel)
    }
    #expect(pings == 3)
    channel.embeddedEventLoop.advanceTime(by: .seconds(30))
    #expect(channel.isActive)
  }

  /// The calls' frames stay with their calls, before the manager, as in the daemon's pipeline:
  /// that they were read is what counts.
  @Test func aPeerThatSendsFramesIsNotPinged() throws {
    let connection = try Connection(idleTimeout: nil, keepalive: Self.keepalive)
    let channel = connection.channel
    let calls = GRPCCall.Configuration(
      methods: [:], maxRequestSize: 1024, executor: EventLoopTaskExecutor(eventLoop: channel.eventLoop),
      calls: CallTracker(), requestMemory: RequestMemory(limit: 1 << 30))
    try channel.pipeline.syncOperations.addHandler(
      GRPCConnectionHandler(calls, targetWindow: 1 << 20), position: .first)
    connection.open(1)
    for _ in 0..<10 {
      channel.embeddedEventLoop.advanceTime(by: .seconds(30))
      try channel.writeInbound(HTTP2Frame(streamID: 1, payload: .windowUpdate(windowSizeIncrement: 1)))
    }
    #expect(Self.pingRequests(in: try Self.outbound(channel)).isEmpty)
    #expect(channel.isActive)
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
