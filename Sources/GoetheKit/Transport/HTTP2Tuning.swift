import NIOCore
package import NIOHTTP2

/// The HTTP/2 settings both of Goethe's ends use: flow-control windows large enough that a batch
/// of events is never held up by them on loopback.
package enum HTTP2Tuning {
  package static let windowSize = 8 << 20

  /// A connection that announces `settings`, the window and a header list of at most 16 KiB. Each
  /// end keeps its inbound windows, the connection's and every stream's, at `windowSize` itself
  /// (``InboundWindows``).
  package static func connection(announcing settings: [HTTP2Setting]) -> NIOHTTP2Handler.ConnectionConfiguration {
    var configuration = NIOHTTP2Handler.ConnectionConfiguration()
    configuration.initialSettings =
      settings + [
        HTTP2Setting(parameter: .initialWindowSize, value: windowSize),
        HTTP2Setting(parameter: .maxHeaderListSize, value: 16 << 10),
      ]
    // Frames of a stream reset lately are let through rather than taken for a connection error;
    // as many as a peer may reset (``streams``), not swift-nio-http2's 32.
    configuration.maximumRecentlyResetStreams = 2_000
    return configuration
  }

  /// The streams' configuration: a peer may reset 2,000 streams in 10 s before it is taken for an
  /// attacker (swift-nio-http2's default is 200 in 30 s). gRPC clients reset a stream for every
  /// call they cancel or whose deadline passes, and one that does so a few times a second had its
  /// connection closed with every call on it. At this limit, a peer that opens and cancels
  /// following subscriptions as fast as it may costs Goethe's server about 4% of a core
  /// (docs/protocol.md), so the limit still bounds a flood of resets.
  package static var streams: NIOHTTP2Handler.StreamConfiguration {
    var configuration = NIOHTTP2Handler.StreamConfiguration()
    configuration.streamResetFrameRateLimit.maximumCount = 2_000
    configuration.streamResetFrameRateLimit.windowLength = .seconds(10)
    return configuration
  }
}
