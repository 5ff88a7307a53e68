import Foundation
import GoetheKit
import Histogram

/// Prints a run: a header line before it (text only), then the figures, as key-value lines (text),
/// one JSON object (json) or one line of tab-separated numbers (raw).
struct BenchReport {
  let console: Console
  let mode: any BenchMode
  let settings: BenchSettings
  let server: ServerAddress
  /// The daemon's `--sync` mode, when the server tells.
  let sync: Durability?

  /// What is about to run, where.
  func header() {
    guard console.format == .text else { return }
    let clients = settings.clients == 1 ? "1 client" : "\(settings.clients) clients"
    console.out(
      "bench \(type(of: mode).name) (\(mode)): \(clients), \(settings.events) events of \(ByteSize(settings.size)); "
        + "topic \(settings.topic) on \(server), sync: \(sync?.rawValue ?? "unknown")")
  }

  func print(_ result: BenchResult) {
    switch console.format {
    case .text: text(result)
    case .json: json(result)
    case .raw: raw(result)
    }
  }

  private func text(_ result: BenchResult) {
    line("events", "\(result.events) in \(Self.duration(result.elapsed.inNanoseconds))")
    line(
      "throughput",
      "\(Int(result.eventsPerSecond.rounded())) events/s, \(String(format: "%.2f", result.megabytesPerSecond)) MB/s")
    if let sample = mode.latencySample {
      let latency = result.latency
      let percentiles = [("p50", 50.0), ("p99", 99.0), ("p99.9", 99.9)].map { name, percentile in
        "\(name) \(Self.duration(latency.valueAtPercentile(percentile)))"
      }
      line(
        "latency",
        (percentiles + ["max \(Self.duration(latency.maxRecorded))"]).joined(separator: ", ")
          + " (per \(sample); \(latency.totalCount) samples)")
    }
  }

  private func line(_ key: String, _ value: String) {
    console.out(console.paint((key + ":").padding(toLength: 12, withPad: " ", startingAt: 0), .bold) + value)
  }

  private func json(_ result: BenchResult) {
    console.json([
      "mode": .string(type(of: mode).name), "server": .string(server.description),
      "sync": sync.map { .string($0.rawValue) } ?? .null, "topic": .string(settings.topic),
      "clients": .integer(settings.clients), "size": .integer(settings.size),
      "batch": settings.tuning[.batch].map(JSONValue.integer) ?? .null,
      "inflight": settings.tuning[.inflight].map(JSONValue.integer) ?? .null,
      "events": .integer(result.events), "bytes": .integer(result.bytes),
      "seconds": .raw(String(format: "%.6f", result.elapsed.inSeconds)),
      "events_per_sec": .raw(String(format: "%.1f", result.eventsPerSecond)),
      "mb_per_sec": .raw(String(format: "%.3f", result.megabytesPerSecond)),
      "latency": mode.latencySample == nil ? .null : .raw(Self.object(latencyFields(result))),
    ])
  }

  private func latencyFields(_ result: BenchResult) -> KeyValuePairs<String, JSONValue> {
    let latency = result.latency
    return [
      "samples": .number(latency.totalCount), "p50_ns": .number(latency.valueAtPercentile(50)),
      "p99_ns": .number(latency.valueAtPercentile(99)), "p999_ns": .number(latency.valueAtPercentile(99.9)),
      "max_ns": .number(latency.maxRecorded),
    ]
  }

  /// Events, seconds, events/s, MB/s, then p50, p99 and p99.9 in nanoseconds (`-` without latency).
  private func raw(_ result: BenchResult) {
    let latency =
      mode.latencySample == nil
      ? ["-", "-", "-"] : [50, 99, 99.9].map { String(result.latency.valueAtPercentile($0)) }
    let figures = [
      String(result.events), String(format: "%.6f", result.elapsed.inSeconds),
      String(format: "%.1f", result.eventsPerSecond), String(format: "%.3f", result.megabytesPerSecond),
    ]
    console.out((figures + latency).joined(separator: "\t"))
  }

  private static func object(_ fields: KeyValuePairs<String, JSONValue>) -> String {
    "{" + fields.map { "\(JSONValue.quote($0.key)):\($0.value.encoded)" }.joined(separator: ",") + "}"
  }

  /// `850 ns`, `12.3 µs`, `4.56 ms`, `1.23 s`.
  private static func duration(_ nanoseconds: UInt64) -> String {
    switch nanoseconds {
    case ..<1_000: "\(nanoseconds) ns"
    case ..<1_000_000: String(format: "%.1f", Double(nanoseconds) / 1e3) + " µs"
    case ..<1_000_000_000: String(format: "%.2f", Double(nanoseconds) / 1e6) + " ms"
    default: String(format: "%.2f", Double(nanoseconds) / 1e9) + " s"
    }
  }
}
