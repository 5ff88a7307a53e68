import Foundation
import GoetheKit

/// Where and how goethectl prints: the chosen format, local or UTC times, tables with or without
/// headers, and whether stdout and stderr are terminals (colours and progress appear only on a terminal).
struct Console: Sendable {
  let format: OutputFormat
  let utc: Bool
  let noHeaders: Bool
  let colors: Bool
  let stdoutIsTerminal: Bool
  let stderrIsTerminal: Bool

  init(format: OutputFormat, utc: Bool, noColor: Bool, noHeaders: Bool) {
    self.format = format
    self.utc = utc
    self.noHeaders = noHeaders
    stdoutIsTerminal = isatty(STDOUT_FILENO) == 1
    stderrIsTerminal = isatty(STDERR_FILENO) == 1
    let environment = ProcessInfo.processInfo.environment
    colors =
      stdoutIsTerminal && !noColor && environment["NO_COLOR"].map(\.isEmpty) ?? true && environment["TERM"] != "dumb"
  }

  var timeZone: TimeZone { utc ? TimeZone(identifier: "UTC")! : .current }

  func out(_ text: String) {
    StandardOutput.writeLine(text)
  }

  /// Writes `data`, then `delimiter`, without joining them first: a replay writes each event so.
  func outBytes(_ data: Data, delimitedBy delimiter: Data) {
    StandardOutput.write(data, then: delimiter)
  }

  /// Writes out what was printed: after each batch of a stream, so that a reader sees events as they come.
  func flush() {
    StandardOutput.flush()
  }

  /// A one-line note on stderr, such as where a replay really starts.
  func note(_ text: String) {
    writeError(text)
  }

  /// The note that a read asked to start before what retention kept (`whose` start: a consumer's
  /// cursor, or the position given), and starts at the first retained event, `id`.
  func noteResumingAtFirstRetained(_ whose: String, _ id: UInt64) {
    note("\(whose) is before the first retained event; resumes at the first retained event, \(id) (\(time(id)))")
  }

  /// A closing line such as `replayed 6 events`: on stderr, and only when it is a terminal, so that
  /// pipes and scripts see nothing but the output.
  func summary(_ text: String) {
    if stderrIsTerminal { StandardError.write(text + "\n") }
  }

  /// Prints one JSON object per line; keys keep the order given.
  func json(_ fields: KeyValuePairs<String, JSONValue>) {
    out(JSONValue.object(fields.map { ($0.key, $0.value) }))
  }

  func json(_ fields: [(String, JSONValue)]) {
    out(JSONValue.object(fields))
  }

  /// An RFC 3339 time with microseconds, in local time or UTC.
  func time(_ nanoseconds: UInt64) -> String {
    TimeFormatting.rfc3339(nanoseconds, timeZone: timeZone, zulu: utc)
  }

  /// A time for JSON: always UTC with `Z`, so that what a script reads does not depend on `TZ`.
  func jsonTime(_ nanoseconds: UInt64) -> String {
    TimeFormatting.rfc3339(nanoseconds, timeZone: TimeZone(identifier: "UTC")!, zulu: true)
  }

  func paint(_ text: String, _ color: ANSIColor) -> String {
    colors ? "\u{1B}[\(color.rawValue)m\(text)\u{1B}[0m" : text
  }

  /// The terminal's width, or 80.
  var width: Int {
    var size = winsize()
    if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
    return Int(ProcessInfo.processInfo.environment["COLUMNS"] ?? "") ?? 80
  }

  var height: Int {
    var size = winsize()
    if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0 { return Int(size.ws_row) }
    return 24
  }
}

enum ANSIColor: String {
  case dim = "2"
  case cyan = "36"
  case green = "32"
  case bold = "1"
}

/// A JSON value, encoded by hand so that output keeps its key order and needs no Encodable types.
enum JSONValue {
  case string(String)
  case number(UInt64)
  case integer(Int)
  case null
  /// Already-encoded JSON, such as a nested array.
  case raw(String)

  var encoded: String {
    switch self {
    case .string(let text): return Self.quote(text)
    case .number(let value): return String(value)
    case .integer(let value): return String(value)
    case .null: return "null"
    case .raw(let json): return json
    }
  }

  /// `{"key":value,...}`, keys in the order given.
  static func object(_ fields: [(String, JSONValue)]) -> String {
    "{" + fields.map { "\(quote($0.0)):\($0.1.encoded)" }.joined(separator: ",") + "}"
  }

  static func quote(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": result += "\\\""
      case "\\": result += "\\\\"
      case "\n": result += "\\n"
      case "\r": result += "\\r"
      case "\t": result += "\\t"
      case _ where scalar.value < 0x20 || scalar.value == 0x7F || (0x2028...0x2029).contains(scalar.value):
        result += String(format: "\\u%04x", scalar.value)
      default: result.unicodeScalars.append(scalar)
      }
    }
    return result + "\""
  }
}

enum TimeFormatting {
  /// `2019-05-03T14:00:00.000000+02:00`, or with `zulu` (for UTC) `2019-05-03T12:00:00.000000Z`.
  static func rfc3339(_ nanoseconds: UInt64, timeZone: TimeZone, zulu: Bool) -> String {
    let seconds = Int(nanoseconds / 1_000_000_000)
    let micros = Int(nanoseconds % 1_000_000_000 / 1_000)
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = timeZone
    let date = Date(timeIntervalSince1970: TimeInterval(seconds))
    let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
    let offset = timeZone.secondsFromGMT(for: date)
    let zone =
      zulu
      ? "Z" : String(format: "%@%02d:%02d", offset < 0 ? "-" : "+", abs(offset) / 3_600, abs(offset) % 3_600 / 60)
    return String(
      format: "%04d-%02d-%02dT%02d:%02d:%02d.%06d%@", parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!,
      parts.second!, micros, zone)
  }
}
