import ArgumentParser
import GoetheKit

struct RepairCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "repair",
    abstract: "Recover what is readable of a damaged store, then check that it opens.",
    discussion: """
      Stop the daemon first. LevelDB's repair keeps every record whose checksum holds (its report \
      is in the file LOG.repair of the directory; files it cannot use are moved to lost/). Goethe \
      then rebuilds its own records from what is left, so that every count matches the events \
      readers get:

      Each topic's events keep their ids and payloads and are numbered 1, 2, 3, ... again, so the \
      head sequence, which is the event count, is the number of readable events, and the head is \
      the last readable event; new events are numbered on from there, with ids above every \
      surviving one. Cursors keep their event ids (a cursor on a lost event resumes at the next \
      readable one) and get sequences and lag recounted. The time index is rebuilt from the events.

      A topic whose catalog entry was lost has lost its name: its events are kept as topic \
      recovered-NUMBER, with the default time-index granularity (1h). A lost node identity is \
      replaced by a new one.

      Per topic, repair reports the events lost: the highest sequence number any surviving record \
      carried, less the readable events. Events newer than every surviving record leave no trace, \
      so this is a lower bound.
      """)

  @Option(
    name: .customLong("data-dir"), help: ArgumentHelp("Directory of the store to repair.", valueName: "dir"),
    completion: .directory)
  var dataDir: String

  func run() async throws {
    do {
      let report = try EventStore.repair(path: dataDir)
      let store = try EventStore(path: dataDir, options: StoreOptions(durability: .never))
      defer { store.close() }
      let topics = store.listTopics()
      let events = topics.reduce(0) { $0 + $1.eventCount }
      let lost = report.topics.reduce(0) { $0 + $1.lost }
      print(
        "repaired \(dataDir): it opens with \(topics.count) topics and \(events) events"
          + (lost > 0 ? ", \(lost) events lost" : "") + "; LevelDB's report is in \(LevelDB.repairReport(in: dataDir))")
      for line in Self.losses(report) { print(line) }
    } catch {
      reportFailure(error.message)
      throw ExitCode.failure
    }
  }

  /// One `lost: …` line per thing the repair could not recover.
  static func losses(_ report: RecoveryReport) -> [String] {
    var lines: [String] = []
    if report.formatVersionRestored { lines.append("lost: the storage format version; written again") }
    if let nodeID = report.newNodeID { lines.append("lost: the node identity; the new one is \(nodeID)") }
    for name in report.unreadableCatalogEntries {
      lines.append("lost: the catalog entry of topic \(name), which was unreadable")
    }
    for topic in report.topics {
      if topic.nameLost {
        lines.append(
          "lost: the name of topic number \(topic.number); its \(topic.readable) readable events are topic \(topic.name) now"
        )
      }
      if topic.lost > 0 {
        lines.append(
          "lost: \(topic.lost) of \(topic.written) events of topic \(topic.name); the \(topic.readable) readable ones are numbered 1...\(topic.readable) now"
        )
      }
    }
    return lines
  }
}
