import ArgumentParser
import GoetheKit

struct TopicDelete: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "delete", abstract: "Delete a topic with its events, cursors and time index.",
    discussion:
      "Asks first on a terminal; --yes skips the question, and scripts need it. Exits 3 if there is no such topic.")

  @Argument(help: "The topic.", completion: DynamicCompletion.topics)
  var topic: String

  @Flag(name: .shortAndLong, help: "Delete without asking.")
  var yes = false

  @OptionGroup var global: GlobalOptions

  func run() async throws {
    let (topic, yes) = (topic, yes)
    let console = global.console
    let deleted: TopicInfo? = try await global.withClient { client in
      let info = try await client.describeTopic(topic)
      let what = "delete topic \(topic) with \(info.eventCount == 1 ? "1 event" : "\(info.eventCount) events")"
      let cursors = info.consumers.count
      guard
        try Confirmation.granted(
          what + (cursors == 0 ? "" : " and \(cursors == 1 ? "1 cursor" : "\(cursors) cursors")"), yes: yes)
      else { return nil }
      try await client.deleteTopic(topic)
      return info
    }
    guard let deleted else {
      console.note("topic \(topic) was not deleted")
      throw ExitCode.failure
    }
    if console.format == .json {
      console.json(["topic": .string(topic), "deleted": .raw("true"), "events": .number(deleted.eventCount)])
    } else {
      console.out("deleted topic \(topic) (\(deleted.eventCount == 1 ? "1 event" : "\(deleted.eventCount) events"))")
    }
  }
}
