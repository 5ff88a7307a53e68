import Foundation
import GoetheKit
import Testing

/// A config file of `key = value` lines configures the daemon, and it is reread while the daemon
/// runs: a new log-level applies without a restart.
@Suite(.timeLimit(.minutes(1)))
struct ConfigFileTests {
  @Test func theFileConfiguresTheDaemonAndANewLogLevelApplies() async throws {
    try await withScratchDirectory { scratch in
      let file = scratch.appendingPathComponent("goethe.conf")
      try Data("# goethe\nsync = never\nlog-level = info\nmax-event-size = 2MiB\n".utf8).write(to: file)
      let daemon = try await Daemon.start(
        dataDirectory: scratch.appendingPathComponent("data"), ["--config", file.path])
      defer { daemon.killIfRunning() }
      let info = try await daemon.withClient { try await $0.serverInfo() }
      #expect(info.durability == .never)
      #expect(info.maxEventSize == 2 << 20)

      try Data("# goethe\nsync = never\nlog-level = debug\nmax-event-size = 2MiB\n".utf8).write(to: file)
      let line = await daemon.child.stderr.firstLine(where: { $0.contains("log level is now debug") })
      #expect(line != nil)
      #expect(daemon.isRunning)
    }
  }
}
