import GoetheKit
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Prometheus
import ServiceLifecycle

/// Serves the Prometheus text format on `GET /metrics` (any path answers the same).
struct MetricsEndpoint: Service {
  let address: ServerAddress
  let registry: PrometheusCollectorRegistry
  let logger: Logger

  func run() async throws {
    let registry = self.registry
    let channel: any Channel
    do {
      channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
        .childChannelInitializer { channel in
          channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.configureHTTPServerPipeline()
            try channel.pipeline.syncOperations.addHandler(MetricsHandler(registry: registry))
          }
        }
        .bind(host: address.host, port: address.port).get()
    } catch {
      throw GoetheError(.unavailable, "cannot serve metrics on \(address): \(error); choose another --metrics-listen")
    }
    logger.info(
      "metrics listening", metadata: ["metrics-listen": "\(channel.localAddress.map { "\($0)" } ?? "\(address)")"])
    await withGracefulShutdownHandler {
      try? await channel.closeFuture.get()
    } onGracefulShutdown: {
      channel.close(promise: nil)
    }
  }
}

private final class MetricsHandler: ChannelInboundHandler, Sendable {
  typealias InboundIn = HTTPServerRequestPart
  typealias OutboundOut = HTTPServerResponsePart

  let registry: PrometheusCollectorRegistry

  init(registry: PrometheusCollectorRegistry) { self.registry = registry }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    guard case .end = unwrapInboundIn(data) else { return }
    let body = registry.emitToBuffer()
    var headers = HTTPHeaders()
    headers.add(name: "Content-Type", value: "text/plain; version=0.0.4; charset=utf-8")
    headers.add(name: "Content-Length", value: "\(body.count)")
    context.write(
      wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
    context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil)
    context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
  }
}
