import Foundation
import GoetheKit

/// The question goethectl asks before it destroys data: on a terminal it asks and waits for "y";
/// elsewhere it refuses unless `--yes` was given, so that a script never deletes by accident.
enum Confirmation {
  /// Whether `--yes` was given or the user answered yes; throws when it cannot ask.
  static func granted(_ question: String, yes: Bool) throws(GoetheError) -> Bool {
    guard !yes else { return true }
    guard isatty(STDIN_FILENO) == 1, isatty(STDERR_FILENO) == 1 else {
      throw GoetheError(.invalidArgument, "\(question) needs --yes when goethectl does not run on a terminal")
    }
    StandardError.write("\(question)? [y/N] ")
    let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased()
    return answer == "y" || answer == "yes"
  }
}
