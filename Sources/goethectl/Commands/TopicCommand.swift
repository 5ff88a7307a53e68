import ArgumentParser
import GoetheKit

struct TopicCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "topic", abstract: "Create, list, describe, chart, bound and delete topics.",
    subcommands: [
      TopicCreate.self, TopicList.self, TopicDescribe.self, TopicStats.self, TopicSet.self, TopicPurge.self,
      TopicDelete.self,
    ])
}

struct TopicCreate: AsyncParsableCommand {
  static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a topic.")

  @Argument(help: "The topic name: 1 to 249 characters of A-Z a-z 0-9 . _ -")
  var name: String

  @Option(
    help: ArgumentHelp(
      "Bucket width of the topic's time index, 1m to 1d (default: the server's, 1h).", valueName: "duration"))
  var indexGranularity: String?

  @OptionGroup var retention: RetentionOptions

  @Flag(help: "Succeed when the topic exists already, as it is; say so instead of failing.")
  var ifNotExists = false

  @OptionGroup var global: GlobalOptions

  func validate() throws {
    _ = try indexGranularity.map { text throws(GoetheError) in try Granularity(parsing: text) }
  }

  func run() async throws {
    let granularity = try indexGranularity.map { text throws(GoetheError) in try Granularity(parsing: text) }
    let (name, ifNotExists, changes) = (name, ifNotExists, try retention.changes())
    let (topic, created) = try await global.withClient { client in
      do {
        return (try await client.createTopic(name, granularity: granularity, retention: changes), true)
      } catch let error as GoetheError where error.code == .alreadyExists && ifNotExists {
        return (try await client.describeTopic(name), false)
      }
    }
    let console = global.console
    if console.format == .json {
      TopicPrinter(console: console).json(topic)
    } else {
      let what = created ? "created topic \(topic.name)" : "topic \(topic.name) exists already"
      let limits = topic.retention.isNone ? "" : "; " + TopicPrinter(console: console).retention(topic.retention)
      console.out("\(what) (time index per \(topic.granularity)\(limits))")
    }
  }
}

struct TopicList: AsyncParsableCommand {
  static let configuration = CommandConfiguration(commandName: "list", abstract: "List topics with their event counts.")

  @OptionGroup var global: GlobalOptions

  func run() async throws {
    // The listing carries no cursors; in JSON each topic names its consumers, as describe does.
    let json = global.console.format == .json
    let topics = try await global.withClient { client in
      var topics = try await client.topics()
      guard json else { return topics }
      let consumers = Dictionary(grouping: try await client.cursors(), by: \.topic)
      for index in topics.indices { topics[index].consumers = consumers[topics[index].name] ?? [] }
      return topics
    }
    let printer = TopicPrinter(console: global.console)
    if global.console.format == .json {
      topics.forEach(printer.json)
    } else if global.console.format == .raw {
      topics.forEach { global.console.out($0.name) }
    } else {
      printer.table(topics)
    }
  }
}

struct TopicDescribe: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "describe", abstract: "Show a topic: counts, first and last event, consumers and their lag.")

  @Argument(help: "The topic.", completion: DynamicCompletion.topics)
  var topic: String

  @OptionGroup var global: GlobalOptions

  func run() async throws {
    let info = try await global.withClient { try await $0.describeTopic(topic) }
    let printer = TopicPrinter(console: global.console)
    if global.console.format == .json { printer.json(info) } else { printer.describe(info) }
  }
}

struct TopicStats: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "stats", abstract: "Events per time-index bucket, drawn as a bar chart.")

  @Argument(help: "The topic.", completion: DynamicCompletion.topics)
  var topic: String

  // Unconditional: a value may start with '-', as -15m does.
  @Option(parsing: .unconditional, help: ArgumentHelp("From this time (default: the beginning).", valueName: "time"))
  var from: String?

  @Option(parsing: .unconditional, help: ArgumentHelp("Up to this time (default: now).", valueName: "time"))
  var to: String?

  @OptionGroup var global: GlobalOptions

  func validate() throws {
    _ = try range()
  }

  private func range() throws(GoetheError) -> (from: UInt64, to: UInt64?) {
    let reader = global.positions
    let start = try from.map { text throws(GoetheError) in try reader.time(text) } ?? 0
    let end = try to.map { text throws(GoetheError) in try reader.time(text) }
    if let end, end < start { throw GoetheError(.invalidArgument, "--to is before --from") }
    return (start, end)
  }

  func run() async throws {
    let range = try range()
    let (_, buckets) = try await global.withClient { try await $0.stats(topic, from: range.from, to: range.to) }
    let console = global.console
    switch console.format {
    case .raw:
      for bucket in buckets { console.out("\(bucket.start)\t\(bucket.count)") }
    case .json:
      for bucket in buckets {
        console.json([
          "topic": .string(topic), "start": .string(console.jsonTime(bucket.start)), "count": .number(bucket.count),
          "last_id": .string(String(bucket.lastEventID)),
        ])
      }
    case .text:
      if buckets.isEmpty { console.note("topic \(topic) has no events in that range") }
      BarChart(buckets: buckets).render(console)
    }
  }
}
