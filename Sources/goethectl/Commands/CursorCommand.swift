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
