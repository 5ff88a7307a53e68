import GRPCCore
import NIOCore
import NIOEmbedded
import NIOHPACK
import NIOHTTP2
import Testing

@testable import GoetheKit

/// One call's handler on an embedded channel: what it makes of the frames a server sends, and
/// when it reads.
@Suite struct ClientStreamHandlerTests {
  /// Counts the reads the handler asks of its stream.
  private final class ReadCounter: ChannelOutboundHandler {
    typealias OutboundIn = Any
    var reads = 0

    func read(context: ChannelHandlerContext) {
      reads += 1
      context.read()
    }
  }

  private struct Call {
    let channel = EmbeddedChannel()
    let counter = ReadCounter()
    let queue: ResponseQueue

    init(refusedByGoAway: @escaping @Sendable () -> Bool = { false }) throws {
      queue = ResponseQueue(stream: channel)
      let handler = ClientStreamHandler(
        request: .init(path: "/s/m", authority: "localhost:1", scheme: "http", deadline: nil), queue: queue,
        writability: StreamWritability(), maxResponseSize: 1 << 20, refusedByGoAway: refusedByGoAway)
      try channel.pipeline.syncOperations.addHandlers([counter, handler])
      try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
    }

    func receive(_ payload: HTTP2Frame.FramePayload) throws { try channel.writeInbound(payload) }

    func receiveHeaders(_ headers: HPACKHeaders, endStream: Bool = false) throws {
      try receive(.headers(.init(headers: headers, endStream: endStream)))
    }

    func receiveMessage(_ bytes: [UInt8]) throws {
      try receive(.data(.init(data: .byteBuffer(GRPCFrameBytes(bytes).frame))))
    }
  }

  private static let ok: HPACKHeaders = [":status": "200", "content-type": "application/grpc"]

  @Test func itStopsReadingWhileTheCallerIsBehindAndGoesOnOnceItCaughtUp() async throws {
    let call = try Call()
    #expect(call.counter.reads == 1)
    try call.receiveHeaders(Self.ok)
    for index in 0..<(ResponseQueue.highWater + 8) { try call.receiveMessage([UInt8(index)]) }
    let reads = call.counter.reads
    // One read for the headers and each message until the queue held highWater parts.
    #expect(reads == ResponseQueue.highWater)
    #expect(call.queue.readsPaused)
    // Messages that were on their way still arrive, and it asks for no more.
    try call.receiveMessage([0xff])
    #expect(call.counter.reads == reads)

    var iterator = call.queue.makeAsyncIterator()
    guard case .metadata = try await iterator.next() else { Issue.record("no headers first"); return }
    var read = 0
    while call.queue.readsPaused {
      guard case .message(let bytes) = try await iterator.next() else { Issue.record("not a message"); return }
      #expect(bytes.withUnsafeBytes { Array($0) } == [UInt8(read)])
      read += 1
    }
    // It reads again once lowWater of the highWater + 9 messages are left.
    #expect(call.counter.reads == reads + 1)
    #expect(ResponseQueue.highWater + 9 - read == ResponseQueue.lowWater)
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
      let call = try Call(refusedByGoAway: { excluded })
      try await call.channel.close()
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
