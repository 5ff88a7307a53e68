import ArgumentParser
import GoetheKit

struct RepairCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "repair",
    abstract: "Repair a damaged store with LevelDB's repair, then check that it opens.",
    discussion: "Stop the daemon first. Repair keeps every record it can read; LevelDB's own report is in the LOG file of the directory.")

  @Option(name: .customLong("data-dir"), help: ArgumentHelp("Directory of the store to repair.", valueName: "dir"), completion: .directory)
  var dataDir: String

  func run() async throws {
    do {
      try EventStore.repair(path: dataDir)
      let store = try EventStore(path: dataDir, options: StoreOptions(durability: .never))
      defer { store.close() }
      let topics = store.listTopics()
      let events = topics.reduce(0) { $0 + $1.eventCount }
      print("repaired \(dataDir): it opens with \(topics.count) topics and \(events) events; LevelDB's report is in \(dataDir)/LOG")
    } catch {
      reportFailure(error.message)
      throw ExitCode.failure
    }
  }
}
