import Foundation
import Testing

/// Connections that never become calls do not hold the daemon's sockets: one that never sends the
/// HTTP/2 preface is closed after --handshake-timeout, one that goes quiet after --idle-timeout.
@Suite(.timeLimit(.minutes(1)))
struct ConnectionTimeoutTests {
  static let preface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8) + [0, 0, 0, 4, 0, 0, 0, 0, 0]

  /// The frame types in `bytes`, which start at a frame boundary.
  static func frameTypes(_ bytes: [UInt8]) -> [UInt8] {
    var types: [UInt8] = []
    var index = 0
    while index + 9 <= bytes.count {
      let length = Int(bytes[index]) << 16 | Int(bytes[index + 1]) << 8 | Int(bytes[index + 2])
      types.append(bytes[index + 3])
      index += 9 + length
    }
    return types
  }

  @Test func silentAndIdleConnectionsAreClosed() async throws {
    try await withScratchDirectory { scratch in
      let daemon = try await Daemon.start(
        dataDirectory: scratch.appendingPathComponent("data"), ["--handshake-timeout", "1s", "--idle-timeout", "2s"])
      defer { daemon.killIfRunning() }
      let port = daemon.port
      let (silent, idle) = try await runBlocking {
        let silent = try RawSocket(port: port, timeout: 20)
        let idle = try RawSocket(port: port, timeout: 20)
        _ = idle.transmit(Self.preface)
        let started = ContinuousClock.now
        let silentBytes = silent.receive()
        let silentAfter = ContinuousClock.now - started
        let idleBytes = idle.receive()
        return ((silentBytes, silentAfter), (idleBytes, ContinuousClock.now - started))
      }
      #expect(Self.frameTypes(silent.0) == [0x4], "only the server's SETTINGS, then the close")
      #expect(silent.1 < .seconds(10), "closed by the handshake timeout, not the read timeout: \(silent.1)")
      #expect(Self.frameTypes(idle.0).last == 0x7, "an idle connection is told GOAWAY: \(Self.frameTypes(idle.0))")
      #expect(idle.1 < .seconds(10), "closed by the idle timeout, not the read timeout: \(idle.1)")
      #expect(daemon.isRunning)
    }
  }
}
