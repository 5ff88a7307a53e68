import GRPCCore
import NIOCore
import NIOEmbedded
import NIOHPACK
import NIOHTTP2
import NIOPosix
import Testing

@testable import GoetheKit

/// A call's stream as its caller holds it, on an embedded connection whose event loop runs only
/// when the test says: what reaches the connection when the caller gives up early.
///
/// Off the main actor, on an event loop of its own: the test awaits, and the embedded channel
/// must only be used from the thread that made it.
@Suite(.timeLimit(.minutes(1))) struct ClientStreamTests {
  /// Holds the promise of each HEADERS frame written, to fail it as the test says, as the
  /// layers under the connection's handler would.
  private final class HeadersPromises: ChannelOutboundHandler {
    typealias OutboundIn = HTTP2Frame
    typealias OutboundOut = HTTP2Frame
    var held: [EventLoopPromise<Void>] = []

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
      guard case .headers = unwrapOutboundIn(data).payload, let promise else {
        return context.write(data, promise: promise)
      }
      held.append(promise)
      context.write(data, promise: nil)
    }
  }

  private struct Connection {
    let channel = EmbeddedChannel()
    let handler = ClientConnectionHandler(targetWindow: 1 << 20)
    let headersPromises = HeadersPromises()

    init() throws {
      try channel.pipeline.syncOperations.addHandler(headersPromises)
      try channel.pipeline.syncOperations.addHandler(handler)
      try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
    }

    func stream() -> ClientStream {
      let (loop, connection) = (channel.embeddedEventLoop, NIOLoopBound(handler, eventLoop: channel.eventLoop))
      return ClientStream(on: loop) { queue, writability in
        ClientStreamHandler(
          request: .init(path: "/s/m", authority: "localhost:1", scheme: "http", deadline: nil), queue: queue,
          writability: writability, maxResponseSize: 1 << 20, connection: connection.value, eventLoop: loop,
          refusedByGoAway: { _ in false })
      }
    }

    func framesWritten() throws -> [HTTP2Frame] {
      channel.embeddedEventLoop.run()
      var frames: [HTTP2Frame] = []
      while let frame = try channel.readOutbound(as: HTTP2Frame.self) { frames.append(frame) }
      return frames
    }
  }

  private static func onALoopOfItsOwn(_ body: () async throws -> Void) async throws {
    let thread = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    try await withTaskExecutorPreference(EventLoopTaskExecutor(eventLoop: thread.next())) { try await body() }
    try await thread.shutdownGracefully()
  }

  @Test func aCallAbandonedBeforeItsFirstPartReachedTheLoopIsNeverSent() async throws {
    try await Self.onALoopOfItsOwn {
      let connection = try Connection()
      let stream = connection.stream()
      // The caller gives up before its writer has run, and the writer runs before the event
      // loop has taken the cancellation: the cancellation reaches the loop first.
      stream.cancel()
      try await stream.write(.metadata([:]))
      try await stream.write(.message(GRPCFrameBytes([1, 2, 3])))
      await stream.finish()
      #expect(try connection.framesWritten().isEmpty)
      var responses = stream.responses.makeAsyncIterator()
      let ending = await #expect(throws: RPCError.self) { _ = try await responses.next() }
      #expect(ending?.code == .cancelled)
      // Its writer learns that the call has ended.
      await #expect(throws: RPCError.self) { try await stream.write(.metadata([:])) }
      #expect(try connection.framesWritten().isEmpty)
    }
  }

  @Test func aCallWhoseWriterRanFirstIsSentAndThenReset() async throws {
    try await Self.onALoopOfItsOwn {
      let connection = try Connection()
      let stream = connection.stream()
      try await stream.write(.metadata([:]))
      stream.cancel()
      let kinds = try connection.framesWritten().map { frame -> String in
        switch frame.payload {
        case .headers: "headers"
        case .rstStream: "reset"
        default: "other"
        }
      }
      #expect(kinds == ["headers", "reset"])
    }
  }

  /// Sends a unary request whose headers' write then fails with `error` (after the server's
  /// response headers came, if `answered`), and returns how the call ended.
  private static func callWhoseHeadersFailed(with error: any Error, answered: Bool = false) async throws -> RPCError? {
    let connection = try Connection()
    let stream = connection.stream()
    try await stream.write(.metadata([:]))
    try await stream.write(.message(GRPCFrameBytes([1, 2, 3])))
    await stream.finish()
    _ = try connection.framesWritten()
    if answered {
      try connection.channel.writeInbound(
        HTTP2Frame(
          streamID: 1, payload: .headers(.init(headers: [":status": "200", "content-type": "application/grpc"]))))
    }
    for promise in connection.headersPromises.held { promise.fail(error) }
    var responses = stream.responses.makeAsyncIterator()
    return await #expect(throws: RPCError.self) { while try await responses.next() != nil {} }
  }

  @Test func headersHTTP2HeldBackBecauseTheConnectionClosedAreRefused() async throws {
    try await Self.onALoopOfItsOwn {
      let ending = try await Self.callWhoseHeadersFailed(with: NIOHTTP2Errors.ioOnClosedConnection())
      #expect(ending?.streamRefused == true)
    }
  }

  @Test func headersUnderWhichTheSocketFailedAreNotRefused() async throws {
    try await Self.onALoopOfItsOwn {
      for error: any Error in [
        ChannelError.eof, ChannelError.ioOnClosedChannel, IOError(errnoCode: ECONNRESET, reason: "writev"),
      ] {
        let ending = try await Self.callWhoseHeadersFailed(with: error)
        #expect(ending?.streamRefused == false, "\(error)")
        #expect(ending?.code == .unavailable, "\(error)")
      }
    }
  }

  @Test func aCallTheServerAnsweredIsNeverRefused() async throws {
    try await Self.onALoopOfItsOwn {
      let ending = try await Self.callWhoseHeadersFailed(with: NIOHTTP2Errors.ioOnClosedConnection(), answered: true)
      #expect(ending?.streamRefused == false)
    }
  }
}
