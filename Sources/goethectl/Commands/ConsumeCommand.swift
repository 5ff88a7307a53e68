import ArgumentParser
import GoetheKit
import Synchronization

struct ConsumeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "consume",
    abstract: "Read a topic as a named consumer, committing its cursor as events are printed.",
    discussion: """
      Starts after the consumer's stored cursor (from the beginning if it has none), or at --from. \
      The cursor is committed after every printed batch, also when Ctrl-C ends the command, so the \
      next run resumes after the last printed event.
      """)

  @Argument(help: "The topic.", completion: DynamicCompletion.topics)
  var topic: String

  @Option(help: "The consumer's name.", completion: DynamicCompletion.consumers)
  var consumer: String

  // Unconditional: a value may start with '-', as -15m does.
  @Option(
    parsing: .unconditional, help: ArgumentHelp("Start here instead of after the stored cursor.", valueName: "position")
  )
  var from: String?

  @OptionGroup var reading: ReadingOptions

  @OptionGroup var printing: EventLayoutOptions

  @OptionGroup var global: GlobalOptions

  func validate() throws {
    _ = try from.map { text throws(GoetheError) in try global.positions.start(text) }
    _ = try printing.layout(for: global.output)
  }

  func run() async throws {
    let stream = EventStream(
      topic: topic,
      from: try from.map { text throws(GoetheError) in try global.positions.start(text) } ?? .afterConsumer(consumer),
      origin: from.map { .position($0) } ?? .consumer(consumer), to: nil, limit: reading.limit, follow: reading.follow,
      console: global.console, layout: try printing.layout(for: global.output), summary: "consumed")
    let (topic, consumer) = (topic, consumer)
    try await global.withClient { client in
      let printed = Mutex<UInt64?>(nil)
      do {
        try await stream.run(
          client,
          afterBatch: { batch in
            guard let last = batch.last?.id else { return }
            printed.withLock { $0 = last }
            try await Self.commit(client, topic: topic, consumer: consumer, through: last)
          })
      } catch {
        // Commit what was printed before giving up, also when interrupted.
        if let last = printed.withLock({ $0 }) {
          try? await Self.commit(client, topic: topic, consumer: consumer, through: last)
        }
        throw error
      }
    }
  }

  /// Commits in a task of its own, so that a Ctrl-C that cancels the command does not cancel the commit.
  private static func commit(_ client: GoetheClient, topic: String, consumer: String, through id: UInt64) async throws {
    try await Task { _ = try await client.setCursor(topic: topic, consumer: consumer, to: .event(id)) }.value
  }
}
