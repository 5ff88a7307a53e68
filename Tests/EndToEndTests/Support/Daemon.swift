import Foundation
import GoetheKit

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A `goethe` child process with its output collected.
final class GoetheProcess: @unchecked Sendable {
  // Safety of `@unchecked Sendable`: `process` is configured and started in `init` and only read
  // afterwards (`processIdentifier`, `isRunning`, `terminationStatus`, `terminationReason`).
  let process: Process
  let stderr: OutputCollector
  let stdout: OutputCollector

  /// How a process ended.
  struct Exit: Sendable, CustomStringConvertible {
    var status: Int32
    var signalled: Bool
    var stderr: [String]
    var stdout: [String]

    /// The lines of `goethe: message` failure reports.
    var failureReports: [String] { stderr.filter { $0.hasPrefix("goethe: ") } }

    var description: String {
      "\(signalled ? "signal" : "exit status") \(status)\nstderr:\n\(stderr.joined(separator: "\n"))\nstdout:\n\(stdout.joined(separator: "\n"))"
    }
  }

  /// Starts `goethe arguments…` with a clean environment (no GOETHE_* settings leak in); with
  /// `fileSizeLimit` (in KiB) through a shell that sets that limit and ignores SIGXFSZ, so that
  /// writing past it fails with EFBIG; with a `launcher` (such as `ip netns exec NS`) through it,
  /// which must exec goethe so that signals reach it.
  init(_ arguments: [String], fileSizeLimit: Int? = nil, launcher: [String] = []) throws {
    process = Process()
    if let command = launcher.first {
      process.executableURL = URL(fileURLWithPath: command)
      process.arguments = launcher.dropFirst() + [try Binaries.goethe.path] + arguments
    } else if let fileSizeLimit {
      process.executableURL = URL(fileURLWithPath: "/bin/sh")
      process.arguments =
        ["-c", "ulimit -f \(fileSizeLimit) && trap '' XFSZ && exec \"$0\" \"$@\"", try Binaries.goethe.path] + arguments
    } else {
      process.executableURL = try Binaries.goethe
      process.arguments = arguments
    }
    process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("GOETHE_") }
    process.standardInput = FileHandle.nullDevice
    let errorPipe = Pipe()
    let outputPipe = Pipe()
    process.standardError = errorPipe
    process.standardOutput = outputPipe
    stderr = OutputCollector(errorPipe)
    stdout = OutputCollector(outputPipe)
    try process.run()
  }

  var pid: pid_t { process.processIdentifier }
  var isRunning: Bool { process.isRunning }

  func signal(_ number: Int32) { _ = kill(pid, number) }

  /// SIGKILL if it is still running; for `defer`.
  func killIfRunning() {
    if process.isRunning { signal(SIGKILL) }
  }

  /// Waits (polling with a deadline) for the process to exit, then for the end of its output.
  /// Past the deadline it is killed and an error says so.
  func waitForExit(within limit: Duration = .seconds(30)) async throws -> Exit {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: limit)
    while process.isRunning {
      guard clock.now < deadline else {
        let state = Self.kernelState(of: pid)
        signal(SIGKILL)
        await stderr.ended()
        throw E2EFailure(
          "goethe did not exit within \(limit) (\(state)); stderr:\n\(stderr.lines.joined(separator: "\n"))")
      }
      try await Task.sleep(for: .milliseconds(10))
    }
    await stderr.ended()
    await stdout.ended()
    return Exit(
      status: process.terminationStatus, signalled: process.terminationReason == .uncaughtSignal,
      stderr: stderr.lines, stdout: stdout.lines)
  }

  /// What the kernel says of `pid`: its state and threads, with each thread's wait channel, or
  /// that it is gone; so that a process seen running past its deadline can be told apart from
  /// one whose exit was missed.
  private static func kernelState(of pid: pid_t) -> String {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else {
      return "no /proc/\(pid): the process is gone"
    }
    let state = status.split(separator: "\n").filter { $0.hasPrefix("State:") || $0.hasPrefix("Threads:") }
    let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
    let channels = tasks.sorted().prefix(40).map { task in
      let name = (try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/comm", encoding: .utf8)) ?? "?"
      let channel = (try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/wchan", encoding: .utf8)) ?? "?"
      return "\(name.trimmingCharacters(in: .whitespacesAndNewlines))@\(channel)"
    }
    return (state + ["threads: " + channels.joined(separator: " ")]).joined(separator: ", ")
  }

  /// Runs `goethe arguments…` to completion.
  static func run(_ arguments: [String], within limit: Duration = .seconds(30)) async throws -> Exit {
    let process = try GoetheProcess(arguments)
    defer { process.killIfRunning() }
    return try await process.waitForExit(within: limit)
  }
}

/// A serving `goethe` daemon: started, and known to listen on `port`.
final class Daemon: Sendable {
  let child: GoetheProcess
  let dataDirectory: URL
  let address: ServerAddress

  var port: Int { address.port }

  private init(child: GoetheProcess, dataDirectory: URL, address: ServerAddress) {
    self.child = child
    self.dataDirectory = dataDirectory
    self.address = address
  }

  /// Starts `goethe --listen LISTEN --data-dir DIR extra…` and waits for its "goethe listening" line.
  static func start(
    dataDirectory: URL, listen: String = "127.0.0.1:0", _ extra: [String] = [], fileSizeLimit: Int? = nil,
    launcher: [String] = []
  ) async throws -> Daemon {
    let child = try GoetheProcess(
      ["--listen", listen, "--data-dir", dataDirectory.path] + extra, fileSizeLimit: fileSizeLimit, launcher: launcher)
    guard let line = await child.stderr.firstLine(where: { $0.contains("goethe listening") }) else {
      let exit = try await child.waitForExit()
      throw E2EFailure("goethe did not start: \(exit)")
    }
    guard let match = line.firstMatch(of: /(?:^|\s)listen=(\S+):(\d+)(?:\s|$)/), let port = Int(match.2) else {
      child.killIfRunning()
      throw E2EFailure("no listen=HOST:PORT in \"\(line)\"")
    }
    return Daemon(
      child: child, dataDirectory: dataDirectory, address: ServerAddress(host: String(match.1), port: port))
  }

  func signal(_ number: Int32) { child.signal(number) }
  func killIfRunning() { child.killIfRunning() }
  var isRunning: Bool { child.isRunning }

  /// SIGTERM, then waits for the exit.
  func stop() async throws -> GoetheProcess.Exit {
    signal(SIGTERM)
    return try await child.waitForExit()
  }

  /// SIGKILL, then waits for the exit.
  func crash() async throws -> GoetheProcess.Exit {
    signal(SIGKILL)
    return try await child.waitForExit()
  }

  /// A client connected for the duration of `body`.
  func withClient<Result: Sendable>(_ body: (GoetheClient) async throws -> Result) async throws -> Result {
    try await GoetheClient.withConnection(to: address, timeout: .seconds(30), body)
  }
}

extension GoetheClient {
  /// Every event of `topic`, read without following.
  func everything(in topic: String) async throws -> [StoredEvent] {
    try await subscribe(topic) { subscription in
      var events: [StoredEvent] = []
      for try await batch in subscription { events += batch }
      return events
    }
  }
}
