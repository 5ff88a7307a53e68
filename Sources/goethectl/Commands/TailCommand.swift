import ArgumentParser
import GoetheKit

struct TailCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tail", abstract: "Print the last events of a topic; with -f keep printing new ones.")

  @Argument(help: "The topic.", completion: DynamicCompletion.topics)
  var topic: String

  @Option(name: [.customShort("n", allowingJoined: true), .long], help: "How many of the last events to print.")
  var lines: UInt64 = 10

  @Flag(name: [.short, .long], help: "Keep printing new events until Ctrl-C.")
  var follow = false

  @OptionGroup var printing: EventLayoutOptions

  @OptionGroup var global: GlobalOptions

  func validate() throws {
    _ = try printing.layout(for: global.output)
  }

  func run() async throws {
    let stream = EventStream(
      topic: topic, from: .last(lines), origin: .tail, to: nil, limit: nil, follow: follow, console: global.console,
      layout: try printing.layout(for: global.output))
    try await global.withClient { try await stream.run($0) }
  }
}

struct ReplayCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "replay", abstract: "Print the events of a topic from a position; moves no cursor.",
    discussion: "Positions: \(Goethectl.positionHelp)")

  @Argument(help: "The topic.", completion: DynamicCompletion.topics)
  var topic: String

  // Unconditional: a value may start with '-', as -15m does.
  @Option(parsing: .unconditional, help: ArgumentHelp("Where to start.", valueName: "position"))
  var from = "beginning"

  @Option(
    parsing: .unconditional,
    help: ArgumentHelp("Where to stop: up to this event id, or before this time.", valueName: "position"))
  var to: String?

  @OptionGroup var reading: ReadingOptions

  @OptionGroup var printing: EventLayoutOptions

  @OptionGroup var global: GlobalOptions

  func validate() throws {
    _ = try global.positions.range(from: from, to: to)
    _ = try printing.layout(for: global.output)
  }

  func run() async throws {
    let range = try global.positions.range(from: from, to: to)
    let stream = EventStream(
      topic: topic, from: range.start, origin: .position(from), to: range.bound, limit: reading.limit,
      follow: reading.follow, console: global.console, layout: try printing.layout(for: global.output),
      summary: "replayed")
    try await global.withClient { try await stream.run($0) }
  }
}
