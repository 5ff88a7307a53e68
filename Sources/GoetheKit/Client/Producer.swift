public import Foundation
import GRPCCore
import SwiftProtobuf
import Synchronization

/// How a ``Producer`` batches: a batch closes at `maxBatchEvents` or `maxBatchBytes`, or once its
/// first event has waited `linger`; at most `maxInFlight` batches are sent and not yet answered.
public struct ProducerOptions: Sendable {
  public var maxBatchEvents = 1000
  public var maxBatchBytes = 1 << 20
  public var linger: Duration = .milliseconds(2)
  public var maxInFlight = 16

  public init() {}
}

/// Events on their way to a topic over one `AppendStream`. ``send(_:)`` queues an event and returns
/// once it fits in the window; batches go out without waiting for earlier ones to be answered.
///
/// Each batch carries a ``ProducerStamp``, so that a batch whose answer was lost (a connection
/// that broke, a leader that died) is sent again under its first stamp and stored once.
public final class Producer: Sendable {
  /// A batch with the stamp it keeps however often it is sent.
  struct Batch: Sendable {
    var stamp: ProducerStamp
    var payloads: [Data]
  }

  private struct State {
    var queued: [Data] = []
    var queuedBytes = 0
    /// Batches to send again, before anything queued, oldest first.
    var again: [Batch] = []
    /// Batches sent and not yet answered, oldest first.
    var unanswered: [Batch] = []
    var finished = false
    var failure: GoetheError?
    var waiters: [CheckedContinuation<Void, Never>] = []
  }

  let options: ProducerOptions
  private let stamps: ProducerStamps
  private let state = Mutex(State())

  init(options: ProducerOptions, stamps: ProducerStamps) {
    self.options = options
    self.stamps = stamps
  }

  /// Queues `payload`; waits while a full batch is already queued. Throws the stream's failure.
  public func send(_ payload: Data) async throws {
    try await wait { $0.queued.count < self.options.maxBatchEvents }
    state.withLock { state in
      state.queued.append(payload)
      state.queuedBytes += payload.count
    }
    wakeAll()
  }

  /// The next batch to send, once one is due and the window has room; nil after ``finish()`` once
  /// everything queued is sent. Batches to send again come first, as they were.
  func nextBatch() async throws -> Batch? {
    try await wait {
      $0.unanswered.count < self.options.maxInFlight && (!$0.again.isEmpty || !$0.queued.isEmpty || $0.finished)
    }
    if state.withLock({ $0.again.isEmpty && !$0.finished && !self.isFull($0) }) {
      try await Task.sleep(for: options.linger)
    }
    let batch = state.withLock { state -> Batch? in
      if !state.again.isEmpty {
        let batch = state.again.removeFirst()
        state.unanswered.append(batch)
        return batch
      }
      guard !state.queued.isEmpty else { return nil }
      var count = 0
      var bytes = 0
      while count < min(state.queued.count, options.maxBatchEvents),
        count == 0 || bytes + state.queued[count].count <= options.maxBatchBytes
      {
        bytes += state.queued[count].count
        count += 1
      }
      let batch = Batch(stamp: stamps.next(), payloads: Array(state.queued.prefix(count)))
      state.queued.removeFirst(count)
      state.queuedBytes -= bytes
      state.unanswered.append(batch)
      return batch
    }
    wakeAll()
    return batch
  }

  /// The oldest batch in flight was answered.
  func acknowledged() {
    state.withLock { state in
      if !state.unanswered.isEmpty { state.unanswered.removeFirst() }
    }
    wakeAll()
  }

  /// The stream ended without answering some batches, which may or may not be stored: they go
  /// out again, first and under their stamps, on the next stream.
  func resendUnanswered() {
    state.withLock { state in
      state.again = state.unanswered + state.again
      state.unanswered.removeAll()
    }
    wakeAll()
  }

  /// No more events will be sent.
  func finish() {
    state.withLock { $0.finished = true }
    wakeAll()
  }

  /// The stream failed: waiting senders wake and throw `error`.
  func fail(_ error: GoetheError) {
    state.withLock { state in
      if state.failure == nil { state.failure = error }
      state.finished = true
    }
    wakeAll()
  }

