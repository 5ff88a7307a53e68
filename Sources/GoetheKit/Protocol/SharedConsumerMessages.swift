extension Io_Typusomega_Goethe_ConsumerSettings {
  init(_ settings: SharedConsumerSettings) {
    self.init()
    if let value = settings.ackWaitMillis { ackWaitMillis = value }
    if let value = settings.maxDeliveries { maxDeliveries = value }
    if let value = settings.maxPending { maxPending = value }
    if let value = settings.deadLetter { deadLetter = value }
  }
}

extension SharedConsumerSettings {
  init(_ message: Io_Typusomega_Goethe_ConsumerSettings) {
    self.init(
      ackWaitMillis: message.ackWaitMillis, maxDeliveries: message.maxDeliveries, maxPending: message.maxPending,
      deadLetter: message.deadLetter)
  }
}

extension ConsumerDescription {
  init(_ message: Io_Typusomega_Goethe_ConsumerDescription) {
    self.init(
      topic: message.topic, consumer: message.consumer, settings: SharedConsumerSettings(message.settings),
      ackFloorEventID: message.ackFloorEventID, ackFloorSequence: message.ackFloorSequence, lag: message.lag,
      members: message.members.map { Member(name: $0.name, pending: $0.pending) }, pending: message.pending,
      redelivered: message.redelivered,
      parked: message.parked.map { Parked(eventID: $0.eventID, sequence: $0.sequence, deliveries: $0.deliveries) })
  }
}
