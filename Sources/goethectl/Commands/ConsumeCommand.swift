import ArgumentParser
import Foundation
import GoetheKit

struct ConsumeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "consume",
    abstract: "Read a topic as a member of a named consumer, acknowledging each event once it is printed.",
    discussion: """
      Members of one consumer split its events: two shells running consume with the same --consumer \
      each print a share, every event once. An event is acknowledged once it is written out; one a \
      member does not acknowledge within the ack wait, or holds when it ends, goes to another member. \
      The consumer's cursor is its ack floor: the next run goes on after the events acknowledged. \
      Without -f, consume ends once nothing is left for it. --from moves the consumer's ack floor \
      first (goethectl consumer reset does the same).
      """)

  @Argument(help: "The topic.", completion: DynamicCompletion.topics)
  var topic: String

  @Option(help: "The consumer's name.", completion: DynamicCompletion.consumers)
  var consumer: String

  // Unconditional: a value may start with '-', as -15m does.
  @Option(
    parsing: .unconditional,
    help: ArgumentHelp("Start the consumer here instead of after its ack floor.", valueName: "position"))
  var from: String?

  @OptionGroup var reading: ReadingOptions

  @OptionGroup var settings: SharedConsumerOptions

  @OptionGroup var printing: EventLayoutOptions

  @OptionGroup var global: GlobalOptions

  func validate() throws {
    _ = try from.map { text throws(GoetheError) in try resetTarget(text) }
    _ = try printing.layout(for: global.output)
  }

  /// Where `--from` moves the ack floor: the consumer goes on with the first event at or after it.
  private func resetTarget(_ text: String) throws(GoetheError) -> Position {
    switch try global.positions.start(text) {
    case .position(.event(let id)): .time(id)
    case .position(let position): position
    case .afterConsumer, .last:
      throw GoetheError(.invalidArgument, "--from takes an event id, a time, beginning or end here")
    }
  }

  func run() async throws {
    let target = try from.map { text throws(GoetheError) in try resetTarget(text) }
    let settings = try settings.settings()
    let member = SharedMember(
      topic: topic, consumer: consumer, settings: settings, limit: reading.limit, follow: reading.follow,
      console: global.console, layout: try printing.layout(for: global.output))
    try await global.withClient { client in
      if let target { _ = try await client.resetConsumer(topic: topic, consumer: consumer, to: target) }
      try await member.run(client)
    }
  }
}
