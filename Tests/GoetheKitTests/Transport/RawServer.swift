import NIOCore
import NIOPosix
import Synchronization
import Testing

/// A server on a loopback port that speaks no HTTP/2 of its own: it accepts connections, sends
/// each its `greeting`, and otherwise only the bytes a test tells it to, to see what a client
/// makes of a server that holds back or misbehaves.
final class RawServer: Sendable {
  /// An empty SETTINGS frame: the server's preface, which makes a client's connection ready.
  static let settings: [UInt8] = [0, 0, 0, 0x4, 0, 0, 0, 0, 0]

  private let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
  private let greeting: [UInt8]
  private let accepted = Mutex<[any Channel]>([])
  private let closed = Atomic<Int>(0)

  init(greeting: [UInt8] = []) { self.greeting = greeting }

  /// Listens on a free port, which it returns.
  func start() async throws -> Int {
    let greeting = self.greeting
    let server = try await ServerBootstrap(group: group)
      .childChannelInitializer { [self] channel in
        accepted.withLock { $0.append(channel) }
        channel.closeFuture.whenComplete { [self] _ in closed.add(1, ordering: .relaxed) }
        return channel.eventLoop.makeCompletedFuture {
          try channel.pipeline.syncOperations.addHandler(Greeter(greeting: greeting))
        }
      }
      .bind(host: "127.0.0.1", port: 0).get()
    return try #require(server.localAddress?.port)
  }

  var connections: Int { accepted.withLock { $0.count } }
  var closedConnections: Int { closed.load(ordering: .relaxed) }

  /// Sends `bytes` on every connection accepted so far.
  func send(_ bytes: [UInt8]) {
    for channel in accepted.withLock({ $0 }) { channel.writeAndFlush(ByteBuffer(bytes: bytes), promise: nil) }
  }

  func stop() async throws { try await group.shutdownGracefully() }
}

/// Sends a connection its greeting once it is active.
private final class Greeter: ChannelInboundHandler {
  typealias InboundIn = ByteBuffer
  let greeting: [UInt8]

  init(greeting: [UInt8]) { self.greeting = greeting }

  func channelActive(context: ChannelHandlerContext) {
    if !greeting.isEmpty { context.writeAndFlush(NIOAny(ByteBuffer(bytes: greeting)), promise: nil) }
    context.fireChannelActive()
  }
}
