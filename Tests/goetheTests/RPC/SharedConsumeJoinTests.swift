import GoetheKit
import Metrics
import NIOCore
import SwiftProtobuf
import Testing

@testable import goethe

/// A member whose stream fails while it joins does not stay joined: it would count as a member for
/// ever (replays would go to it), and keep the consumer's state and pump alive with nobody there.
@Suite struct SharedConsumeJoinTests {
  /// A stream whose client is gone: nothing can be written to it.
  struct GoneSink: ResponseSink {
    func write(_ frame: ByteBuffer) async throws { throw CancellationError() }
  }

  @Test func aMemberWhoseJoinCannotBeAnsweredLeaves() async throws {
    try await withStore { store in
      _ = try await store.createTopic("orders")
      let service = GoetheService(
        store: store, autoCreateTopics: true, metrics: ServerMetrics(factory: NOOPMetricsHandler.instance),
        role: ClusterRole(
          .leader(epoch: 0),
          coordinator: StaticCoordinator(
            member: ClusterMember(nodeID: "n1", address: ServerAddress(host: "127.0.0.1", port: 1)))))
      let join = Io_Typusomega_Goethe_SharedConsumeRequest.with {
        $0.join = .with {
          $0.topic = "orders"
          $0.consumer = "workers"
        }
        $0.credit = 10
      }
      // The client's side stays open: only the failed answer can end the call.
      let (requests, client) = AsyncThrowingStream<ByteBuffer, any Error>.makeStream()
      defer { client.finish() }
      client.yield(ByteBuffer(bytes: try join.serializedBytes() as [UInt8]))
      await #expect(throws: (any Error).self) {
        try await service.sharedConsume(
          request: RequestStream(
            messages: RequestMessages(stream: requests, flow: RequestFlow(memory: RequestMemory(limit: 1 << 20)) {})),
          response: ResponseWriter(sink: GoneSink()))
      }
      let consumer = service.sharedConsumers.consumer(topic: "orders", name: "workers", store: store)
      #expect(try await consumer.describe().members.isEmpty)
    }
  }
}
