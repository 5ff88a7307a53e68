public import GRPCCore

extension GoetheError {
  /// The metadata key by which a Goethe server marks errors it raised itself, so that a client can
  /// tell "the server is shutting down" from "the server cannot be reached", both UNAVAILABLE.
  public static let originKey = "goethe-error"
  /// Marks a write refused by a node that does not lead, before it did anything (``NotLeader``).
  static let refusedKey = "goethe-refused"
  static let notLeaderValue = "not-leader"
  /// The address of the leader, on a refusal by one of its followers.
  public static let leaderKey = "goethe-leader"

  /// The gRPC status code for this error.
  public var rpcCode: RPCError.Code {
    switch code {
    case .invalidArgument: .invalidArgument
    case .notFound: .notFound
    case .alreadyExists: .alreadyExists
    case .conflict: .failedPrecondition
    case .tooLarge, .diskFull: .resourceExhausted
    case .unavailable, .unreachable, .storageLocked, .storageUnusable: .unavailable
    case .corrupted: .dataLoss
    case .cancelled: .cancelled
    case .deadlineExceeded: .deadlineExceeded
    case .unauthenticated: .unauthenticated
    case .permissionDenied: .permissionDenied
    default: .internalError
    }
  }

  /// The error as a gRPC status, for the server side.
  public var rpcError: RPCError {
    var metadata: Metadata = [Self.originKey: "\(code)"]
    if let notLeader {
      metadata.addString(Self.notLeaderValue, forKey: Self.refusedKey)
      if let leader = notLeader.leader { metadata.addString("\(leader)", forKey: Self.leaderKey) }
    }
    return RPCError(code: rpcCode, message: message, metadata: metadata)
  }

  /// A client-side view of a gRPC status.
  public init(_ error: RPCError) {
    let fromServer = error.metadata[stringValues: Self.originKey].first(where: { _ in true }) != nil
    let code: Code =
      switch error.code {
      case .invalidArgument, .outOfRange: .invalidArgument
      case .notFound: .notFound
      case .alreadyExists: .alreadyExists
      case .failedPrecondition, .aborted: .conflict
      case .resourceExhausted:
        error.metadata[stringValues: Self.originKey].first(where: { _ in true }) == "\(Code.diskFull)"
          ? .diskFull : .tooLarge
      // The server's own "unreachable" is a connection it will not serve, such as plaintext to TLS.
      case .unavailable:
        fromServer && error.metadata[stringValues: Self.originKey].first(where: { _ in true }) != "\(Code.unreachable)"
          ? .unavailable : .unreachable
      case .dataLoss: .corrupted
      case .cancelled: .cancelled
      case .deadlineExceeded: .deadlineExceeded
      case .unauthenticated: .unauthenticated
      case .permissionDenied: .permissionDenied
      default: .internalError
      }
    self.init(code, error.message, cause: error)
    if fromServer, error.metadata[stringValues: Self.refusedKey].contains(Self.notLeaderValue) {
      let leader = error.metadata[stringValues: Self.leaderKey].first { _ in true }
      notLeader = NotLeader(leader: leader.flatMap { try? ServerAddress(parsing: String($0)) })
    }
  }
}
