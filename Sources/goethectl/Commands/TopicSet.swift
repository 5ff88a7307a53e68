import ArgumentParser
import GoetheKit

struct TopicSet: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "set", abstract: "Change a topic's retention limits.",
    discussion: """
      Limits not given stay as they are; none removes one. Events beyond a new limit are removed \
      within a few seconds, oldest first.
      """)

  @Argument(help: "The topic.", completion: DynamicCompletion.topics)
  var topic: String

  @OptionGroup var retention: RetentionOptions

  @OptionGroup var global: GlobalOptions

  func validate() throws {
    guard try !retention.changes().isEmpty else {
      throw ValidationError("give at least one of --max-age, --max-events and --max-bytes")
    }
  }

  func run() async throws {
    let (topic, changes) = (topic, try retention.changes())
    let info = try await global.withClient { try await $0.setRetention(topic, changes) }
    let printer = TopicPrinter(console: global.console)
    if global.console.format == .json {
      printer.json(info)
    } else {
      global.console.out("topic \(info.name): \(printer.retention(info.retention))")
    }
  }
}
