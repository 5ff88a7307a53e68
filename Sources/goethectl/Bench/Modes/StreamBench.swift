import Foundation
import GoetheKit
import Synchronization

/// A producer's stream: each client sends its events over one AppendStream, batched by the
/// producer, with up to --inflight batches unanswered.
struct StreamBench: BenchMode {
  static let name = "stream"
  static let summary =
    "each client streams its events, --batch per batch, --inflight batches unanswered; latency: send to durable answer"
  static let tuning: [BenchTuning: Int] = [.batch: 1000, .inflight: 16]

  let batch: Int
  let inflight: Int

  init(_ settings: BenchSettings) {
    batch = settings.batch
    inflight = settings.inflight
  }

  var description: String { "batches of up to \(batch) events, \(inflight) in flight" }
  var latencySample: String? { "batch, from its first event's send to its answer" }

  func run(on topic: TopicInfo, _ harness: BenchHarness) async throws -> BenchResult {
    let payloads = BenchPayloads(size: harness.settings.size)
    let size = harness.settings.size
    var options = ProducerOptions()
    options.maxBatchEvents = batch
    options.maxInFlight = inflight
    let producerOptions = options
    return try await harness.clients { client, share, tally in
      // When each event was sent, and how many events the answers so far covered.
      let sent = Mutex((times: [ContinuousClock.Instant](), answered: 0))
      try await client.withProducer(
        to: topic.name, options: producerOptions,
        onAcknowledgement: { ack in
          let first = sent.withLock { state in
            defer { state.answered += ack.count }
            return state.times[state.answered]
          }
          tally.record(events: ack.count, bytes: ack.count * size, latency: first.duration(to: .now))
        }
      ) { producer in
        for index in 0..<share {
          sent.withLock { $0.times.append(.now) }
          try await producer.send(payloads[index])
        }
      }
    }
  }
}
