import GRPCCore
import SwiftProtobuf
import Synchronization

/// A member of a shared consumer (``GoetheClient/joinConsumer(topic:consumer:member:settings:prefetch:_:)``):
/// its deliveries as an `AsyncSequence` of batches, and its acks and rejects. An empty batch says
/// the member is caught up: it holds nothing, and no event up to the topic's head waits.
///
/// The member holds at most `prefetch` events it has not acknowledged or rejected: it gives the
/// server that much credit when it joins, and one more for each event it acknowledges or rejects.
public final class ConsumerMembership: AsyncSequence, Sendable {
  public typealias Element = [SharedDelivery]
  typealias Request = Io_Typusomega_Goethe_SharedConsumeRequest
  typealias Responses = RPCAsyncSequence<Io_Typusomega_Goethe_SharedConsumeResponse, any Error>

  /// The consumer's settings in force, as the server answered the join.
  public let settings: SharedConsumerSettings
  /// Read by the one task that iterates the deliveries; acks and ``stop()`` may come from others.
  nonisolated(unsafe) private var messages: Responses.AsyncIterator
  private let requests: AsyncStream<Request>.Continuation
  private let stopped = Mutex(false)

  init(
    settings: SharedConsumerSettings, messages: Responses.AsyncIterator, requests: AsyncStream<Request>.Continuation
  ) {
    self.settings = settings
    self.messages = messages
    self.requests = requests
  }

  /// The events `ids` are processed.
  public func ack(_ ids: [UInt64]) {
    guard !ids.isEmpty else { return }
    requests.yield(
      .with {
        $0.acks = ids
        $0.credit = UInt64(ids.count)
      })
  }

  /// Leaves the consumer: the server stores the acks sent before, gives the events this member
  /// still holds to the others, and ends the deliveries; those that arrive until then are dropped.
  /// Safe to call from any task, such as a cancellation handler.
  public func stop() {
    stopped.withLock { $0 = true }
    requests.finish()
  }

  /// The event `id` cannot be processed: it goes to a member again at once.
  public func reject(_ id: UInt64) {
    requests.yield(
      .with {
        $0.rejects = [id]
        $0.credit = 1
      })
  }

  public struct AsyncIterator: AsyncIteratorProtocol {
    let membership: ConsumerMembership

    public mutating func next() async throws -> [SharedDelivery]? {
      try await membership.nextBatch()
    }
  }

  public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(membership: self) }

  private func nextBatch() async throws -> [SharedDelivery]? {
    while let message = try await messages.next() {
      if stopped.withLock({ $0 }) { continue }
      if !message.deliveries.isEmpty || message.caughtUp {
        return try message.deliveries.map { delivery throws(GoetheError) in
          SharedDelivery(event: try StoredEvent(delivery.event), delivery: delivery.delivery)
        }
      }
    }
    return nil
  }
}

extension GoetheClient {
  /// Joins the shared consumer `consumer` of `topic` as a member named `member` for the duration
  /// of `body`, which reads the ``ConsumerMembership``'s deliveries and acknowledges them. The
  /// members of one consumer split its events; an event a member does not acknowledge in time, or
  /// holds when it leaves, goes to another. `settings` given change the consumer's settings.
  public func joinConsumer<Result: Sendable>(
    topic: String, consumer: String, member: String, settings: SharedConsumerSettings = SharedConsumerSettings(),
    prefetch: UInt64 = 256, _ body: @escaping @Sendable (ConsumerMembership) async throws -> Result
  ) async throws -> Result {
    let join = ConsumerMembership.Request.with {
      $0.join = .with {
        $0.topic = topic
        $0.consumer = consumer
        $0.member = member
        $0.settings = .init(settings)
      }
      $0.credit = prefetch
    }
    let options = streamOptions
    // A join refused by a node that does not lead goes to the leader, on a stream of its own.
    return try await call(.write, withDeadline: false) { link, started in
      let (outgoing, requests) = AsyncStream<ConsumerMembership.Request>.makeStream()
      requests.yield(join)
      defer { requests.finish() }
      return try await link.stub.sharedConsume(
        options: options,
        requestProducer: { writer in
          for await request in outgoing { try await writer.write(request) }
        },
        onResponse: { response in
          defer { requests.finish() }
          var messages = response.messages.makeAsyncIterator()
          guard let first = try await messages.next(), first.hasJoined else {
            throw GoetheError(.internalError, "the server did not answer the join of consumer \(consumer)")
          }
          started()
          let membership = ConsumerMembership(
            settings: SharedConsumerSettings(first.joined), messages: messages, requests: requests)
          return try await body(membership)
        })
    }
  }

  public func describeConsumer(topic: String, consumer: String) async throws -> ConsumerDescription {
    let request = Io_Typusomega_Goethe_DescribeConsumerRequest.with {
      $0.topic = topic
      $0.consumer = consumer
    }
    return ConsumerDescription(try await call(.read) { try await $0.stub.describeConsumer(request, options: options) })
  }

  /// Moves a shared consumer's ack floor: an event id marks that event processed.
  public func resetConsumer(topic: String, consumer: String, to position: Position) async throws -> ConsumerDescription
  {
    let request = Io_Typusomega_Goethe_ResetConsumerRequest.with {
      $0.topic = topic
      $0.consumer = consumer
      $0.position = .init(position)
    }
    return ConsumerDescription(try await call(.write) { try await $0.stub.resetConsumer(request, options: options) })
  }

  /// Delivers parked events of a shared consumer again, to its members; all of them when `ids` is empty.
  public func replayParked(topic: String, consumer: String, ids: [UInt64] = []) async throws -> ConsumerDescription {
    let request = Io_Typusomega_Goethe_ReplayParkedRequest.with {
      $0.topic = topic
      $0.consumer = consumer
      $0.eventIds = ids
    }
    return ConsumerDescription(try await call(.write) { try await $0.stub.replayParked(request, options: options) })
  }
}
