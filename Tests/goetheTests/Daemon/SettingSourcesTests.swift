import Configuration
import Foundation
import GoetheKit
import Logging
import Testing

@testable import goethe

/// The daemon's settings through swift-configuration: flags over `GOETHE_*` variables over the
/// config file over the defaults; invalid values named with their source; the file reread.
@Suite(.timeLimit(.minutes(1)))
struct SettingSourcesTests {
  static let quiet = Logger(label: "goethe", factory: { _ in SwiftLogNoOpLogHandler() })

  static func configuration(
    flags: [String: String] = [:], environment: [String: String] = [:], file: String? = nil
  ) async throws -> DaemonConfiguration {
    try await withConfigFile(file) { path in
      let sources = try await SettingSources(flags: flags, environment: environment, configFile: path, logger: quiet)
      return try DaemonConfiguration.resolve(sources)
    }
  }

  static func withConfigFile<T>(_ text: String?, _ body: (String?) async throws -> T) async throws -> T {
    guard let text else { return try await body(nil) }
    return try await withTemporaryDirectory { directory, _ in
      let path = directory.appendingPathComponent("goethe.conf").path
      try Data(text.utf8).write(to: URL(fileURLWithPath: path))
      return try await body(path)
    }
  }

  @Test func flagsWinOverTheEnvironmentWhichWinsOverTheFile() async throws {
    let file = """
      # a comment
      sync = never
      data-dir = "/from/file"
      index-granularity = 15m
      idle-timeout = 5m
      """
    let configuration = try await Self.configuration(
      flags: ["data-dir": "/from/flag"],
      environment: ["GOETHE_DATA_DIR": "/from/env", "GOETHE_INDEX_GRANULARITY": "1d", "UNRELATED": "x"],
      file: file)
    #expect(configuration.dataDirectory == "/from/flag")
    #expect(configuration.indexGranularity == Granularity.maximum)
    #expect(configuration.durability == .never)
    #expect(configuration.idleTimeout == .seconds(300))
    #expect(configuration.listen == DaemonConfiguration().listen, "unset settings keep their defaults")
  }

  @Test(arguments: [
    ([String: String](), ["GOETHE_SYNC": "sometimes"], "GOETHE_SYNC: invalid value \"sometimes\""),
    (["sync": "sometimes"], [:], "--sync: invalid value \"sometimes\""),
    ([:], [:], "goethe.conf: sync: invalid value \"sometimes\""),
  ])
  func anInvalidValueNamesItsSource(
    flags: [String: String], environment: [String: String], message: String
  )
    async throws
  {
    let error = await expectError(.invalidArgument) {
      _ = try await Self.configuration(flags: flags, environment: environment, file: "sync = sometimes\n")
    }
    #expect(error?.message.contains(message) == true, "\(error?.message ?? "")")
  }

  @Test func aLineThatIsNotASettingIsRefusedWithItsNumber() async throws {
    let error = await expectError(.invalidArgument) {
      _ = try await Self.configuration(file: "sync = never\nsnyc = always\n")
    }
    #expect(error?.message.contains("goethe.conf:2: expected `key = value`") == true, "\(error?.message ?? "")")
  }

  @Test func aMissingFileIsRefused() async throws {
    let error = await expectError(.invalidArgument, mentioning: ["cannot read config file /nonexistent/goethe.conf"]) {
      _ = try await SettingSources(
        flags: [:], environment: [:], configFile: "/nonexistent/goethe.conf", logger: Self.quiet)
    }
    #expect(error != nil)
  }

  @Test func aNewLogLevelInTheFileIsApplied() async throws {
    try await Self.withConfigFile("log-level = info\n") { path in
      let path = try #require(path)
      let sources = try await SettingSources(flags: [:], environment: [:], configFile: path, logger: Self.quiet)
      let levels = LogLevelSwitch(try DaemonConfiguration.resolve(sources).logLevel)
      let reloading = try #require(sources.reloading)
      let watcher = LogLevelWatcher(reader: sources.reader, levels: levels, logger: Self.quiet)
      try await withThrowingDiscardingTaskGroup { group in
        group.addTask { try await reloading.run() }
        group.addTask { try await watcher.run() }
        #expect(levels.level == .info)
        try Data("log-level = debug\n".utf8).write(to: URL(fileURLWithPath: path))
        let deadline = ContinuousClock.now + .seconds(20)
        while levels.level != .debug, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(levels.level == .debug, "the new level is applied within a few polls")
        try Data("log-level = loud\n".utf8).write(to: URL(fileURLWithPath: path))
        group.cancelAll()
      }
      #expect(levels.level == .debug, "an invalid level keeps the current one")
    }
  }
}
