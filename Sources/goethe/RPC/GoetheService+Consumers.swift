import GoetheKit
import SwiftProtobuf

/// Shared consumers as administrators see them: described, reset, and their parked events replayed.
extension GoetheService {
  func describeConsumer(
    request: Io_Typusomega_Goethe_DescribeConsumerRequest
  ) async throws -> Io_Typusomega_Goethe_ConsumerDescription {
    let consumer = try sharedConsumer(request.topic, request.consumer)
    return try description(of: await consumer.describe(), topic: consumer.topic, consumer: consumer.name)
  }

  func resetConsumer(
    request: Io_Typusomega_Goethe_ResetConsumerRequest
  ) async throws -> Io_Typusomega_Goethe_ConsumerDescription {
    let consumer = try sharedConsumer(request.topic, request.consumer)
    let position = try Self.settablePosition(request.position, "a consumer is reset")
    let target = try store.cursorTarget(topic: consumer.topic, position: position)
    return try description(
      of: await consumer.reset(to: target), topic: consumer.topic, consumer: consumer.name)
  }

  func replayParked(
    request: Io_Typusomega_Goethe_ReplayParkedRequest
  ) async throws -> Io_Typusomega_Goethe_ConsumerDescription {
    let consumer = try sharedConsumer(request.topic, request.consumer)
    return try description(of: await consumer.replay(request.eventIds), topic: consumer.topic, consumer: consumer.name)
  }

  private func sharedConsumer(_ topic: String, _ consumer: String) throws(GoetheError) -> SharedConsumer {
    let topic = try requireTopic(topic)
    try Names.validateConsumer(consumer)
    _ = try store.topicInfo(topic)
    return sharedConsumers.consumer(topic: topic, name: consumer, store: store)
  }

  private func description(
    of state: SharedConsumerState, topic: String, consumer: String
  ) throws(GoetheError) -> Io_Typusomega_Goethe_ConsumerDescription {
    let head = try store.topicInfo(topic).headSequence
    return .with {
      $0.topic = topic
      $0.consumer = consumer
      $0.settings = .init(state.settings)
      $0.ackFloorEventID = state.floor.eventID
      $0.ackFloorSequence = state.floor.sequence
      $0.lag = head - min(head, state.floor.sequence)
      $0.members = state.members.sorted { $0.key < $1.key }.map { _, member in
        .with {
          $0.name = member.name
          $0.pending = UInt64(member.held.count)
        }
      }
      $0.pending = UInt64(state.heldCount)
      $0.redelivered = state.redeliveries
      $0.parked = state.record.parked.map { parked in
        .with {
          $0.eventID = parked.id
          $0.sequence = parked.sequence
          $0.deliveries = parked.deliveries
        }
      }
    }
  }
}

extension Io_Typusomega_Goethe_ConsumerSettings {
  init(_ settings: ConsumerSettings) {
    self.init()
    ackWaitMillis = settings.ackWait / 1_000_000
    maxDeliveries = settings.maxDeliveries
    maxPending = settings.maxPending
    deadLetter = settings.deadLetter
  }
}

extension ConsumerSettingsChange {
  /// The longest ack wait taken: a year, far past any a consumer needs, and far short of what
  /// nanoseconds in 64 bits hold.
  static let maxAckWaitMillis: UInt64 = 365 * 24 * 3_600 * 1_000

  init(_ message: Io_Typusomega_Goethe_ConsumerSettings) throws(GoetheError) {
    if message.hasAckWaitMillis {
      guard message.ackWaitMillis > 0 else { throw GoetheError(.invalidArgument, "the ack wait must be positive") }
      guard message.ackWaitMillis <= Self.maxAckWaitMillis else {
        throw GoetheError(.invalidArgument, "the ack wait must be at most 365 days")
      }
      ackWait = message.ackWaitMillis * 1_000_000
    }
    if message.hasMaxDeliveries { maxDeliveries = message.maxDeliveries }
    if message.hasMaxPending {
      guard message.maxPending > 0 else { throw GoetheError(.invalidArgument, "max pending must be positive") }
      maxPending = message.maxPending
    }
    if message.hasDeadLetter { deadLetter = message.deadLetter }
  }
}
