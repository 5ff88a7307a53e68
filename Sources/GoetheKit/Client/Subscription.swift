import GRPCCore
import SwiftProtobuf

/// Where a subscription starts.
public enum ReadStartRequest: Sendable, Equatable {
  case position(Position)
  /// After the named consumer's stored cursor, or at the beginning if it has none.
  case afterConsumer(String)
  /// The last N events.
  case last(UInt64)

  var message: Io_Typusomega_Goethe_Position {
    switch self {
    case .position(let position): .init(position)
    case .afterConsumer(let consumer): .with { $0.afterConsumer = consumer }
    case .last(let count): .with { $0.last = count }
    }
  }
}

/// Where a subscription ends.
public enum ReadBound: Sendable, Equatable {
  /// Up to and including this event id.
  case event(UInt64)
  /// Events committed before this time (UNIX nanoseconds).
  case time(UInt64)

  var message: Io_Typusomega_Goethe_Bound {
    switch self {
    case .event(let id): .with { $0.eventID = id }
    case .time(let time): .with { $0.timeUnixNano = time }
    }
  }
}

/// A running subscription: where it started, then batches of events as an `AsyncSequence`.
/// The server sends no more than the reader takes (gRPC flow control), so a slow reader is safe.
public final class Subscription: AsyncSequence {
  public typealias Element = [StoredEvent]

  /// Where the server started the stream, and whether it had to pick the nearest event.
  public let start: StartInfo
  /// The topic's head sequence when the stream started, for progress.
  public let headSequence: UInt64
  private var messages: RPCAsyncSequence<SubscribeMessage, any Error>.AsyncIterator

  init(_ responses: RPCAsyncSequence<SubscribeMessage, any Error>) async throws {
    messages = responses.makeAsyncIterator()
    guard case .start(let start)? = try await messages.next() else {
      throw GoetheError(.internalError, "the server did not say where the subscription starts")
    }
    self.start = StartInfo(start)
    headSequence = start.headSequence
  }

  public struct AsyncIterator: AsyncIteratorProtocol {
    let subscription: Subscription

    public mutating func next() async throws -> [StoredEvent]? {
      try await subscription.nextBatch()
    }
  }

  public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(subscription: self) }

  private func nextBatch() async throws -> [StoredEvent]? {
    while let message = try await messages.next() {
      if case .events(let events) = message { return events }
    }
    return nil
  }
}
