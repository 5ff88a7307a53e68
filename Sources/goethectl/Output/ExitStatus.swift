import GoetheKit

/// goethectl's exit codes, as the manual promises them.
enum ExitStatus: Int32 {
  case success = 0
  case failed = 1
  case usage = 2
  case notFound = 3
  case unreachable = 4
  /// The server refused the credentials: no token, an unknown one, or no grant for the call.
  case refused = 5
  case interrupted = 130
  /// The reader of stdout went away: 128 + SIGPIPE, what a shell reports for `cat` in its place.
  case brokenPipe = 141

  init(_ code: GoetheError.Code) {
    switch code {
    case .invalidArgument: self = .usage
    case .notFound: self = .notFound
    // A request that got no answer within --timeout, like a refused connection, is a server
    // goethectl could not talk to.
    case .unreachable, .deadlineExceeded: self = .unreachable
    case .unauthenticated, .permissionDenied: self = .refused
    case .cancelled: self = .interrupted
    default: self = .failed
    }
  }
}
