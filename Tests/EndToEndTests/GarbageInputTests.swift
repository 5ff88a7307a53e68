import Foundation
import GoetheKit
import Testing

/// Bytes that are not gRPC on the daemon's port neither stop it nor keep it from serving.
@Suite(.timeLimit(.minutes(1)))
struct GarbageInputTests {
  enum Garbage: String, Sendable, CaseIterable, CustomTestStringConvertible {
    case randomBytes = "64 KiB of random bytes"
    case http1 = "a plain HTTP/1.1 GET"
    case http2PrefaceThenRandomBytes = "the HTTP/2 preface, then 64 KiB of random bytes"

    var testDescription: String { rawValue }

    var bytes: [UInt8] {
      var random = SystemRandomNumberGenerator()
      let noise = (0..<65_536).map { _ in UInt8.random(in: 0...255, using: &random) }
      switch self {
      case .randomBytes: return noise
      case .http1: return Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
      case .http2PrefaceThenRandomBytes: return Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8) + noise
      }
    }
  }

  @Test(arguments: Garbage.allCases)
  func daemonSurvives(_ garbage: Garbage) async throws {
    try await withScratchDirectory { scratch in
      let daemon = try await Daemon.start(dataDirectory: scratch.appendingPathComponent("data"))
      defer { daemon.killIfRunning() }
      let before = try await daemon.withClient { client in
        try await client.append([Data("before".utf8)], to: "orders")
      }

      let port = daemon.port
      let bytes = garbage.bytes
      // Several connections at once, each sending the garbage and reading until the daemon hangs up.
      try await withThrowingTaskGroup(of: Void.self) { group in
        for _ in 0..<4 {
          group.addTask {
            try await runBlocking {
              let socket = try RawSocket(port: port, timeout: 5)
              socket.transmit(bytes)
              _ = socket.receive()
            }
          }
        }
        try await group.waitForAll()
      }

      #expect(daemon.isRunning)
      try await daemon.withClient { client in
        let after = try await client.append([Data("after".utf8)], to: "orders")
        #expect(after.firstSequence == before.firstSequence + 1)
        let events = try await client.everything(in: "orders")
        #expect(events.map { String(decoding: $0.payload, as: UTF8.self) } == ["before", "after"])
      }
      let exit = try await daemon.stop()
      #expect(exit.status == 0, "\(exit)")
    }
  }
}
