import Foundation
import GoetheKit

/// One line on stderr, whatever the message echoes: its control characters are escaped.
func writeError(_ message: String, at location: String? = nil) {
  var text = message
  if text.hasPrefix("goethectl:") { text = text.dropFirst("goethectl:".count).trimmingCharacters(in: .whitespaces) }
  let line = "goethectl: " + (location.map { "\($0): " } ?? "") + text
  StandardError.write(GoetheError.escapingControlCharacters(line) + "\n")
}
