import CLevelDB
import Foundation
import GoetheKit
import Synchronization

/// Measures the storage engine against raw LevelDB on the same disk: append throughput for 100-byte
/// events (single and in batches of 100, both durability modes, 1, 8 and 64 appenders) and
/// full-topic scans, as events per second, each beside the raw LevelDB figure it compares with.
struct StorageBenchmark {
  let directory: String
  let seconds: Double
  /// Only figures whose names contain this are measured (with the raw figures they compare with).
  var only: String?
  let report: (String) -> Void
  /// Where to say how far the measuring is.
  let progress: (String) -> Void

  struct Figure {
    var name: String
    var eventsPerSecond: Double
    var baseline: Double?
  }

  /// A raw LevelDB figure: the same writes (or scan) as a store figure, without the store.
  enum Baseline: Hashable {
    case append(batch: Int, sync: Bool, threads: Int)
    case scan

    var name: String {
      switch self {
      case .append(let batch, let sync, let threads):
        "raw leveldb \(batch == 1 ? "put" : "batch of \(batch)"), \(sync ? "sync" : "no sync")"
          + (threads == 1 ? "" : ", \(threads) threads")
      case .scan: "raw leveldb scan, compacted"
      }
    }
  }

  private struct Measurement {
    var name: String
    var baseline: Baseline?
    var measure: () async throws -> Double
  }

  static let payload = Data(repeating: 0x61, count: 100)
  static let scannedEvents = 1_000_000

  /// Measures every selected figure and its raw baseline `rounds` times, round after round and
  /// each figure right after its baseline, so that both see the same machine, and reports the best
  /// of each: on a shared machine the best run is the one least disturbed by others.
  func run(rounds: Int) async throws -> [Figure] {
    let selected = measurements().filter { measurement in only.map { measurement.name.contains($0) } ?? true }
    var baselines: [Baseline] = []
    for baseline in selected.compactMap(\.baseline) where !baselines.contains(baseline) { baselines.append(baseline) }
    var raw: [Baseline: Double] = [:]
    var best: [String: Double] = [:]
    for round in 1...rounds {
      progress("round \(round) of \(rounds)")
      var measured: Set<Baseline> = []
      for measurement in selected {
        if let baseline = measurement.baseline, measured.insert(baseline).inserted {
          raw[baseline] = max(raw[baseline] ?? 0, try measure(baseline))
        }
        best[measurement.name] = max(best[measurement.name] ?? 0, try await measurement.measure())
      }
    }
    let figures =
      baselines.map { Figure(name: $0.name, eventsPerSecond: raw[$0]!, baseline: nil) }
      + selected.map {
        Figure(name: $0.name, eventsPerSecond: best[$0.name]!, baseline: $0.baseline.flatMap { raw[$0] })
      }
    for figure in figures { report(Self.format(figure)) }
    return figures
  }

  /// Every figure; concurrent appenders compare with as many raw LevelDB writer threads, since
  /// LevelDB serialises writers itself.
  private func measurements() -> [Measurement] {
    var list: [Measurement] = []
    for durability in [Durability.never, .always] {
      let sync = durability == .always
      for appenders in [1, 8] {
        for batch in [1, 100] {
          list.append(
            Measurement(
              name:
                "goethe append\(batch == 1 ? "" : " batch of \(batch)"), sync \(durability), \(appenders) appender(s)",
              baseline: .append(batch: batch, sync: sync, threads: appenders)
            ) { try await appendRate(durability: durability, batch: batch, appenders: appenders) })
        }
      }
    }
    list.append(
      Measurement(name: "goethe append, sync always, 64 appenders", baseline: .append(batch: 1, sync: true, threads: 1))
      {
        try await appendRate(durability: .always, batch: 1, appenders: 64)
      })
    list.append(
      Measurement(name: "goethe scan, compacted (payloads borrowed)", baseline: .scan) {
        try await scanRate(copying: false)
      })
    list.append(
      Measurement(name: "goethe read, compacted (payloads copied)", baseline: .scan) {
        try await scanRate(copying: true)
      })
    return list
  }

