public import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A real etcd 3.4 (`/usr/bin/etcd`, Debian's etcd-server) on free loopback ports with a data
/// directory of its own, killed when the test is done with it. How to tell that it serves is the
/// caller's (a read through goethe's etcd client, or an HTTP GET of /health).
public final class EtcdProcess: Sendable {
  public static let binary = "/usr/bin/etcd"

  public let clientPort: Int
  public let process: Process
  public let directory: URL

  /// `http://127.0.0.1:PORT` of the client API.
  public var clientURL: String { "http://127.0.0.1:\(clientPort)" }

  private init(clientPort: Int, process: Process, directory: URL) {
    self.clientPort = clientPort
    self.process = process
    self.directory = directory
  }

  /// Starts etcd, runs `body`, then kills etcd. `serves` says whether etcd on the client port
  /// answers; it is polled until it does.
  /// - Parameter host: an address of this host that etcd serves clients on too, besides loopback.
  public static func withEtcd<Result>(
    alsoListeningOn host: String? = nil, serves: @escaping @Sendable (Int) async -> Bool,
    _ body: (EtcdProcess) async throws -> Result
  ) async throws -> Result {
    let etcd = try await start(alsoListeningOn: host, serves: serves)
    defer { etcd.kill() }
    return try await body(etcd)
  }

  /// Starts etcd and waits until it answers; a port taken between choosing and binding it means
  /// another try with other ports.
  public static func start(
    alsoListeningOn host: String? = nil, serves: @escaping @Sendable (Int) async -> Bool
  ) async throws -> EtcdProcess {
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
        "--listen-client-urls", ([client] + (host.map { ["http://\($0):\(clientPort)"] } ?? [])).joined(separator: ","),
        "--advertise-client-urls", client,
        "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
        "--initial-cluster", "test=\(peer)", "--initial-cluster-state", "new",
        // A single member elects itself after one election timeout: keep it short.
        "--heartbeat-interval", "20", "--election-timeout", "200",
        "--logger", "zap", "--log-outputs", log.path,
      ]
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      let etcd = EtcdProcess(clientPort: clientPort, process: process, directory: directory)
      let deadline = ContinuousClock.now + .seconds(20)
      while ContinuousClock.now < deadline, process.isRunning {
        if await serves(clientPort) { return etcd }
        try await Task.sleep(for: .milliseconds(50))
      }
      etcd.kill()
      failures.append((try? String(contentsOf: log, encoding: .utf8))?.suffix(400).description ?? "no log")
    }
    throw EtcdProcessError(message: "etcd did not start: \(failures.last ?? "")")
  }

  /// Stops etcd as a hung or partitioned server would seem to its clients: it keeps its sockets,
  /// and answers nothing until ``resume()``.
  public func pause() { _ = Glibc.kill(process.processIdentifier, SIGSTOP) }

  public func resume() { _ = Glibc.kill(process.processIdentifier, SIGCONT) }

  public func kill() {
    if process.isRunning {
      _ = Glibc.kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
    }
    try? FileManager.default.removeItem(at: directory)
  }

  /// A loopback port free now, chosen below the kernel's ephemeral range: no outgoing
  /// connection's local end and no listener on port 0 is ever given one there, so the port stays
  /// free for the test between its uses, such as restarting a node on the same address.
  public static func freePort() throws -> Int {
    let range = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)) ?? ""
    let ephemeralStart = range.split(whereSeparator: \.isWhitespace).first.flatMap { Int($0) } ?? 32_768
    let ports = 10_000..<max(ephemeralStart, 20_000)
    for _ in 0..<200 {
      let port = Int.random(in: ports)
      if try isFree(port) { return port }
    }
    throw EtcdProcessError(message: "no free port in \(ports)")
  }

  private static func isFree(_ port: Int) throws -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw EtcdProcessError(message: "socket: \(errno)") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = UInt16(port).bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    return withUnsafePointer(to: &address) { pointer in
      pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
      }
    }
  }
}

public struct EtcdProcessError: Error, CustomStringConvertible {
  public var message: String
  public var description: String { message }
}
