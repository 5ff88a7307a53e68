import GRPCCore
import NIOCore
import NIOEmbedded
import NIOHPACK
import NIOHTTP2
import NIOPosix
import Synchronization
import Testing

@testable import GoetheKit

/// One call's handler on an embedded connection: what it makes of the frames a server sends, and
/// the flow-control window its stream is given. An embedded channel may only be used from the
/// thread that made it, and the main actor may go on on another thread after an await, so each
/// test uses its channels before its first await after making them, or runs on an event loop of
/// its own.
@MainActor @Suite struct ClientStreamHandlerTests {
  private final class Resumptions: Sendable {
    let count = Atomic<Int>(0)
  }

  private struct Call {
    let channel = EmbeddedChannel()
    let handler: ClientStreamHandler
    let queue: ResponseQueue
    /// How many times the queue asked for the stream's window to open again.
    let resumed = Resumptions()

    init(refusedByGoAway: @escaping @Sendable (HTTP2StreamID) -> Bool = { _ in false }) throws {
      let resumed = self.resumed
      queue = ResponseQueue { resumed.count.add(1, ordering: .relaxed) }
      let connection = ClientConnectionHandler(targetWindow: ClientStreamHandlerTests.window)
      try channel.pipeline.syncOperations.addHandler(connection)
      try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
      handler = ClientStreamHandler(
        request: .init(path: "/s/m", authority: "localhost:1", scheme: "http", deadline: nil), queue: queue,
        writability: StreamWritability(), maxResponseSize: 1 << 20, connection: connection,
        eventLoop: channel.eventLoop, refusedByGoAway: refusedByGoAway)
      // The request's headers open stream 1.
      handler.send([.part(.metadata([:]))])
    }

    func receive(_ payload: HTTP2Frame.FramePayload) throws {
      try channel.writeInbound(HTTP2Frame(streamID: 1, payload: payload))
    }

    func receiveHeaders(_ headers: HPACKHeaders, endStream: Bool = false) throws {
      try receive(.headers(.init(headers: headers, endStream: endStream)))
    }

    func receiveMessage(_ bytes: [UInt8]) throws {
      try receive(.data(.init(data: .byteBuffer(GRPCFrameBytes(bytes).frame))))
    }

    /// The stream's inbound window as the HTTP/2 handler would report it.
    func windowNow(_ size: Int) {
      channel.pipeline.fireUserInboundEventTriggered(
        NIOHTTP2WindowUpdatedEvent(streamID: 1, inboundWindowSize: size, outboundWindowSize: nil))
    }

    /// The WINDOW_UPDATE increments written for the stream so far.
    func windowUpdates() throws -> [Int] {
      var updates: [Int] = []
      while let frame = try channel.readOutbound(as: HTTP2Frame.self) {
        if case .windowUpdate(let increment) = frame.payload, frame.streamID == 1 { updates.append(increment) }
      }
      return updates
    }
  }

  nonisolated private static let ok: HPACKHeaders = [":status": "200", "content-type": "application/grpc"]
  nonisolated static let window = 1 << 20

  /// Off the main actor, on an event loop of its own: the test awaits its reads, and the main
  /// actor may go on on another thread after an await (its queue is served by Dispatch's
  /// threads under `swift test` on Linux), where the embedded channel must not be used.
  @Test nonisolated func itClosesTheWindowWhileTheCallerIsBehindAndOpensItOnceItCaughtUp() async throws {
    let thread = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    try await withTaskExecutorPreference(EventLoopTaskExecutor(eventLoop: thread.next())) {
      let call = try Call()
      try call.receiveHeaders(Self.ok)
      for index in 0..<(ResponseQueue.highWater + 8) { try call.receiveMessage([UInt8(index)]) }
      #expect(call.queue.readsPaused)
      // Messages that were on their way still arrive, and the window stays as it is.
      try call.receiveMessage([0xff])
      call.windowNow(100)
      #expect(try call.windowUpdates().isEmpty)

      var iterator = call.queue.makeAsyncIterator()
      guard case .metadata = try await iterator.next() else { Issue.record("no headers first"); return }
      var read = 0
      while call.queue.readsPaused {
        guard case .message(let bytes) = try await iterator.next() else { Issue.record("not a message"); return }
        #expect(bytes.withUnsafeBytes { Array($0) } == [UInt8(read)])
        read += 1
      }
      // It asks for the window once lowWater of the highWater + 9 messages are left.
      #expect(call.resumed.count.load(ordering: .relaxed) == 1)
      #expect(ResponseQueue.highWater + 9 - read == ResponseQueue.lowWater)
      call.handler.resumeReading()
      #expect(try call.windowUpdates() == [Self.window - 100])
    }
    try await thread.shutdownGracefully()
  }

