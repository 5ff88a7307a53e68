import ArgumentParser
import GoetheKit

struct CursorSet: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "set", abstract: "Move a consumer's cursor; prints where it was and where it is.",
    discussion: """
      An event id marks that event as processed (an id that names no event picks the nearest \
      following one); a time makes the consumer resume with the first event at or after it; \
      beginning and end resume with the first event and with the next to arrive. Prints the move \
      as sequence numbers, e.g. billing on orders: seq 5 → 0 (none when there was no cursor). \
      With --dry-run it prints the move without making it. \
      Positions: \(PositionArguments.help)
      """)

  @OptionGroup var cursor: CursorArguments

  @Argument(help: "The position.")
  var position: String

  @Flag(help: "Show where the cursor would move, and change nothing.")
  var dryRun = false

  @OptionGroup var global: GlobalOptions

  func validate() throws {
    _ = try global.positions.position(position)
  }

  func run() async throws {
    let target = try global.positions.position(position)
    let (topic, consumer, dryRun) = (cursor.topic, cursor.consumer, dryRun)
    let printer = CursorMovePrinter(console: global.console, topic: topic, consumer: consumer, dryRun: dryRun)
    try await global.withClient { client in
      // Read before the move; a move by someone else in between is not seen.
      let old = try await client.cursors(topic: topic).first { $0.consumer == consumer }?.sequence
      if dryRun {
        printer.print(from: old, to: try await Self.sequence(of: target, in: topic, client))
      } else {
        printer.print(from: old, to: try await client.setCursor(topic: topic, consumer: consumer, to: target))
      }
    }
  }

  /// The sequence the server would set the cursor to, as it resolves positions: the event at or
  /// after an id, the event before the first at or after a time, the head when nothing follows.
  private static func sequence(of position: Position, in topic: String, _ client: GoetheClient) async throws -> UInt64 {
    let head = try await client.describeTopic(topic).headSequence
    switch position {
    case .beginning: return 0
    case .end: return head
    case .event, .time:
      let start = try await client.subscribe(topic, from: .position(position), limit: 1) { $0.start }
      guard let first = start.sequence else { return head }
      if case .time = position { return first - 1 }
      return first
    }
  }
}
