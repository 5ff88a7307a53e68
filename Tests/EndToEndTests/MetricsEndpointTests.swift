import Foundation
import GoetheKit
import Testing

/// `--metrics-listen`: Prometheus text on GET /metrics.
@Suite(.timeLimit(.minutes(1)))
struct MetricsEndpointTests {
  @Test func countsAppends() async throws {
    try await withScratchDirectory { scratch in
      let port = try RawSocket.freePort()
      let daemon = try await Daemon.start(
        dataDirectory: scratch.appendingPathComponent("data"), ["--metrics-listen", "127.0.0.1:\(port)"])
      defer { daemon.killIfRunning() }
      let line = await daemon.child.stderr.firstLine { $0.contains("metrics listening") }
      try #require(line?.contains("127.0.0.1:\(port)") == true, "\(daemon.child.stderr.lines)")

      let before = try await runBlocking { try RawSocket.httpGet(port: port, path: "/metrics") }
      #expect(before.status.hasPrefix("HTTP/1.1 200"), "\(before.status)")
      #expect(Self.value(of: "goethe_appends_total", in: before.body) == 0, "\(before.body)")

      try await daemon.withClient { client in
        _ = try await client.append([Data("a".utf8), Data("b".utf8)], to: "orders")
      }
      let after = try await runBlocking { try RawSocket.httpGet(port: port, path: "/metrics") }
      #expect(after.status.hasPrefix("HTTP/1.1 200"), "\(after.status)")
      #expect(Self.value(of: "goethe_appends_total", in: after.body) == 1, "\(after.body)")
      #expect(Self.value(of: "goethe_appended_events_total", in: after.body) == 2, "\(after.body)")
      #expect(after.body.contains("goethe_append_duration_seconds"), "\(after.body)")

      let exit = try await daemon.stop()
      #expect(exit.status == 0, "\(exit)")
    }
  }

  /// The value of an unlabelled sample `name VALUE` in Prometheus text.
  static func value(of name: String, in text: String) -> Double? {
    for line in text.split(separator: "\n") {
      let parts = line.split(separator: " ")
      if parts.count == 2, parts[0] == name { return Double(parts[1]) }
    }
    return nil
  }
}
