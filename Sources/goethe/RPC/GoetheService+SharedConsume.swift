import CoreMetrics
import GoetheKit
import SwiftProtobuf
import Synchronization

extension GoetheService {
  typealias SharedConsumeRequest = Io_Typusomega_Goethe_SharedConsumeRequest
  typealias SharedConsumeResponse = Io_Typusomega_Goethe_SharedConsumeResponse

  /// A member of a shared consumer. The first request joins; from then on the member's credit,
  /// acks and rejects go to its ``SharedConsumer`` as they arrive, and its deliveries come back as
  /// the consumer hands them out. When the stream ends, however it ends, the member leaves and
  /// what it held goes to the others.
  func sharedConsume(
    request: RequestStream<SharedConsumeRequest>, response: ResponseWriter<SharedConsumeResponse>
  ) async throws {
    metrics.subscribers.increment()
    defer { metrics.subscribers.decrement() }
    let joined = JoinedMember()
    let (memberships, membership) = AsyncStream<SharedConsumer.Deliveries>.makeStream()
    do {
      try await runStream(store: store) {
        try await withThrowingTaskGroup(of: Void.self) { group in
          group.addTask {
            defer { membership.finish() }
            for try await message in request {
              if let (consumer, id) = joined.member {
                await consumer.receive(
                  from: id, credit: message.credit, acks: message.acks, ackUpTo: message.ackUpTo,
                  rejects: message.rejects)
                continue
              }
              let (consumer, id, deliveries) = try await join(message, answeringTo: response)
              joined.member = (consumer, id)
              membership.yield(deliveries)
              await consumer.receive(
                from: id, credit: message.credit, acks: message.acks, ackUpTo: message.ackUpTo,
                rejects: message.rejects)
            }
            // The member closed its side: it leaves, which ends its deliveries.
            if let (consumer, id) = joined.member { await consumer.leave(id) }
          }
          group.addTask {
            for await deliveries in memberships {
              for try await batch in deliveries {
                try await response.write(
                  .with {
                    $0.deliveries = batch.map { delivery in
                      .with {
                        $0.event = Event(delivery.event)
                        $0.delivery = delivery.delivery
                      }
                    }
                    $0.caughtUp = batch.isEmpty
                  })
              }
            }
          }
          defer { group.cancelAll() }
          try await group.next()
          try await group.next()
        }
      }
    } catch {
      if let (consumer, id) = joined.member { await consumer.leave(id) }
      throw error
    }
    if let (consumer, id) = joined.member { await consumer.leave(id) }
  }

  /// Joins the consumer the first request names and answers with the settings in force.
  private func join(
    _ message: SharedConsumeRequest, answeringTo response: ResponseWriter<SharedConsumeResponse>
  ) async throws -> (SharedConsumer, SharedConsumer.MemberID, SharedConsumer.Deliveries) {
    guard message.hasJoin else {
      throw GoetheError(.invalidArgument, "the first message of a shared consumer joins one: name topic and consumer")
    }
    let topic = try requireTopic(message.join.topic)
    try Names.validateConsumer(message.join.consumer)
    _ = try store.topicInfo(topic)
    let change = try ConsumerSettingsChange(message.join.settings)
    if let deadLetter = change.deadLetter, !deadLetter.isEmpty { try Names.validateTopic(deadLetter) }
    let consumer = sharedConsumers.consumer(topic: topic, name: message.join.consumer, store: store)
    let (id, settings, deliveries) = try await consumer.join(
      member: message.join.member.isEmpty ? "member" : message.join.member, change: change)
    do {
      try await response.write(.with { $0.joined = .init(settings) })
    } catch {
      // The stream is gone before the member knew it joined: it must not stay a member.
      await consumer.leave(id)
      throw error
    }
    return (consumer, id, deliveries)
  }
}

/// The member a shared consumer stream joined as, once it has: the stream's two halves and its
/// end read it.
private final class JoinedMember: Sendable {
  private let joined = Mutex<(consumer: SharedConsumer, id: SharedConsumer.MemberID)?>(nil)

  var member: (consumer: SharedConsumer, id: SharedConsumer.MemberID)? {
    get { joined.withLock { $0 } }
    set { joined.withLock { $0 = newValue } }
  }
}