  private func measure(_ baseline: Baseline) throws -> Double {
    let raw = RawLevelDBBenchmark(directory: directory, seconds: seconds)
    switch baseline {
    case .append(let batch, let sync, let threads):
      return try raw.appendRate(batch: batch, sync: sync, threads: threads, payload: Array(Self.payload))
    case .scan:
      return try raw.scanRate(records: Self.scannedEvents, valueSize: 8 + Self.payload.count)
    }
  }

  static func format(_ figure: Figure) -> String {
    let rate =
      figure.eventsPerSecond >= 1e6
      ? String(format: "%8.2f M/s", figure.eventsPerSecond / 1e6)
      : String(format: "%8.1f k/s", figure.eventsPerSecond / 1e3)
    let relative = figure.baseline.map { String(format: "  (%.0f%% of raw)", figure.eventsPerSecond / $0 * 100) } ?? ""
    return figure.name.padding(toLength: 58, withPad: " ", startingAt: 0) + rate + relative
  }

  // MARK: Goethe

  private func appendRate(durability: Durability, batch: Int, appenders: Int) async throws -> Double {
    let path = freshDirectory("append")
    let store = try EventStore(path: path, options: StoreOptions(durability: durability))
    defer {
      store.close()
      try? FileManager.default.removeItem(atPath: path)
    }
    _ = try await store.createTopic("bench")
    let payloads = Array(repeating: Self.payload, count: batch)
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1_000))
    let started = ContinuousClock.now
    let total = try await withThrowingTaskGroup(of: Int.self) { group in
      for _ in 0..<appenders {
        group.addTask {
          var events = 0
          while ContinuousClock.now < deadline {
            _ = try await store.append(payloads, to: "bench")
            events += batch
          }
          return events
        }
      }
      return try await group.reduce(0, +)
    }
    return Double(total) / elapsed(since: started)
  }

  /// Scans a compacted topic of a million events again and again for the measuring time, handing
  /// out borrowed payloads or reading events with copied payloads (what a subscription sends) in
  /// reads of 4096.
  private func scanRate(copying: Bool) async throws -> Double {
    let path = freshDirectory("scan")
    let store = try EventStore(path: path, options: StoreOptions(durability: .never))
    defer {
      store.close()
      try? FileManager.default.removeItem(atPath: path)
    }
    let batch = Array(repeating: Self.payload, count: 1_000)
    for _ in 0..<(Self.scannedEvents / batch.count) {
      _ = try await store.append(batch, to: "bench", createTopic: true)
    }
    try await store.compact()
    let start = try store.resolveStart(.beginning, in: "bench")

    var events = 0
    var bytes = 0
    let rate = try timed {
      var scanned = 0
      if copying {
        var next = start.fromID
        while true {
          let read = try store.read(start, from: next, limit: 4_096)
          guard let last = read.last else { break }
          scanned += read.count
          for event in read { bytes &+= event.payload.count }
          next = last.id + 1
        }
      } else {
        scanned = try store.scan(start, from: 0, through: .max, limit: .max) { _, _, payload in
          bytes &+= payload.count
          return true
        }
      }
      precondition(scanned == Self.scannedEvents)
      events += scanned
      return scanned
    }
    precondition(bytes == events * Self.payload.count)
    return rate
  }

  /// Runs `body` (which returns how many events it handled) until the measuring time is up.
  private func timed(_ body: () throws -> Int) rethrows -> Double {
    let started = ContinuousClock.now
    let deadline = started + .milliseconds(Int(seconds * 1_000))
    var count = 0
    while ContinuousClock.now < deadline { count += try body() }
    return Double(count) / elapsed(since: started)
  }

  private func freshDirectory(_ name: String) -> String {
    "\(directory)/\(name)-\(UUID().uuidString)"
  }
}
