import ArgumentParser
import Foundation
import GoetheKit

/// What goethectl prints and returns for an error thrown by a command or by parsing.
/// Returns the exit status; help, version and completion requests print to stdout and succeed.
/// - Parameter location: where the failing command came from, such as `line 3` of a script.
func report(_ error: any Error, at location: String? = nil) -> ExitStatus {
  switch error {
  case let error as GoetheError:
    if error.code != .cancelled { writeError(error.message + nextStep(error), at: location) }
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

/// What to do about a refused credential, after the server's reason.
private func nextStep(_ error: GoetheError) -> String {
  guard error.code == .unauthenticated else { return "" }
  if error.message.contains("unknown token") { return "; check --token, --token-file, GOETHE_TOKEN or the context's" }
  if error.message.contains("no token") { return "; give one with --token-file FILE, --token or GOETHE_TOKEN" }
  return ""
}
