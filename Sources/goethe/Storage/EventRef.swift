/// An event by its id and its sequence number: a topic's head, or the last event a trim removes.
struct EventRef: Equatable, Sendable {
  var id: UInt64
  var sequence: UInt64

  static let empty = EventRef(id: 0, sequence: 0)
}
