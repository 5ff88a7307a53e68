import GoetheKit
import Logging
import ServiceLifecycle

/// Removes, every `interval`, the events that topics' retention limits no longer keep, oldest
/// first, and compacts what it removed so that the disk gets the space back.
///
/// Only the node that takes writes decides what goes (a store that does not take writes refuses
/// ``TopicRetention/retentionCut(_:now:limit:)``); its trims are writes, which the other nodes apply
/// as committed. Each trim removes at most ``eventsPerTrim`` events, which bounds how long it holds
/// the store's lock. A topic is compacted after a round that trimmed it, at most once per
/// ``compactionInterval`` (``CompactionSchedule``).
struct RetentionEnforcer: Service {
  let store: any GoetheStore
  let interval: Duration
  let logger: Logger

  static let eventsPerTrim = 10_000
  static let compactionInterval: Duration = .seconds(30)

  func run() async throws {
    do {
      try await cancelWhenGracefulShutdown {
        var compactions = CompactionSchedule(interval: Self.compactionInterval)
        while true {
          await enforce(&compactions)
          try await Task.sleep(for: interval)
        }
      }
    } catch is CancellationError {
      return
    }
  }

  /// One round over every topic with limits, and the compactions that are due.
  func enforce(_ compactions: inout CompactionSchedule) async {
    for topic in store.listTopics() where !topic.retention.isNone {
      do {
        let trimmed = try await trim(topic.name)
        let now = ContinuousClock.now
        if compactions.isDue(topic.name, trimmed: trimmed, now: now) {
          try await store.compact(topic: topic.name)
          compactions.compacted(topic.name, at: now)
        }
      } catch let error as GoetheError {
        // Not the writer, a topic deleted meanwhile, appends in flight, or a full disk (which the
        // store reports itself): the next round retries.
        if ![.unavailable, .notFound, .conflict, .diskFull].contains(error.code) {
          logger.warning("retention of topic \(topic.name) failed: \(error.message)")
        }
      } catch {
        logger.warning("retention of topic \(topic.name) failed: \(error)")
      }
    }
  }

  /// Trims the topic until its limits hold; returns whether it removed anything.
  private func trim(_ topic: String) async throws -> Bool {
    var trimmed = false
    while let cut = try await store.retentionCut(topic, now: store.now(), limit: Self.eventsPerTrim) {
      try await store.trim(topic, through: cut)
      trimmed = true
    }
    return trimmed
  }
}
