import Foundation
import GoetheKit
import SwiftProtobuf

extension GoetheService {
  /// The producer stamp a request carries, if its producer stamped it.
  static func stamp(of request: AppendRequest) throws(GoetheError) -> ProducerStamp? {
    guard !request.producerID.isEmpty else { return nil }
    try ProducerStamp.validate(producer: request.producerID)
    return ProducerStamp(producer: request.producerID, sequence: request.producerSequence)
  }

  /// Whether `next` may share one append with the run ending in `last`: the same topic, neither
  /// with an expected sequence (whose condition applies to its own batch alone), and either both
  /// unstamped or consecutive batches of one producer (a producer's sequence that wraps from the
  /// largest number to 0 starts a run of its own: a run's stamps are its first plus an offset).
  static func joins(_ next: AppendRequest, runEndingIn last: AppendRequest) -> Bool {
    guard last.topic == next.topic, !last.hasExpectedSequence, !next.hasExpectedSequence,
      last.producerID == next.producerID
    else { return false }
    return last.producerID.isEmpty
      || (last.producerSequence < .max && next.producerSequence == last.producerSequence + 1)
  }

  /// Appends `run`, batches that ``joins(_:runEndingIn:)`` allows together, and returns each
  /// batch's result in order.
  ///
  /// They go into one atomic append. The store refuses stamped batches there if the deduplication
  /// window holds one of them: a resend, which is rare, and answered batch by batch.
  func append(_ run: [AppendRequest]) async throws -> [AppendResult] {
    let first = run[0]
    let topic = try requireTopic(first.topic)
    let expectedSequence = first.hasExpectedSequence ? first.expectedSequence : nil
    guard let firstStamp = try Self.stamp(of: first) else {
      return try await appendTogether(run, to: topic, expectedSequence: expectedSequence, producer: nil)
    }
    return try await appendStamped(run, firstSequence: firstStamp.sequence, to: topic, expectedSequence)
  }

  /// Appends stamped batches together; if one of them was stored already, each alone, or answered
  /// from the window.
  private func appendStamped(
    _ batches: [AppendRequest], firstSequence: UInt64, to topic: String, _ expectedSequence: UInt64?
  ) async throws -> [AppendResult] {
    let producer = batches[0].producerID
    do {
      let run = ProducerRun(
        producer: producer, firstSequence: firstSequence, counts: batches.map { UInt32($0.payloads.count) })
      return try await appendTogether(batches, to: topic, expectedSequence: expectedSequence, producer: run)
    } catch let error as GoetheError where error.cause is StoredAlready {
      var results: [AppendResult] = []
      for batch in batches {
        let stamp = ProducerStamp(producer: producer, sequence: batch.producerSequence)
        if let earlier = try await store.earlierAppend(stamp, to: topic, count: batch.payloads.count) {
          results.append(earlier)
        } else {
          results += try await appendTogether(
            [batch], to: topic, expectedSequence: expectedSequence,
            producer: ProducerRun(stamp, count: batch.payloads.count))
        }
      }
      return results
    }
  }

  /// Appends `batches` as one atomic write and splits the result into each batch's share.
  private func appendTogether(
    _ batches: [AppendRequest], to topic: String, expectedSequence: UInt64?, producer: ProducerRun?
  ) async throws -> [AppendResult] {
    let result = try await timedAppend(
      batches.flatMap(\.payloads), to: topic, expectedSequence: expectedSequence, producer: producer)
    var offset: UInt64 = 0
    return batches.map { batch in
      defer { offset += UInt64(batch.payloads.count) }
      return AppendResult(
        topic: result.topic, firstID: result.firstID + offset, firstSequence: result.firstSequence + offset,
        count: batch.payloads.count, createdTopic: result.createdTopic && offset == 0)
    }
  }
}

extension Io_Typusomega_Goethe_AppendResponse {
  init(_ result: AppendResult) {
    self = .with {
      $0.topic = result.topic
      $0.firstEventID = result.firstID
      $0.firstSequence = result.firstSequence
      $0.count = UInt32(result.count)
      $0.createdTopic = result.createdTopic
      $0.duplicate = result.duplicate
    }
  }
}
