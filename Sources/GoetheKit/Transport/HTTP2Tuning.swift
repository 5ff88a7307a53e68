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
    return configuration
  }
}
