import Foundation
import Testing

@testable import GoetheKit

/// The producer's window of batches in flight, as its stream's request side waits on it.
@Suite(.timeLimit(.minutes(1))) struct ProducerWindowTests {
  /// The transport cancels a stream's request side when the stream fails, and waits for it: a
  /// request side waiting for room in a full window must end, or the producer hangs for ever.
  @Test func aWaitForRoomInAFullWindowEndsWhenItsTaskIsCancelled() async throws {
    var options = ProducerOptions()
    options.maxInFlight = 1
    options.linger = .zero
    let producer = Producer(options: options, stamps: ProducerStamps())
    try await producer.send(Data("a".utf8))
    _ = try await producer.nextBatch()
    try await producer.send(Data("b".utf8))
    let next = Task { try await producer.nextBatch() }
    next.cancel()
    await #expect(throws: CancellationError.self) { _ = try await next.value }
    // The batch in flight and the one queued are still there for the next stream.
    producer.resendUnanswered()
    #expect(try await producer.nextBatch()?.payloads == [Data("a".utf8)])
  }
}
