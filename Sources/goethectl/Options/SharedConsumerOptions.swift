import ArgumentParser
import GoetheKit

/// A shared consumer's settings, stored with it when given: `consume` applies them as it joins.
struct SharedConsumerOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "How long a member may hold an event unacknowledged before it goes to another member (default 30s).",
      valueName: "duration"))
  var ackWait: String?

  @Option(help: "Deliveries after which an event is parked (0, the default, for no limit).")
  var maxDeliveries: UInt32?

  @Option(help: "Unacknowledged events each member may hold (default 1000).")
  var maxPending: UInt32?

  @Option(
    help: ArgumentHelp("Copy parked events to this topic (\"\" for none).", valueName: "topic"),
    completion: DynamicCompletion.topics)
  var deadLetter: String?

  func validate() throws {
    _ = try settings()
    if maxPending == 0 { throw ValidationError("--max-pending must be at least 1") }
  }

  func settings() throws(GoetheError) -> SharedConsumerSettings {
    let wait = try ackWait.map { text throws(GoetheError) in try DurationExpression.parse(text) }
    return SharedConsumerSettings(
      ackWaitMillis: wait.map {
        UInt64($0.components.seconds) * 1_000 + UInt64($0.components.attoseconds / 1_000_000_000_000_000)
      },
      maxDeliveries: maxDeliveries, maxPending: maxPending, deadLetter: deadLetter)
  }
}
