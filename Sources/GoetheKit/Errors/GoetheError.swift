/// The one error type of Goethe: a code a program can act on and a message a person can read.
///
/// Codes are a struct rather than an enum so that new ones can be added without breaking
/// exhaustive switches. Low-level failures (LevelDB, transport) become codes in one place each;
/// gRPC status codes appear only at the RPC edge and exit codes only in goethectl.
public struct GoetheError: Error, Sendable, CustomStringConvertible {
  public struct Code: Hashable, Sendable, CustomStringConvertible {
    private enum Wrapped: String, Hashable, Sendable {
      case invalidArgument = "invalid argument"
      case notFound = "not found"
      case alreadyExists = "already exists"
      case conflict = "conflict"
      case tooLarge = "too large"
      case unavailable = "unavailable"
      case unreachable = "unreachable"
      case storageLocked = "storage locked"
      case storageUnusable = "storage unusable"
      case diskFull = "disk full"
      case corrupted = "corrupted"
      case unauthenticated = "unauthenticated"
      case permissionDenied = "permission denied"
      case cancelled = "cancelled"
      case deadlineExceeded = "deadline exceeded"
      case internalError = "internal error"
    }

    private let wrapped: Wrapped
    private init(_ wrapped: Wrapped) { self.wrapped = wrapped }

    public var description: String { wrapped.rawValue }

    /// The request was malformed: a bad name, an empty payload, an unknown position.
    public static let invalidArgument = Code(.invalidArgument)
    /// The topic or cursor does not exist.
    public static let notFound = Code(.notFound)
    /// The topic exists already.
    public static let alreadyExists = Code(.alreadyExists)
    /// An optimistic-concurrency check failed: the topic's head was not what the caller expected.
    public static let conflict = Code(.conflict)
    /// An event or request is over a configured size limit.
    public static let tooLarge = Code(.tooLarge)
    /// The server is shutting down, or the store stopped accepting writes after an I/O failure.
    public static let unavailable = Code(.unavailable)
    /// The client could not reach the server.
    public static let unreachable = Code(.unreachable)
    /// The data directory is held by another process.
    public static let storageLocked = Code(.storageLocked)
    /// The data directory cannot be created, read or written.
    public static let storageUnusable = Code(.storageUnusable)
    /// The disk of the data directory is full: writes fail until space is free again; reads go on.
    public static let diskFull = Code(.diskFull)
    /// The store is damaged or has a format this version does not understand.
    public static let corrupted = Code(.corrupted)
    /// The call carried no credentials the server knows: no token, or an unknown one.
    public static let unauthenticated = Code(.unauthenticated)
    /// The caller is known but holds no grant for what it asked.
    public static let permissionDenied = Code(.permissionDenied)
    /// The operation was cancelled.
    public static let cancelled = Code(.cancelled)
    /// The operation did not finish within its deadline.
    public static let deadlineExceeded = Code(.deadlineExceeded)
    /// Anything else; the message says what.
    public static let internalError = Code(.internalError)
  }

  public var code: Code
  public var message: String
  /// The underlying error, when there was one.
  public var cause: (any Error)?
  /// Set when a node refused a write because it does not lead (``notLeader(_:leader:)``).
  public var notLeader: NotLeader?

  public init(_ code: Code, _ message: String, cause: (any Error)? = nil) {
    self.code = code
    self.message = message
    self.cause = cause
  }

  public var description: String { message }
}