  @Test func aStreamWhoseCallerKeepsUpHasItsWindowToppedUp() throws {
    let call = try Call()
    try call.receiveHeaders(Self.ok)
    call.windowNow(Self.window / 2 + 1)
    #expect(try call.windowUpdates().isEmpty)
    call.windowNow(Self.window / 2)
    #expect(try call.windowUpdates() == [Self.window / 2])
  }

  /// A connection on an embedded channel, and calls on it that have sent nothing yet.
  private struct Connection {
    let channel = EmbeddedChannel()
    let handler: ClientConnectionHandler
    /// The events the connection handler sent down the pipeline.
    let events = EventRecorder()

    init(firstStreamID: HTTP2StreamID = 1) throws {
      handler = ClientConnectionHandler(targetWindow: ClientStreamHandlerTests.window, firstStreamID: firstStreamID)
      try channel.pipeline.syncOperations.addHandlers(handler, events)
      try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
    }

    func call(_ path: String) -> ClientStreamHandler {
      ClientStreamHandler(
        request: .init(path: path, authority: "localhost:1", scheme: "http", deadline: nil),
        queue: ResponseQueue {}, writability: StreamWritability(), maxResponseSize: 1 << 20, connection: handler,
        eventLoop: channel.eventLoop, refusedByGoAway: { _ in false })
    }

    /// The stream and path of each request's headers written so far.
    func requests() throws -> [(HTTP2StreamID, String)] {
      var requests: [(HTTP2StreamID, String)] = []
      while let frame = try channel.readOutbound(as: HTTP2Frame.self) {
        if case .headers(let headers) = frame.payload, let path = headers.headers.first(name: ":path") {
          requests.append((frame.streamID, path))
        }
      }
      return requests
    }
  }

  @Test func streamsGetTheirIdsInTheOrderTheyFirstSend() throws {
    let connection = try Connection()
    let first = connection.call("/s/first")
    let second = connection.call("/s/second")
    second.send([.part(.metadata([:]))])
    first.send([.part(.metadata([:]))])
    let requests = try connection.requests()
    #expect(requests.map(\.0) == [1, 3])
    #expect(requests.map(\.1) == ["/s/second", "/s/first"])
  }

  @Test func aCallAfterTheServersGoAwayIsRefusedUnsent() async throws {
    let connection = try Connection()
    try connection.channel.writeInbound(
      HTTP2Frame(streamID: .rootStream, payload: .goAway(lastStreamID: 0, errorCode: .noError, opaqueData: nil)))
    let call = connection.call("/s/late")
    call.send([.part(.metadata([:]))])
    #expect(try connection.requests().isEmpty)
    try #require(call.queue.isFinished, "refused at once")
    var iterator = call.queue.makeAsyncIterator()
    let error = try await #require(throws: RPCError.self) { try await iterator.next() }
    #expect(error.streamRefused, "nothing of it was sent: it may go again")
  }

