import ArgumentParser
import GoetheKit
import Synchronization

struct TailCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tail", abstract: "Print the last events of a topic; with -f keep printing new ones.",
    discussion: """
      With -f --retry, a server that goes away or restarts is waited for: tail reconnects and \
      goes on after the last event it printed, saying so on stderr, until Ctrl-C.
      """)

  @Argument(help: "The topic.", completion: DynamicCompletion.topics)
  var topic: String

  @Option(name: [.customShort("n", allowingJoined: true), .long], help: "How many of the last events to print.")
  var lines: UInt64 = 10

  @Flag(name: [.short, .long], help: "Keep printing new events until Ctrl-C.")
  var follow = false

  @Flag(help: "With -f, reconnect when the server goes away and go on after the last printed event.")
  var retry = false

  @OptionGroup var printing: EventLayoutOptions

  @OptionGroup var global: GlobalOptions

  func validate() throws {
    _ = try printing.layout(for: global.output)
    if retry, !follow { throw ValidationError("--retry needs -f: only a followed stream is resumed") }
  }

  func run() async throws {
    let stream = EventStream(
      topic: topic, from: .last(lines), origin: .tail, to: nil, limit: nil, follow: follow, console: global.console,
      layout: try printing.layout(for: global.output))
    guard retry else { return try await global.withClient { try await stream.run($0) } }
    try await followRetrying(stream)
  }

  /// Follows `stream` until Ctrl-C, through restarts of the server: after each loss it tries
  /// again every half second and goes on after the last printed event, with one note on stderr
  /// when the server is lost and one when it is back.
  private func followRetrying(_ first: EventStream) async throws {
    var stream = first
    let printed = Mutex<UInt64?>(nil)
    let lost = Mutex(false)
    let server = try global.address()
    let console = stream.console
    func losing(_ why: String) {
      if !lost.withLock({ $0 }) { console.note(why + "; reconnecting") }
      lost.withLock { $0 = true }
    }
    while true {
      do {
        try await global.withClient { client in
          try await stream.run(
            client,
            onStart: {
              if lost.withLock({ $0 }) { console.note("reconnected to goethe at \(server)") }
              lost.withLock { $0 = false }
            },
            afterBatch: { batch in printed.withLock { $0 = batch.last?.id ?? $0 } })
        }
        // A followed stream ends without an error when the server shuts down.
        losing("goethe at \(server) ended the stream")
      } catch let error as GoetheError where [.unreachable, .unavailable].contains(error.code) {
        losing(error.message)
      }
      if let last = printed.withLock({ $0 }) {
        stream.from = .position(.event(last + 1))
        stream.origin = .resumed
      }
      try await Task.sleep(for: .milliseconds(500))
    }
  }
}

struct ReplayCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "replay", abstract: "Print the events of a topic from a position; moves no cursor.",
    discussion: "Positions: \(PositionArguments.help)")

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
