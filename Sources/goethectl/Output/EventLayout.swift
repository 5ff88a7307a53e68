import Foundation
import GoetheKit

/// What `--template` and `--delimiter` make of events, beyond `-o`: each event by a line template
/// (`{time} {id} {payload}`, as kcat's `-f`), and what ends each event in raw and template output
/// (kcat's `-D`), so that a payload with line breaks can be told from several events.
struct EventLayout: Sendable {
  enum Field: String, CaseIterable, Sendable {
    case topic, id, seq, time, payload
  }

  enum Piece: Sendable, Equatable {
    case text(String)
    case field(Field)
  }

  var template: [Piece]?
  var delimiter = Data([0x0A])

  /// `template` with `\t`, `\n`, `\0` and `\\` read as escapes, and `{field}` as placeholders.
  static func template(_ text: String) throws(GoetheError) -> [Piece] {
    var pieces: [Piece] = []
    var rest = Substring(unescaped(text))
    while let open = rest.firstIndex(of: "{") {
      if open > rest.startIndex { pieces.append(.text(String(rest[..<open]))) }
      guard let close = rest[open...].firstIndex(of: "}"),
        let field = Field(rawValue: String(rest[rest.index(after: open)..<close]))
      else {
        let fields = Field.allCases.map { "{\($0.rawValue)}" }.joined(separator: " ")
        throw GoetheError(
          .invalidArgument, "--template \(GoetheError.quoted(text)) has an unknown placeholder; use: \(fields)")
      }
      pieces.append(.field(field))
      rest = rest[rest.index(after: close)...]
    }
    if !rest.isEmpty { pieces.append(.text(String(rest))) }
    return pieces
  }

  /// `\n`, `\t`, `\0` and `\\` as the characters they name; any other backslash stays.
  static func unescaped(_ text: String) -> String {
    var result = ""
    var escaping = false
    for character in text {
      if escaping {
        switch character {
        case "n": result.append("\n")
        case "t": result.append("\t")
        case "0": result.append("\0")
        case "\\": result.append("\\")
        default: result += "\\" + String(character)
        }
        escaping = false
      } else if character == "\\" {
        escaping = true
      } else {
        result.append(character)
      }
    }
    return escaping ? result + "\\" : result
  }

  /// One event by the template: `{payload}` as text output shows it, control bytes escaped, so
  /// that an event stays one line; `{time}` in local time or, with --utc, in UTC.
  func render(_ event: StoredEvent, template: [Piece], console: Console) -> String {
    template.map { piece in
      switch piece {
      case .text(let text): text
      case .field(.topic): event.topic
      case .field(.id): String(event.id)
      case .field(.seq): String(event.sequence)
      case .field(.time): console.time(event.id)
      case .field(.payload): EventPrinter.escaped(event.payload)
      }
    }.joined()
  }
}
