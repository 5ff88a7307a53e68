import ArgumentParser
import GoetheKit

struct CursorCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cursor", abstract: "List, show, set and delete consumers' stored cursors.",
    subcommands: [CursorList.self, CursorGet.self, CursorSet.self, CursorDelete.self])
}

struct CursorList: AsyncParsableCommand {
  static let configuration = CommandConfiguration(commandName: "list", abstract: "List cursors, of one topic or all.")

  @Argument(help: "Only this topic's cursors.", completion: DynamicCompletion.topics)
  var topic: String?

  @OptionGroup var global: GlobalOptions

  func run() async throws {
    let cursors = try await global.withClient { try await $0.cursors(topic: topic) }
    CursorPrinter(console: global.console).print(cursors)
  }
}

struct CursorGet: AsyncParsableCommand {
  static let configuration = CommandConfiguration(commandName: "get", abstract: "Show one consumer's cursor.")

  @OptionGroup var cursor: CursorArguments

  @OptionGroup var global: GlobalOptions

  func run() async throws {
    let stored = try await global.withClient { try await $0.cursor(topic: cursor.topic, consumer: cursor.consumer) }
    CursorPrinter(console: global.console).print([stored])
  }
}

struct CursorSet: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "set", abstract: "Move a consumer's cursor.",
    discussion: """
      An event id marks that event as processed (an id that names no event picks the nearest \
      following one); a time makes the consumer resume with the first event at or after it; \
      beginning and end resume with the first event and with the next to arrive. \
      Positions: \(Goethectl.positionHelp)
      """)

  @OptionGroup var cursor: CursorArguments

  @Argument(help: "The position.")
  var position: String

  @OptionGroup var global: GlobalOptions

  func validate() throws {
    _ = try global.positions.position(position)
  }

  func run() async throws {
    let target = try global.positions.position(position)
    let moved = try await global.withClient {
      try await $0.setCursor(topic: cursor.topic, consumer: cursor.consumer, to: target)
    }
    CursorPrinter(console: global.console).print([moved])
  }
}

struct CursorDelete: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "delete", abstract: "Delete a consumer's cursor; it then starts from the beginning.")

  @OptionGroup var cursor: CursorArguments

  @OptionGroup var global: GlobalOptions

  func run() async throws {
    try await global.withClient { try await $0.deleteCursor(topic: cursor.topic, consumer: cursor.consumer) }
    if global.console.format == .text { global.console.out("deleted cursor of \(cursor.consumer) on \(cursor.topic)") }
  }
}
