import Histogram
import Synchronization

/// One client's count of the events and payload bytes it moved and of the latencies it timed.
/// Every event counted also advances the progress line.
final class Tally: Sendable {
  struct Count: Sendable {
    var events = 0
    var bytes = 0
    /// Latencies in nanoseconds.
    var latency = Histogram<UInt64>()
  }

  private let state = Mutex(Count())
  private let progress: BenchProgress

  init(progress: BenchProgress) {
    self.progress = progress
  }

  func record(events: Int, bytes: Int, latency: Duration? = nil) {
    state.withLock { count in
      count.events += events
      count.bytes += bytes
      if let latency { count.latency.record(latency.inNanoseconds) }
    }
    progress.advance(by: events)
  }

  var count: Count { state.withLock { $0 } }
}
