import ArgumentParser
import GoetheKit

struct TopicPurge: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "purge", abstract: "Remove a topic's events before a position.",
    discussion: """
      Consumers whose cursors point at removed events resume at the first event left. Asks first on \
      a terminal; --yes skips the question, and scripts need it.
      """)

  @Argument(help: "The topic.", completion: DynamicCompletion.topics)
  var topic: String

  // Unconditional: a value may start with '-', as -15m does.
  @Option(
    parsing: .unconditional,
    help: ArgumentHelp("Remove the events before this: \(PositionArguments.help)", valueName: "position"))
  var before: String

  @Flag(name: .shortAndLong, help: "Purge without asking.")
  var yes = false

  @OptionGroup var global: GlobalOptions

  func validate() throws {
    _ = try global.positions.position(before)
  }

  func run() async throws {
    let (topic, yes, text) = (topic, yes, before)
    let position = try global.positions.position(before)
    let console = global.console
    let purged = try await global.withClient { client -> (removed: UInt64, topic: TopicInfo)? in
      _ = try await client.describeTopic(topic)
      guard try Confirmation.granted("remove the events of topic \(topic) before \"\(text)\"", yes: yes) else {
        return nil
      }
      return try await client.purgeTopic(topic, before: position)
    }
    guard let purged else {
      console.note("nothing was removed from topic \(topic)")
      throw ExitCode.failure
    }
    if console.format == .json {
      console.json([
        "topic": .string(topic), "removed": .number(purged.removed), "events": .number(purged.topic.eventCount),
        "first_id": purged.topic.firstEventID.map { .string(String($0)) } ?? .null,
      ])
    } else {
      let first = purged.topic.firstEventID.map { ", the first is now \($0) (\(console.time($0)))" } ?? ""
      console.out(
        "removed \(purged.removed == 1 ? "1 event" : "\(purged.removed) events") of topic \(topic); \(purged.topic.eventCount) left\(first)"
      )
    }
  }
}
