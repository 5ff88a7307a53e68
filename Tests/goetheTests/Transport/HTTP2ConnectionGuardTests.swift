import NIOCore
import NIOEmbedded
import Testing

@testable import goethe

/// The connection guard in an embedded pipeline: what it forwards to the HTTP/2 handler, what it
/// answers itself, and where it puts its answers.
@Suite struct HTTP2ConnectionGuardTests {
  static let settings: [UInt8] = [0, 0, 0, 0x4, 0, 0, 0, 0, 0]
  static func ping(_ opaque: UInt8, ack: Bool = false) -> [UInt8] {
    [0, 0, 8, 0x6, ack ? 1 : 0, 0, 0, 0, 0] + [UInt8](repeating: opaque, count: 8)
  }
  static func frame(type: UInt8, stream: UInt8 = 1, payload: [UInt8]) -> [UInt8] {
    [0, 0, UInt8(payload.count), type, 0, 0, 0, 0, stream] + payload
  }
  static let headers = frame(type: 0x1, payload: [0x88])
  static let data = frame(type: 0x0, payload: [0, 0, 0, 0, 1, 42])

  /// A pipeline with the guard alone: inbound bytes it forwards are read back as the HTTP/2
  /// handler would see them; outbound bytes are what goes to the socket.
  struct Pipe {
    let channel = EmbeddedChannel()

    init() throws {
      try channel.pipeline.syncOperations.addHandler(HTTP2ConnectionGuard(prefaceTimeout: .seconds(10)))
      try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
    }

    func receive(_ bytes: [UInt8]) throws { try channel.writeInbound(ByteBuffer(bytes: bytes)) }

    func send(_ bytes: [UInt8]) throws { try channel.writeOutbound(IOData.byteBuffer(ByteBuffer(bytes: bytes))) }

    /// Everything forwarded to the HTTP/2 handler so far.
    func forwarded() throws -> [UInt8] {
      var bytes: [UInt8] = []
      while let buffer = try channel.readInbound(as: ByteBuffer.self) { bytes += Array(buffer.readableBytesView) }
      return bytes
    }

    /// Everything flushed to the socket so far.
    func flushed() throws -> [UInt8] {
      var bytes: [UInt8] = []
      while let data = try channel.readOutbound(as: IOData.self) {
        guard case .byteBuffer(let buffer) = data else { continue }
        bytes += Array(buffer.readableBytesView)
      }
      return bytes
    }

    /// Everything written to the socket once the event loop has had its turn.
    func written() throws -> [UInt8] {
      channel.embeddedEventLoop.run()
      return try flushed()
    }
  }

  static let preface = HTTP2ConnectionGuard.clientPreface

  @Test func forwardsEverythingUnchangedWhenNoCallTrafficWasSent() throws {
    let pipe = try Pipe()
    let inbound = Self.preface + Self.settings + Self.ping(1) + Self.headers + Self.ping(2)
    try pipe.receive(inbound)
    #expect(try pipe.forwarded() == inbound)
    #expect(try pipe.written().isEmpty)
  }

  /// A pipe whose client made a call and got its answer.
  static func pipeAfterACall() throws -> Pipe {
    let pipe = try Pipe()
    try pipe.receive(Self.preface + Self.settings + Self.headers)
    _ = try pipe.forwarded()
    try pipe.send(Self.headers + Self.data)
    _ = try pipe.written()
    return pipe
  }

  @Test func answersAPingThatFollowsCallTrafficAndHidesIt() throws {
    let pipe = try Self.pipeAfterACall()
    try pipe.receive(Self.ping(7) + Self.data)
    #expect(try pipe.forwarded() == Self.data)
    #expect(try pipe.written() == Self.ping(7, ack: true))
  }

  @Test func sendsAnAcknowledgementWithTheAnswerToTheSameRead() throws {
    let pipe = try Self.pipeAfterACall()
    try pipe.receive(Self.ping(3) + Self.headers + Self.data)
    #expect(try pipe.flushed().isEmpty)
    // An answer flushed before the event loop's next turn carries the acknowledgement.
    try pipe.send(Self.headers + Self.data)
    #expect(try pipe.flushed() == Self.ping(3, ack: true) + Self.headers + Self.data)
    #expect(try pipe.written().isEmpty)
  }

