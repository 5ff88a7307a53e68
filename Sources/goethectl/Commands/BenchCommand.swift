import ArgumentParser
import GoetheKit

struct BenchCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench", abstract: "Measure the server: events per second, MB/s and latency percentiles.",
    discussion: """
      \(BenchModes.all.map { "\($0.name): \($0.summary)." }.joined(separator: "\n\n"))

      -n counts events over all clients, which share them evenly. Without --topic each run writes \
      to a new topic, bench-MODE-SECONDS-XXXX, which stays afterwards. Latencies come from an HDR \
      histogram (3 significant digits). Progress shows on a terminal; -o json prints the figures as \
      one JSON object.
      """)

  @Argument(
    help: ArgumentHelp("What to measure.", valueName: "mode"), completion: .list(BenchModeArgument.allValueStrings))
  var mode: BenchModeArgument

  @Option(
    name: [.customShort("c", allowingJoined: true), .long],
    help: ArgumentHelp("Concurrent clients, each on a connection of its own.", valueName: "n"))
  var clients = 1

  @Option(
    name: [.customShort("n", allowingJoined: true), .long],
    help: ArgumentHelp("Events in all, over every client.", valueName: "n"))
  var events = 100_000

  @Option(help: ArgumentHelp("Payload size of each event written, such as 100 or 1KiB.", valueName: "size"))
  var size = "100"

  @Option(help: ArgumentHelp("Events per append call\(Self.defaults(of: .batch)).", valueName: "n"))
  var batch: Int?

  @Option(help: ArgumentHelp("Requests each client keeps in flight\(Self.defaults(of: .inflight)).", valueName: "n"))
  var inflight: Int?

  @Option(
    help: ArgumentHelp("The topic (default: a new one).", valueName: "topic"), completion: DynamicCompletion.topics)
  var topic: String?

  @OptionGroup var global: GlobalOptions

  func validate() throws {
    _ = try resolved()
  }

  func run() async throws {
    let (bench, settings) = try resolved()
    let console = global.console
    let harness = BenchHarness(settings: settings, global: global, console: console)
    let server = try await global.withClient { client in try await client.serverInfo() }
    let report = BenchReport(
      console: console, mode: bench, settings: settings, server: try global.address(), sync: server.durability)
    let created = try await harness.createdTopic()
    report.header()
    let topic = try await bench.prepare(created, on: harness)
    let result = try await harness.progress.showing(total: settings.events, on: console) {
      try await bench.run(on: topic, harness)
    }
    report.print(result)
  }

  /// The mode with the checked settings it runs with.
  private func resolved() throws -> (any BenchMode, BenchSettings) {
    guard events >= 1 else { throw ValidationError("-n/--events must be at least 1") }
    guard clients >= 1 else { throw ValidationError("-c/--clients must be at least 1") }
    guard clients <= events else {
      throw ValidationError(
        "-c/--clients (\(clients)) is more than -n/--events (\(events)): every client needs an event")
    }
    var tuning = mode.type.tuning
    for option in BenchTuning.allCases {
      guard let value = given(option) else { continue }
      guard value >= 1 else { throw ValidationError("\(option.option) must be at least 1") }
      guard tuning[option] != nil else {
        let takers = BenchModes.all.filter { $0.tuning[option] != nil }.map { $0.name }
        throw ValidationError(
          "\(option.option) does not apply to bench \(mode.type.name)"
            + (takers.isEmpty ? "" : "; it applies to \(takers.joined(separator: ", "))"))
      }
      tuning[option] = value
    }
    if let topic { try Names.validateTopic(topic) }
    let settings = BenchSettings(
      topic: topic ?? BenchSettings.freshTopic(for: mode.type.name), clients: clients, events: events,
      size: try ByteSize(parsing: size).bytes, tuning: tuning)
    return (try mode.type.init(settings), settings)
  }

  /// The value of a tuning option on the command line.
  private func given(_ option: BenchTuning) -> Int? {
    switch option {
    case .batch: batch
    case .inflight: inflight
    }
  }

  /// The modes that read `option`, with their defaults: ` (append: 100, tail: 1)`.
  private static func defaults(of option: BenchTuning) -> String {
    let defaults = BenchModes.all.compactMap { mode in mode.tuning[option].map { "\(mode.name): \($0)" } }
    return defaults.isEmpty ? "" : " (" + defaults.joined(separator: ", ") + ")"
  }
}

/// A mode as named on the command line.
struct BenchModeArgument: ExpressibleByArgument {
  let type: any BenchMode.Type

  init?(argument: String) {
    guard let type = BenchModes.named(argument) else { return nil }
    self.type = type
  }

  static var allValueStrings: [String] { BenchModes.all.map { $0.name } }
}
