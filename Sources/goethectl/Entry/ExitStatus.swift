import ArgumentParser
import Foundation
import GoetheKit

/// goethectl's exit codes, as the manual promises them.
enum ExitStatus: Int32 {
  case success = 0
  case failed = 1
  case usage = 2
  case notFound = 3
  case unreachable = 4
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
    case .cancelled: self = .interrupted
    default: self = .failed
    }
  }
}

/// What goethectl prints and returns for an error thrown by a command or by parsing.
/// Returns the exit status; help, version and completion requests print to stdout and succeed.
/// - Parameter location: where the failing command came from, such as `line 3` of a script.
func report(_ error: any Error, at location: String? = nil) -> ExitStatus {
  switch error {
  case let error as GoetheError:
    if error.code != .cancelled { writeError(error.message, at: location) }
    return ExitStatus(error.code)
  case let exit as ExitCode:
    return ExitStatus(rawValue: exit.rawValue) ?? .failed
  case is CancellationError:
    return .interrupted
  default:
    let code = Goethectl.exitCode(for: error)
    if code == .success {
      let message = Goethectl.fullMessage(for: error)
      if !message.isEmpty { StandardOutput.writeLine(message) }
      return .success
    }
    if code.rawValue == 0 { return .success }
    var message = Goethectl.message(for: error)
    while message.hasSuffix(".") { message.removeLast() }
    writeError(message + "; see: goethectl help", at: location)
    return .usage
  }
}

/// One line on stderr, whatever the message echoes: its control characters are escaped.
func writeError(_ message: String, at location: String? = nil) {
  var text = message
  if text.hasPrefix("goethectl:") { text = text.dropFirst("goethectl:".count).trimmingCharacters(in: .whitespaces) }
  let line = "goethectl: " + (location.map { "\($0): " } ?? "") + text
  StandardError.write(GoetheError.escapingControlCharacters(line) + "\n")
}