  @Test func flushesAnAcknowledgementWithoutAnswerOnTheEventLoopsNextTurn() throws {
    let pipe = try Pipe()
    try pipe.receive(Self.preface + Self.settings)
    try pipe.send(Self.data)
    _ = try pipe.written()
    try pipe.receive(Self.ping(8))
    #expect(try pipe.flushed().isEmpty)
    pipe.channel.embeddedEventLoop.run()
    #expect(try pipe.flushed() == Self.ping(8, ack: true))
  }

  @Test func answersOnlyTheFirstPingAfterTraffic() throws {
    let pipe = try Pipe()
    try pipe.receive(Self.preface + Self.settings)
    _ = try pipe.forwarded()
    try pipe.send(Self.data)
    _ = try pipe.written()
    try pipe.receive(Self.ping(1) + Self.ping(2) + Self.ping(3))
    #expect(try pipe.forwarded() == Self.ping(2) + Self.ping(3))
    #expect(try pipe.written() == Self.ping(1, ack: true))
  }

  @Test func leavesAcknowledgementsAndMalformedPingsToTheHTTP2Handler() throws {
    let pipe = try Pipe()
    try pipe.receive(Self.preface + Self.settings)
    _ = try pipe.forwarded()
    try pipe.send(Self.data)
    let onStream = [0, 0, 8, 0x6, 0, 0, 0, 0, 3] + [UInt8](repeating: 9, count: 8)
    try pipe.receive(Self.ping(4, ack: true) + onStream)
    #expect(try pipe.forwarded() == Self.ping(4, ack: true) + onStream)
  }

  @Test func reassemblesFramesSplitAcrossReads() throws {
    let pipe = try Pipe()
    try pipe.send(Self.data)
    _ = try pipe.written()
    let inbound = Self.preface + Self.settings + Self.ping(5) + Self.data
    for byte in inbound { try pipe.receive([byte]) }
    #expect(try pipe.forwarded() == Self.preface + Self.settings + Self.data)
    #expect(try pipe.written() == Self.ping(5, ack: true))
  }

  @Test func putsAcknowledgementsBetweenOutboundFramesOnly() throws {
    let pipe = try Pipe()
    try pipe.receive(Self.preface + Self.settings)
    _ = try pipe.forwarded()
    // A DATA frame whose header is written, but not yet its payload.
    try pipe.send(Array(Self.data.prefix(11)))
    try pipe.receive(Self.ping(6))
    #expect(try pipe.written() == Array(Self.data.prefix(11)))
    try pipe.send(Array(Self.data.dropFirst(11)))
    #expect(try pipe.written() == Array(Self.data.dropFirst(11)) + Self.ping(6, ack: true))
  }

  @Test func stepsAsideForWhatIsNotHTTP2() throws {
    let pipe = try Pipe()
    let request = Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8) + Self.ping(1)
    try pipe.receive(request)
    #expect(try pipe.forwarded() == request)
  }

  @Test func closesAConnectionThatNeverSendsThePreface() throws {
    let channel = EmbeddedChannel()
    try channel.pipeline.syncOperations.addHandler(HTTP2ConnectionGuard(prefaceTimeout: .seconds(5)))
    try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
    try channel.writeInbound(ByteBuffer(bytes: Self.preface.prefix(10)))
    channel.embeddedEventLoop.advanceTime(by: .seconds(4))
    #expect(channel.isActive)
    channel.embeddedEventLoop.advanceTime(by: .seconds(1))
    #expect(!channel.isActive)
  }

  @Test func keepsAConnectionThatSentThePrefaceInTime() throws {
    let channel = EmbeddedChannel()
    try channel.pipeline.syncOperations.addHandler(HTTP2ConnectionGuard(prefaceTimeout: .seconds(5)))
    try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
    try channel.writeInbound(ByteBuffer(bytes: Self.preface))
    channel.embeddedEventLoop.advanceTime(by: .seconds(60))
    #expect(channel.isActive)
  }
}
