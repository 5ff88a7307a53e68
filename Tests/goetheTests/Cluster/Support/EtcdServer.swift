import Foundation
import GoetheKit
import Testing

@testable import goethe

#if canImport(Glibc)
  import Glibc
#endif

/// A real etcd 3.4 (`/usr/bin/etcd`, Debian's etcd-server) on free loopback ports with a data
/// directory of its own, killed when the test is done with it.
final class EtcdServer: Sendable {
  static let binary = "/usr/bin/etcd"

  let clientPort: Int
  let process: Process
  let dataDirectory: URL

  var endpoints: EtcdEndpoints { EtcdEndpoints(addresses: [ServerAddress(host: "127.0.0.1", port: clientPort)]) }

  private init(clientPort: Int, process: Process, dataDirectory: URL) {
    self.clientPort = clientPort
    self.process = process
    self.dataDirectory = dataDirectory
  }

  /// Starts etcd, runs `body`, then kills etcd.
  static func withServer<Result: Sendable>(_ body: (EtcdServer) async throws -> Result) async throws -> Result {
    let server = try await start()
    defer { server.kill() }
    return try await body(server)
  }

  /// Starts etcd and waits until it answers; a port taken between choosing and binding it means
  /// another try with other ports.
  private static func start() async throws -> EtcdServer {
    var failures: [String] = []
    for _ in 0..<5 {
      let directory = FileManager.default.temporaryDirectory.appendingPathComponent("goethe-etcd-\(UUID().uuidString)")
      let (clientPort, peerPort) = (try freePort(), try freePort())
      let log = directory.appendingPathComponent("etcd.log")
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      _ = FileManager.default.createFile(atPath: log.path, contents: nil)
      let process = Process()
      process.executableURL = URL(fileURLWithPath: binary)
      let client = "http://127.0.0.1:\(clientPort)"
      let peer = "http://127.0.0.1:\(peerPort)"
      process.arguments = [
        "--name", "test", "--data-dir", directory.appendingPathComponent("data").path,
        "--listen-client-urls", client, "--advertise-client-urls", client,
        "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
        "--initial-cluster", "test=\(peer)", "--initial-cluster-state", "new",
        // A single member elects itself after one election timeout: keep it short.
        "--heartbeat-interval", "20", "--election-timeout", "200",
        "--logger", "zap", "--log-outputs", log.path,
      ]
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      let server = EtcdServer(clientPort: clientPort, process: process, dataDirectory: directory)
      if try await server.waitUntilServing(within: .seconds(20)) { return server }
      server.kill()
      failures.append((try? String(contentsOf: log, encoding: .utf8))?.suffix(400).description ?? "no log")
    }
    throw EtcdServerError(message: "etcd did not start: \(failures.last ?? "")")
  }

  /// Whether etcd answers a read before `timeout`; false as soon as it exited (a port was taken).
  private func waitUntilServing(within timeout: Duration) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    return try await EtcdClient.withClient(endpoints: endpoints, requestTimeout: .seconds(1)) { client in
      while ContinuousClock.now < deadline && process.isRunning {
        if (try? await client.range(prefix: "/")) != nil { return true }
        try await Task.sleep(for: .milliseconds(50))
      }
      return false
    }
  }

  /// Stops etcd as a hung or partitioned server would seem to its clients: it keeps its sockets,
  /// and answers nothing until ``resume()``.
  func pause() { _ = Glibc.kill(process.processIdentifier, SIGSTOP) }

  func resume() { _ = Glibc.kill(process.processIdentifier, SIGCONT) }

  func kill() {
    if process.isRunning {
      _ = Glibc.kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
    }
    try? FileManager.default.removeItem(at: dataDirectory)
  }

  /// A loopback port nothing listens on at the moment: bound with port 0, then released.
  static func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw EtcdServerError(message: "socket: \(errno)") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
      pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
        bind(fd, address, length) == 0 && getsockname(fd, address, &length) == 0
      }
    }
    guard bound else { throw EtcdServerError(message: "bind: \(errno)") }
    return Int(UInt16(bigEndian: address.sin_port))
  }
}

struct EtcdServerError: Error, CustomStringConvertible {
  var message: String
  var description: String { message }
}
