import Testing

@testable import goethe

/// When retention compacts what it trimmed: at most once per interval, and never leaving a trim
/// uncompacted.
@Suite struct CompactionScheduleTests {
  static let start = ContinuousClock.now

  /// A round at `seconds` after the start that `trimmed` the topic or not, compacting it if due;
  /// returns whether it did.
  static func round(
    _ schedule: inout CompactionSchedule, _ topic: String, trimmed: Bool, at seconds: Int
  ) -> Bool {
    let now = start + .seconds(seconds)
    guard schedule.isDue(topic, trimmed: trimmed, now: now) else { return false }
    schedule.compacted(topic, at: now)
    return true
  }

  @Test func aTrimTooSoonAfterACompactionIsCompactedOnceTheIntervalHasPassed() {
    var schedule = CompactionSchedule(interval: .seconds(30))
    let rounds = [
      Self.round(&schedule, "t", trimmed: true, at: 0),
      // At most once per interval:
      Self.round(&schedule, "t", trimmed: true, at: 10),
      // Trimming stopped; the trim at 10 s is still owed its compaction.
      Self.round(&schedule, "t", trimmed: false, at: 20),
      Self.round(&schedule, "t", trimmed: false, at: 30),
      // Nothing trimmed since:
      Self.round(&schedule, "t", trimmed: false, at: 90),
    ]
    #expect(rounds == [true, false, false, true, false])
  }

  @Test func topicsAreScheduledApart() {
    var schedule = CompactionSchedule(interval: .seconds(30))
    let rounds = [
      Self.round(&schedule, "a", trimmed: true, at: 0),
      Self.round(&schedule, "b", trimmed: true, at: 1),
      Self.round(&schedule, "c", trimmed: false, at: 1),
      Self.round(&schedule, "a", trimmed: true, at: 2),
    ]
    #expect(rounds == [true, true, false, false])
  }
}
