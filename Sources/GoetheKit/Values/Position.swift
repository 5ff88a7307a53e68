/// A place in a topic to start reading from, or to set a cursor to.
public enum Position: Sendable, Equatable {
  /// Before the first event.
  case beginning
  /// After the newest event: the next event to arrive.
  case end
  /// The event with this id, or the nearest following one if no event has it.
  case event(UInt64)
  /// The first event committed at or after this time, in UNIX nanoseconds; when none is stored
  /// yet, the next event to arrive.
  case time(UInt64)
}

/// Where a read actually starts, so that tools can tell the person what was picked.
public struct StartInfo: Sendable, Equatable {
  public enum Resolution: Sendable, Equatable {
    /// The requested event, the first event, or the event after a consumer's cursor.
    case exact
    /// The requested event or time named no event; the read starts at the nearest following one.
    case nearest
    /// No stored event is at or after the position; the read starts with the next one to arrive.
    case waiting
    /// The position is before the first event that retention or a purge kept; the read starts
    /// at that first retained event.
    case firstRetained
  }

  public var resolution: Resolution
  /// The first event the read delivers, when it is already stored.
  public var eventID: UInt64?
  public var sequence: UInt64?

  public init(resolution: Resolution, eventID: UInt64? = nil, sequence: UInt64? = nil) {
    self.resolution = resolution
    self.eventID = eventID
    self.sequence = sequence
  }
}
