import Histogram

/// What a run measured: the events and payload bytes moved between `start` and `end`, and the
/// latencies timed.
struct BenchResult: Sendable {
  var events = 0
  var bytes = 0
  var start: ContinuousClock.Instant
  var end: ContinuousClock.Instant
  /// Latencies in nanoseconds; empty when the mode times nothing.
  var latency = Histogram<UInt64>()

  /// The clients' counts together.
  init(_ counts: [Tally.Count], from start: ContinuousClock.Instant, to end: ContinuousClock.Instant) {
    self.start = start
    self.end = end
    for count in counts {
      events += count.events
      bytes += count.bytes
      latency.add(count.latency)
    }
  }

  var elapsed: Duration { start.duration(to: end) }

  var eventsPerSecond: Double { Double(events) / max(elapsed.inSeconds, 1e-9) }

  /// Payload megabytes (10⁶ bytes) per second.
  var megabytesPerSecond: Double { Double(bytes) / 1e6 / max(elapsed.inSeconds, 1e-9) }
}
