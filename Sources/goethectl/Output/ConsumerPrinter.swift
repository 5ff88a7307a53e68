import GoetheKit

/// A shared consumer as `consumer describe` prints it: settings, ack floor and lag, counts, then
/// the members. In JSON one object with the same fields, members and parked events as arrays.
struct ConsumerPrinter {
  let console: Console

  func print(_ consumer: ConsumerDescription) {
    switch console.format {
    case .json: console.json(fields(consumer))
    case .raw: console.out("\(consumer.topic) \(consumer.consumer) \(consumer.ackFloorEventID)")
    case .text: text(consumer)
    }
  }

  func printParked(_ parked: [ConsumerDescription.Parked]) {
    switch console.format {
    case .json: parked.forEach { console.out(JSONValue.object(fields($0))) }
    case .raw: parked.forEach { console.out(String($0.eventID)) }
    case .text:
      Table(
        header: ["EVENT", "SEQ", "DELIVERIES"],
        rows: parked.map { [String($0.eventID), String($0.sequence), String($0.deliveries)] }
      ).render(console)
    }
  }

  private func text(_ consumer: ConsumerDescription) {
    let settings = consumer.settings
    let floor = consumer.ackFloorEventID == 0 ? "beginning" : String(consumer.ackFloorEventID)
    var lines = [
      "Consumer:        \(consumer.consumer) on \(consumer.topic)",
      "Ack floor:       \(floor) (seq \(consumer.ackFloorSequence)), lag \(consumer.lag)",
      "Pending:         \(consumer.pending)",
      "Redelivered:     \(consumer.redelivered)",
      "Parked:          \(consumer.parked.count)",
      "Ack wait:        \(settings.ackWaitMillis ?? 0)ms",
      "Max deliveries:  \((settings.maxDeliveries ?? 0) == 0 ? "unlimited" : String(settings.maxDeliveries!))",
      "Max pending:     \(settings.maxPending ?? 0)",
    ]
    if let deadLetter = settings.deadLetter, !deadLetter.isEmpty { lines.append("Dead letter:     \(deadLetter)") }
    lines.append("Members:         \(consumer.members.count)")
    lines.forEach { console.out($0) }
    guard !consumer.members.isEmpty else { return }
    console.out("")
    Table(header: ["MEMBER", "PENDING"], rows: consumer.members.map { [$0.name, String($0.pending)] }).render(console)
  }

  private func fields(_ consumer: ConsumerDescription) -> [(String, JSONValue)] {
    let settings = consumer.settings
    let members = consumer.members.map {
      JSONValue.object([("member", .string($0.name)), ("pending", .number($0.pending))])
    }
    return [
      ("topic", .string(consumer.topic)), ("consumer", .string(consumer.consumer)),
      ("ack_floor", .string(String(consumer.ackFloorEventID))), ("ack_floor_seq", .number(consumer.ackFloorSequence)),
      ("lag", .number(consumer.lag)), ("pending", .number(consumer.pending)),
      ("redelivered", .number(consumer.redelivered)), ("parked", .number(UInt64(consumer.parked.count))),
      ("ack_wait_ms", .number(settings.ackWaitMillis ?? 0)),
      ("max_deliveries", .number(UInt64(settings.maxDeliveries ?? 0))),
      ("max_pending", .number(UInt64(settings.maxPending ?? 0))), ("dead_letter", .string(settings.deadLetter ?? "")),
      ("members", .raw("[" + members.joined(separator: ",") + "]")),
    ]
  }

  private func fields(_ parked: ConsumerDescription.Parked) -> [(String, JSONValue)] {
    [
      ("id", .string(String(parked.eventID))), ("seq", .number(parked.sequence)),
      ("deliveries", .number(UInt64(parked.deliveries))),
    ]
  }
}
