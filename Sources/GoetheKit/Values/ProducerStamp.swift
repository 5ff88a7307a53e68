import Foundation

/// What makes an append idempotent: the producer that sent it and the batch's number among that
/// producer's batches. A server that stored a batch under a stamp within its deduplication window
/// answers the same stamp again with the ids it gave the first time, and stores nothing; so a
/// client may send a batch again whenever it cannot know whether the first send was stored (a
/// connection that broke, a leader that died), as Kafka's idempotent producer and JetStream's
/// `Nats-Msg-Id` allow.
public struct ProducerStamp: Sendable, Hashable, CustomStringConvertible {
  /// Chosen by the producer, unique among producers: ``newProducerID()`` makes one.
  public var producer: String
  /// Distinct for each batch of the producer; a batch sent again keeps its number.
  public var sequence: UInt64

  public init(producer: String, sequence: UInt64) {
    self.producer = producer
    self.sequence = sequence
  }

  public var description: String { "batch \(sequence) of producer \(producer)" }

  /// The longest producer id, in UTF-8 bytes.
  public static let maxProducerLength = 128

  /// A random producer id, unique with overwhelming likelihood: 128 random bits in hex.
  public static func newProducerID() -> String {
    var generator = SystemRandomNumberGenerator()
    return (0..<2).map { _ in
      let word = String(generator.next() as UInt64, radix: 16)
      return String(repeating: "0", count: 16 - word.count) + word
    }.joined()
  }

  /// Refuses a producer id that is empty or too long.
  public static func validate(producer: String) throws(GoetheError) {
    guard !producer.isEmpty, producer.utf8.count <= maxProducerLength else {
      throw GoetheError(
        .invalidArgument,
        "a producer id needs 1 to \(maxProducerLength) bytes, not \(producer.utf8.count)")
    }
  }
}
