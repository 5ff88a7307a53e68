import Foundation
import GoetheKit
import Testing

/// The daemon refuses to start, with one `goethe: …` line saying why and a non-zero exit status.
@Suite(.timeLimit(.minutes(1)))
struct StartupRefusalTests {
  /// Checks the refusal and returns its one report line.
  @discardableResult
  private func expectRefusal(
    _ exit: GoetheProcess.Exit, mentioning words: [String], sourceLocation: SourceLocation = #_sourceLocation
  ) -> String? {
    #expect(exit.status != 0 && !exit.signalled, "\(exit)", sourceLocation: sourceLocation)
    #expect(exit.failureReports.count == 1, "\(exit)", sourceLocation: sourceLocation)
    #expect(!exit.stderr.contains { $0.contains("goethe listening") }, "\(exit)", sourceLocation: sourceLocation)
    let report = exit.failureReports.first ?? ""
    for word in words {
      #expect(report.contains(word), "\(report)", sourceLocation: sourceLocation)
    }
    return exit.failureReports.first
  }

  @Test func portAlreadyTaken() async throws {
    try await withScratchDirectory { scratch in
      let running = try await Daemon.start(dataDirectory: scratch.appendingPathComponent("first"))
      defer { running.killIfRunning() }
      let address = "127.0.0.1:\(running.port)"
      let exit = try await GoetheProcess.run(
        ["--listen", address, "--data-dir", scratch.appendingPathComponent("second").path])
      expectRefusal(exit, mentioning: [address, "already in use", "--listen"])
      #expect(
        !FileManager.default.fileExists(atPath: scratch.appendingPathComponent("second").path),
        "a daemon that cannot serve creates no store")
      #expect(running.isRunning)
      let appended = try await running.withClient { client in
        try await client.append([Data("still serving".utf8)], to: "orders")
      }
      #expect(appended.firstSequence == 1)
    }
  }

  @Test func dataDirectoryLockedByARunningDaemon() async throws {
    try await withScratchDirectory { scratch in
      let data = scratch.appendingPathComponent("data")
      let running = try await Daemon.start(dataDirectory: data)
      defer { running.killIfRunning() }
      try await running.withClient { client in _ = try await client.append([Data("a".utf8)], to: "orders") }

      let exit = try await GoetheProcess.run(["--listen", "127.0.0.1:0", "--data-dir", data.path])
      expectRefusal(exit, mentioning: [data.path, "in use"])
      let appended = try await running.withClient { client in
        try await client.append([Data("b".utf8)], to: "orders")
      }
      #expect(appended.firstSequence == 2)
    }
  }

  @Test func dataDirectoryThatIsARegularFile() async throws {
    try await withScratchDirectory { scratch in
      let file = scratch.appendingPathComponent("not-a-directory")
      try Data("x".utf8).write(to: file)
      let exit = try await GoetheProcess.run(["--listen", "127.0.0.1:0", "--data-dir", file.path])
      expectRefusal(exit, mentioning: [file.path, "data directory", "--data-dir"])
      #expect(try Data(contentsOf: file) == Data("x".utf8))
    }
  }

  @Test func dataDirectoryUnderARegularFile() async throws {
    try await withScratchDirectory { scratch in
      let file = scratch.appendingPathComponent("somefile")
      try Data("x".utf8).write(to: file)
      let data = file.appendingPathComponent("data")
      let exit = try await GoetheProcess.run(["--listen", "127.0.0.1:0", "--data-dir", data.path])
      expectRefusal(exit, mentioning: ["cannot create data directory \(data.path): \(file.path) is not a directory"])
      #expect(try Data(contentsOf: file) == Data("x".utf8))
    }
  }

  @Test(arguments: [
    (["--sync", "sometimes"], ["--sync", "sometimes"]),
    (["--listen", "nowhere"], ["--listen", "nowhere"]),
    (["--max-event-size", "0"], ["--max-event-size"]),
    (["--index-granularity", "7s"], ["--index-granularity", "7s"]),
    (["--log-level", "loud"], ["--log-level", "loud"]),
  ])
  func badFlagValue(arguments: [String], mentioning words: [String]) async throws {
    try await withScratchDirectory { scratch in
      let data = scratch.appendingPathComponent("data")
      let listen = arguments.contains("--listen") ? [] : ["--listen", "127.0.0.1:0"]
      let exit = try await GoetheProcess.run(listen + ["--data-dir", data.path] + arguments)
      expectRefusal(exit, mentioning: words)
      #expect(!FileManager.default.fileExists(atPath: data.path), "no store is created on bad flags")
    }
  }
}
