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
      beside raw LevelDB's figures on the same directory, each the best of several rounds. Run it \
      on a release build: make bench.
      """)

  @Option(
    name: .customLong("data-dir"),
    help: ArgumentHelp("Where to write the scratch stores (removed afterwards).", valueName: "dir"),
    completion: .directory)
  var dataDir = FileManager.default.temporaryDirectory.path

  @Option(help: "Seconds per measurement.")
  var seconds: Double = 1

  @Option(help: "How often each figure is measured; the best is reported.")
  var rounds = 3

  @Option(help: ArgumentHelp("Measure only the figures whose names contain this text.", valueName: "text"))
  var only: String?

  func validate() throws {
    guard seconds > 0 else { throw ValidationError("--seconds must be more than 0") }
    guard rounds >= 1 else { throw ValidationError("--rounds must be at least 1") }
  }

  func run() async throws {
    print("goethe storage benchmark in \(dataDir), best of \(rounds) × \(seconds)s per figure, 100-byte events")
    do {
      let benchmark = StorageBenchmark(
        directory: dataDir, seconds: seconds, only: only, report: { print($0) },
        progress: { FileHandle.standardError.write(Data("\($0)\n".utf8)) })
      _ = try await benchmark.run(rounds: rounds)
    } catch let error as GoetheError {
      reportFailure(error.message)
      throw ExitCode.failure
    }
  }
}
