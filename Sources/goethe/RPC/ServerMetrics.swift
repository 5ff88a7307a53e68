import Metrics

/// The daemon's metrics; with no `--metrics-listen` they go to a factory that drops them.
struct ServerMetrics: Sendable {
  let appends: Counter
  let events: Counter
  let bytes: Counter
  let subscribers: Meter
  let appendLatency: Metrics.Timer

  init(factory: any MetricsFactory) {
    appends = Counter(label: "goethe_appends_total", factory: factory)
    events = Counter(label: "goethe_appended_events_total", factory: factory)
    bytes = Counter(label: "goethe_appended_bytes_total", factory: factory)
    subscribers = Meter(label: "goethe_subscribers", factory: factory)
    appendLatency = Metrics.Timer(label: "goethe_append_duration_seconds", factory: factory)
  }

  func recordAppend(events count: Int, bytes size: Int, since started: ContinuousClock.Instant) {
    appends.increment()
    events.increment(by: count)
    bytes.increment(by: size)
    let elapsed = started.duration(to: .now).components
    appendLatency.recordNanoseconds(elapsed.seconds * 1_000_000_000 + elapsed.attoseconds / 1_000_000_000)
  }
}
