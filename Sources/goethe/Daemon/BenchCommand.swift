import ArgumentParser
import Foundation
import GoetheKit

struct BenchCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Measure the storage engine on this machine's disk against raw LevelDB.",
    discussion: """
      Appends 100-byte events singly and in batches of 100, with --sync never and always, from 1, 8 \
      and 64 concurrent appenders, then scans a topic of a million events; prints events per second \
      beside raw LevelDB's figures on the same directory. Run it on a release build: make bench.
      """)

  @Option(name: .customLong("data-dir"), help: ArgumentHelp("Where to write the scratch stores (removed afterwards).", valueName: "dir"), completion: .directory)
  var dataDir = FileManager.default.temporaryDirectory.path

  @Option(help: "Seconds per measurement.")
  var seconds: Double = 2

  func run() async throws {
    print("goethe storage benchmark in \(dataDir), \(seconds)s per figure, 100-byte events")
    do {
      _ = try await StorageBenchmark(directory: dataDir, seconds: seconds) { print($0) }.run()
    } catch let error as GoetheError {
      reportFailure(error.message)
      throw ExitCode.failure
    }
  }
}
