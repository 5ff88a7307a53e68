import ArgumentParser
import GoetheKit

struct ConsumerCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "consumer", abstract: "Describe and reset shared consumers, and list and replay their parked events.",
    subcommands: [ConsumerDescribe.self, ConsumerReset.self, ConsumerParked.self, ConsumerReplay.self])
}

struct ConsumerDescribe: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "describe",
    abstract: "Show a shared consumer: its members and what they hold, its ack floor and lag, and its counts.")

  @OptionGroup var cursor: CursorArguments

  @OptionGroup var global: GlobalOptions

  func run() async throws {
    let description = try await global.withClient {
      try await $0.describeConsumer(topic: cursor.topic, consumer: cursor.consumer)
    }
    ConsumerPrinter(console: global.console).print(description)
  }
}

struct ConsumerReset: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "reset",
    abstract: "Move a shared consumer's ack floor; its members go on after it.",
    discussion: """
      An event id counts as processed: delivery goes on with the event after it. What members hold \
      is delivered no more unless the floor moved back before it. Parked events stay parked.
      """)

  @OptionGroup var cursor: CursorArguments

  @Argument(help: ArgumentHelp(PositionArguments.help, valueName: "position"))
  var position: String

  @OptionGroup var global: GlobalOptions

  func validate() throws { _ = try global.positions.position(position) }

  func run() async throws {
    let target = try global.positions.position(position)
    let description = try await global.withClient {
      try await $0.resetConsumer(topic: cursor.topic, consumer: cursor.consumer, to: target)
    }
    ConsumerPrinter(console: global.console).print(description)
  }
}

struct ConsumerParked: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "parked", abstract: "List a shared consumer's parked events: those its deliveries ran out for.")

  @OptionGroup var cursor: CursorArguments

  @OptionGroup var global: GlobalOptions

  func run() async throws {
    let description = try await global.withClient {
      try await $0.describeConsumer(topic: cursor.topic, consumer: cursor.consumer)
    }
    ConsumerPrinter(console: global.console).printParked(description.parked)
  }
}

struct ConsumerReplay: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "replay",
    abstract: "Deliver parked events again to a shared consumer's members.",
    discussion: "Without ids, every parked event. An event stays parked until a member acknowledges it.")

  @OptionGroup var cursor: CursorArguments

  @Argument(help: "The parked events' ids.")
  var ids: [UInt64] = []

  @OptionGroup var global: GlobalOptions

  func run() async throws {
    let description = try await global.withClient {
      try await $0.replayParked(topic: cursor.topic, consumer: cursor.consumer, ids: ids)
    }
    ConsumerPrinter(console: global.console).print(description)
  }
}
