import Synchronization

/// A client's producer stamps: one random producer id, and each batch the next number from 1.
final class ProducerStamps: Sendable {
  let producer = ProducerStamp.newProducerID()
  private let lastSequence = Atomic<UInt64>(0)

  func next() -> ProducerStamp {
    ProducerStamp(producer: producer, sequence: lastSequence.add(1, ordering: .relaxed).newValue)
  }
}

extension Io_Typusomega_Goethe_AppendRequest {
  var stamp: ProducerStamp {
    get { ProducerStamp(producer: producerID, sequence: producerSequence) }
    set {
      producerID = newValue.producer
      producerSequence = newValue.sequence
    }
  }
}

extension AppendResult {
  init(_ response: Io_Typusomega_Goethe_AppendResponse) {
    self.init(
      topic: response.topic, firstID: response.firstEventID, firstSequence: response.firstSequence,
      count: Int(response.count), createdTopic: response.createdTopic, duplicate: response.duplicate)
  }
}
