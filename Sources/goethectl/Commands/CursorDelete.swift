import ArgumentParser
import GoetheKit

struct CursorDelete: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "delete", abstract: "Delete a consumer's cursor; it then starts from the beginning.",
    discussion: "Prints where the cursor was, e.g. billing on orders: seq 5 → deleted.")

  @OptionGroup var cursor: CursorArguments

  @Flag(help: "Show the cursor that would be deleted, and change nothing.")
  var dryRun = false

  @Flag(help: "Succeed quietly when there is no such cursor or topic.")
  var ignoreNotFound = false

  @OptionGroup var global: GlobalOptions

  func run() async throws {
    let (topic, consumer, dryRun, ignoreNotFound) = (cursor.topic, cursor.consumer, dryRun, ignoreNotFound)
    let old: CursorInfo? = try await global.withClient { client in
      do {
        let old = try await client.cursors(topic: topic).first { $0.consumer == consumer }
        if old == nil, dryRun { throw GoetheError(.notFound, "topic \(topic) has no cursor of \(consumer)") }
        // Without one, the server's own error says so.
        if !dryRun, old != nil || !ignoreNotFound { try await client.deleteCursor(topic: topic, consumer: consumer) }
        return old
      } catch let error as GoetheError where error.code == .notFound && ignoreNotFound {
        return nil
      }
    }
    guard let old else { return }
    CursorMovePrinter(console: global.console, topic: topic, consumer: consumer, dryRun: dryRun)
      .print(from: old.sequence, to: nil)
  }
}
