public import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The fake of the Kubernetes API server (`Tests/kubernetes/fake_apiserver.py`), backed by a real
/// etcd, on a free loopback port; killed when the test is done with it. No real kube-apiserver
/// can run here: the fake follows its rules for Leases, EndpointSlices and ConfigMaps.
public final class KubernetesAPIFakeProcess: Sendable {
  public static let script = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("kubernetes/fake_apiserver.py")

  public let port: Int
  /// `http://127.0.0.1:PORT`, or `https://` when it serves TLS.
  public let url: String
  private let process: Process

  private init(port: Int, url: String, process: Process) {
    self.port = port
    self.url = url
    self.process = process
  }

  /// Starts the fake on `etcdURL` with `arguments` (`--token-file`, `--tls-cert`...), runs `body`,
  /// then kills it.
  public static func withFake<Result>(
    etcdURL: String, arguments: [String] = [], tls: Bool = false,
    _ body: (KubernetesAPIFakeProcess) async throws -> Result
  ) async throws -> Result {
    let fake = try await start(etcdURL: etcdURL, arguments: arguments, tls: tls)
    defer { fake.kill() }
    return try await body(fake)
  }

  private static func start(etcdURL: String, arguments: [String], tls: Bool) async throws -> KubernetesAPIFakeProcess {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", script.path, "--etcd", etcdURL, "--port", "0"] + arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    // Its first line says where it listens: `listening on 127.0.0.1:PORT`.
    let line = await withCheckedContinuation { continuation in
      DispatchQueue.global().async {
        var bytes: [UInt8] = []
        while let byte = try? output.fileHandleForReading.read(upToCount: 1)?.first, byte != UInt8(ascii: "\n") {
          bytes.append(byte)
        }
        continuation.resume(returning: String(decoding: bytes, as: UTF8.self))
      }
    }
    guard let port = line.split(separator: ":").last.flatMap({ Int($0) }), line.hasPrefix("listening on ") else {
      if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
      throw EtcdProcessError(message: "the Kubernetes API fake did not start: \(line)")
    }
    return KubernetesAPIFakeProcess(
      port: port, url: "\(tls ? "https" : "http")://127.0.0.1:\(port)", process: process)
  }

  public func kill() {
    if process.isRunning {
      _ = Glibc.kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
    }
  }
}
