import GRPCCore
import SwiftProtobuf

/// A `SubscribeResponse` as a subscription reads it.
enum SubscribeMessage: Sendable {
  case start(Io_Typusomega_Goethe_SubscribeStart)
  case events([StoredEvent])
  /// A message that carries neither, which the reader passes over.
  case other
}

/// Reads a subscription's responses into ``SubscribeMessage``s: batches of events straight into
/// `StoredEvent`s (``SubscribeEventsWire``), anything else through SwiftProtobuf.
struct SubscribeMessageDeserializer: MessageDeserializer {
  /// The subscription's topic, which compact events do not name.
  let topic: String

  init(topic: String) { self.topic = topic }

  func deserialize<Bytes: GRPCContiguousBytes>(_ serializedMessageBytes: Bytes) throws -> SubscribeMessage {
    try serializedMessageBytes.withUnsafeBytes { bytes in
      if let events = SubscribeEventsWire.events(in: bytes, topic: topic) { return .events(events) }
      let response = try Io_Typusomega_Goethe_SubscribeResponse(serializedBytes: Array(bytes))
      switch response.kind {
      case .start(let start): return .start(start)
      case .events(let batch):
        return .events(try batch.events.map { message throws(GoetheError) in try StoredEvent(message, topic: topic) })
      case nil: return .other
      }
    }
  }
}
