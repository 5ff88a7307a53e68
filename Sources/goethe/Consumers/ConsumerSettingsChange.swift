/// Settings a member gives when it joins: each one given replaces the stored one.
struct ConsumerSettingsChange: Equatable, Sendable {
  var ackWait: UInt64?
  var maxDeliveries: UInt32?
  var maxPending: UInt32?
  var deadLetter: String?

  func applied(to settings: ConsumerSettings) -> ConsumerSettings {
    var changed = settings
    if let ackWait { changed.ackWait = max(1, ackWait) }
    if let maxDeliveries { changed.maxDeliveries = maxDeliveries }
    if let maxPending { changed.maxPending = max(1, maxPending) }
    if let deadLetter { changed.deadLetter = deadLetter }
    return changed
  }
}
