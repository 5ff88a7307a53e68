import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import GoetheKit
import SwiftProtobuf

typealias V1Cursor = Io_Typusomega_Goethe_Cursor
typealias V1Event = Io_Typusomega_Goethe_Event

/// One Goethe v1 `Consume` call driven step by step, as a v1 client does: `send` a Cursor, then
/// `receive` the server's answer.
final class V1Conversation {
  private let outbox: AsyncStream<V1Cursor>.Continuation
  private var replies: RPCAsyncSequence<V1Cursor, any Error>.AsyncIterator

  fileprivate init(outbox: AsyncStream<V1Cursor>.Continuation, replies: RPCAsyncSequence<V1Cursor, any Error>) {
    self.outbox = outbox
    self.replies = replies.makeAsyncIterator()
  }

  func send(_ cursor: V1Cursor) { outbox.yield(cursor) }

  /// The server's next message; nil when it ended the stream.
  func receive() async throws -> V1Cursor? { try await replies.next() }

  /// Sends the first message of a session: topic and consumer, and optionally an event id.
  func open(topic: String, consumer: String, eventID: String? = nil) {
    send(
      .with {
        $0.topic.id = topic
        $0.consumer = consumer
        if let eventID { $0.currentEvent.id = eventID }
      })
  }

  /// Acknowledges a received event: the cursor carrying it commits it, and the server answers with the next.
  func commit(_ reply: V1Cursor) {
    send(
      .with {
        $0.topic = reply.topic
        $0.consumer = reply.consumer
        $0.currentEvent = reply.currentEvent
      })
  }
}

extension Io_Typusomega_Goethe_Goethe.Client where Transport == HTTP2ClientTransport.Posix {
  /// Runs a `Consume` call for the duration of `body`; the request stream ends when `body` returns.
  func conversation<Result: Sendable>(
    _ body: @escaping @Sendable (V1Conversation) async throws -> Result
  ) async throws -> Result {
    let (outgoing, outbox) = AsyncStream.makeStream(of: V1Cursor.self)
    return try await consume(
      requestProducer: { writer in
        for await message in outgoing { try await writer.write(message) }
      },
      onResponse: { response in
        defer { outbox.finish() }
        return try await body(V1Conversation(outbox: outbox, replies: response.messages))
      })
  }

  /// Produces one event the v1 way and returns the server's answer.
  func produce(_ payload: String, to topic: String) async throws -> V1Event {
    try await produce(
      .with {
        $0.topic.id = topic
        $0.payload = Data(payload.utf8)
      })
  }
}