  @Test func aConnectionWhoseStreamIDsRanOutSaysSoAndRefusesTheCallUnsent() async throws {
    let connection = try Connection(firstStreamID: HTTP2StreamID(Int32.max - 2))
    let last = connection.call("/s/last")
    last.send([.part(.metadata([:]))])
    #expect(!connection.events.sawStreamIDsExhausted)
    let call = connection.call("/s/one-too-many")
    call.send([.part(.metadata([:]))])
    #expect(try connection.requests().map(\.1) == ["/s/last"])
    #expect(connection.events.sawStreamIDsExhausted, "the connection's watcher learns that it is spent")
    try #require(call.queue.isFinished, "refused at once")
    var iterator = call.queue.makeAsyncIterator()
    let error = try await #require(throws: RPCError.self) { try await iterator.next() }
    #expect(error.streamRefused, "nothing of it was sent: it may go again, on a new connection")
  }

  /// Notes the user events that reach the end of the pipeline.
  private final class EventRecorder: ChannelInboundHandler {
    typealias InboundIn = HTTP2Frame
    private(set) var sawStreamIDsExhausted = false

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
      if event is ClientConnectionHandler.StreamIDsExhausted { sawStreamIDsExhausted = true }
      context.fireUserInboundEventTriggered(event)
    }
  }

  @Test func aTrailersOnlyAnswerIsTheStatusWithItsMessageDecoded() async throws {
    let call = try Call()
    try call.receiveHeaders(
      Self.ok.merging([("grpc-status", "5"), ("grpc-message", "no such topic: %C3%BC"), ("x-why", "gone")]),
      endStream: true)
    var iterator = call.queue.makeAsyncIterator()
    guard case .status(let status, let metadata) = try await iterator.next() else {
      Issue.record("no status")
      return
    }
    #expect(status.code == .notFound)
    #expect(status.message == "no such topic: ü")
    #expect(Array(metadata[stringValues: "x-why"]) == ["gone"])
    #expect(try await iterator.next() == nil)
  }

  @Test func anAnswerThatIsNotGRPCNamesItsHTTPStatus() async throws {
    let call = try Call()
    try call.receiveHeaders([":status": "404"], endStream: true)
    var iterator = call.queue.makeAsyncIterator()
    guard case .status(let status, _) = try await iterator.next() else {
      Issue.record("no status")
      return
    }
    #expect(status.code == .unimplemented)
    #expect(NonGRPCAnswer.status(in: status.message) == "404 Not Found")
  }

  @Test func aResetStreamFailsTheCallWithTheCodeItStandsFor() async throws {
    let call = try Call()
    try call.receiveHeaders(Self.ok)
    try call.receive(.rstStream(.refusedStream))
    var iterator = call.queue.makeAsyncIterator()
    guard case .metadata = try await iterator.next() else { Issue.record("no headers first"); return }
    let error = try await #require(throws: RPCError.self) { try await iterator.next() }
    #expect(error.code == .unavailable)
    #expect(error.streamRefused, "REFUSED_STREAM: nothing of it was processed")
    let cancelled = try Call()
    try cancelled.receiveHeaders(Self.ok)
    try cancelled.receive(.rstStream(.cancel))
    var cancelledParts = cancelled.queue.makeAsyncIterator()
    _ = try await cancelledParts.next()
    let cancel = try await #require(throws: RPCError.self) { try await cancelledParts.next() }
    #expect(cancel.code == .cancelled && !cancel.streamRefused)
  }

  @Test func aStreamPastTheLastOneAGoAwayServesIsRefused() async throws {
    for excluded in [true, false] {
      let call = try Call(refusedByGoAway: { _ in excluded })
      // Closed before any await, on the thread that made the embedded channel, not by an async close.
      call.channel.close(promise: nil)
      var iterator = call.queue.makeAsyncIterator()
      let error = try await #require(throws: RPCError.self) { try await iterator.next() }
      #expect(error.code == .unavailable)
      #expect(error.streamRefused == excluded, "\(error)")
    }
  }
}

extension HPACKHeaders {
  fileprivate func merging(_ more: [(String, String)]) -> HPACKHeaders {
    var headers = self
    for (name, value) in more { headers.add(name: name, value: value) }
    return headers
  }
}
