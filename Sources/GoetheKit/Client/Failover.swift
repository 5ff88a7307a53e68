import GRPCCore

/// Whether a call only reads, so that sending it again can do no harm, or changes something.
enum CallKind: Sendable {
  case read
  case write
  /// A write that the server stores once however often it is sent (a stamped append, see
  /// ``ProducerStamp``): sent again as freely as a read.
  case idempotentWrite
}

/// When a failed call is sent again, and after what pause.
///
/// - A server that cannot be reached: a read or an idempotent write goes to the next server, and
///   any other write too if no connection to that server could be made at all (so nothing was
///   sent); once each server was tried in turn, the call fails. Another write that may have
///   reached its server is never sent again: it could be stored twice.
/// - A write refused by a node that does not lead (``NotLeader``), which did nothing: it goes to
///   the leader the node names, at once; while no node names one (an election), it tries again
///   after a pause that doubles up to 1 s, about 8 s in all.
/// - A call whose stream the server refused before processing it (it was closing the connection
///   as the call began): any call, a write too, goes again at once, on a new connection, up to
///   three times.
struct Failover {
  let servers: Int
  private var unreachableInARow = 0
  private var refusedStreams = 0
  private var redirects = 0
  private var waits = 0

  static let maxRedirects = 3
  static let maxWaits = 10
  static let maxRefusedStreams = 3

  init(servers: Int) { self.servers = servers }

  /// The pause before sending the call again after `failure`, or nil when it must not be.
  mutating func next(after failure: GoetheError, of kind: CallKind) -> Duration? {
    if failure.streamRefused, refusedStreams < Self.maxRefusedStreams {
      refusedStreams += 1
      return .zero
    }
    if let notLeader = failure.notLeader {
      unreachableInARow = 0
      if notLeader.leader != nil, redirects < Self.maxRedirects {
        redirects += 1
        return .zero
      }
      guard waits < Self.maxWaits else { return nil }
      waits += 1
      return min(.milliseconds(100) * (1 << min(waits, 4)), .seconds(1))
    }
    guard failure.code == .unreachable, kind != .write || failure.neverConnected else { return nil }
    unreachableInARow += 1
    return unreachableInARow < servers ? .zero : nil
  }
}

extension GoetheError {
  /// Whether the server refused the call's stream before processing any of it.
  var streamRefused: Bool { (cause as? RPCError)?.streamRefused ?? false }

  /// Whether the call failed because no connection to its server could be made, so that none of
  /// it was sent.
  var neverConnected: Bool {
    guard code == .unreachable, let cause = cause as? RPCError else { return false }
    return cause.neverConnected
  }
}