  private func isFull(_ state: State) -> Bool {
    state.queued.count >= options.maxBatchEvents || state.queuedBytes >= options.maxBatchBytes
  }

  /// Waits until `ready` holds; throws the stream's failure, or CancellationError once the
  /// waiting task is cancelled (as the transport cancels a stream's request side when the
  /// stream fails, which must not wait for room in a window that nothing will answer).
  private func wait(until ready: (State) -> Bool) async throws {
    while true {
      if let failure = state.withLock({ $0.failure }) { throw failure }
      if state.withLock({ ready($0) }) { return }
      try Task.checkCancellation()
      await withTaskCancellationHandler {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
          let parked = state.withLock { state -> Bool in
            guard state.failure == nil, !ready(state), !Task.isCancelled else { return false }
            state.waiters.append(continuation)
            return true
          }
          if !parked { continuation.resume() }
        }
      } onCancel: {
        wakeAll()
      }
    }
  }

  private func wakeAll() {
    let waiters = state.withLock { state in
      defer { state.waiters.removeAll() }
      return state.waiters
    }
    for waiter in waiters { waiter.resume() }
  }
}

extension GoetheClient {
  /// Streams appends to `topic` for the duration of `body` over one `AppendStream`: the events
  /// `body` sends are batched and sent without waiting for earlier batches, and each batch is
  /// acknowledged, in order, once durable under the server's sync mode; `onAcknowledgement` sees
  /// each acknowledgement. Returns once every event sent is acknowledged.
  ///
  /// Batches whose stream ended unanswered are sent again under their stamps, to the leader or to
  /// the next server, as ``GoetheClient`` describes for writes, and stored once. When it fails for
  /// good it throws; events not acknowledged by then may or may not be stored.
  public func withProducer<Result: Sendable>(
    to topic: String, options producerOptions: ProducerOptions = ProducerOptions(),
    onAcknowledgement: @escaping @Sendable (AppendResult) -> Void,
    _ body: @escaping @Sendable (Producer) async throws -> Result
  ) async throws -> Result {
    let producer = Producer(options: producerOptions, stamps: stamps)
    let links = self.links
    let options = streamOptions
    do {
      return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask {
          var failover = Failover(servers: links.servers.count)
          while true {
            let link = try links.current()
            do {
              try await Self.stream(to: topic, from: producer, over: link, options: options, onAcknowledgement)
              return
            } catch {
              let failure = GoetheError(error, server: link.server)
              // The unanswered batches go to the leader, or to the next server, on a new stream;
              // those that were stored are answered as they were then.
              if let pause = failover.next(after: failure, of: .idempotentWrite) {
                producer.resendUnanswered()
                links.move(awayFrom: link.server, to: failure.notLeader?.leader)
                if pause > .zero { try await Task.sleep(for: pause) }
                continue
              }
              producer.fail(failure)
              throw failure
            }
          }
        }
        let result: Result
        do {
          result = try await body(producer)
        } catch {
          // Wakes the stream's sender, which the group then cancels.
          producer.fail(GoetheError(error, server: server))
          throw error
        }
        producer.finish()
        try await group.waitForAll()
        return result
      }
    } catch {
      throw GoetheError(error, server: server)
    }
  }

  /// One `AppendStream` over `link`, carrying `producer`'s batches until it has none left.
  private static func stream(
    to topic: String, from producer: Producer, over link: ServerLinks.Link, options: CallOptions,
    _ onAcknowledgement: @escaping @Sendable (AppendResult) -> Void
  ) async throws {
    try await link.stub.appendStream(
      options: options,
      requestProducer: { writer in
        while let batch = try await producer.nextBatch() {
          try await writer.write(
            .with {
              $0.topic = topic
              $0.payloads = batch.payloads
              $0.stamp = batch.stamp
            })
        }
      },
      onResponse: { response in
        for try await ack in response.messages {
          producer.acknowledged()
          onAcknowledgement(AppendResult(ack))
        }
      })
  }
}
