import Foundation
import GoetheKit

/// Prints events in the chosen format:
/// - text: `TIME  ID  PAYLOAD`, the payload as UTF-8 with control bytes and invalid bytes escaped;
/// - json: `{"topic","id","seq","time","payload","encoding"}` per line, the payload as text
///   (`utf8`) or, when it is not UTF-8, in base64 (`base64`); the time in UTC;
/// - raw: the payload bytes, one event per line;
/// or by the layout's template, each event followed by the layout's delimiter (raw too).
struct EventPrinter {
  let console: Console
  var layout = EventLayout()

  func print(_ event: StoredEvent) {
    if let template = layout.template {
      console.outBytes(
        Data(layout.render(event, template: template, console: console).utf8), delimitedBy: layout.delimiter)
      return
    }
    switch console.format {
    case .text:
      console.out(
        console.paint(console.time(event.id), .dim) + "  " + console.paint(String(event.id), .cyan) + "  "
          + Self.escaped(event.payload))
    case .json:
      let text = String(data: event.payload, encoding: .utf8)
      console.json([
        "topic": .string(event.topic), "id": .string(String(event.id)), "seq": .number(event.sequence),
        "time": .string(console.jsonTime(event.id)), "payload": .string(text ?? event.payload.base64EncodedString()),
        "encoding": .string(text == nil ? "base64" : "utf8"),
      ])
    case .raw:
      console.outBytes(event.payload, delimitedBy: layout.delimiter)
    }
  }

  /// The payload as printable text: valid UTF-8 stays, control characters become `\n`, `\t`, `\x1b`,
  /// and bytes that are not UTF-8 become `\xNN`, so nothing binary reaches the terminal.
  static func escaped(_ payload: Data) -> String {
    var result = ""
    var bytes = payload[...]
    while !bytes.isEmpty {
      var decoder = UTF8()
      var iterator = bytes.makeIterator()
      switch decoder.decode(&iterator) {
      case .scalarValue(let scalar):
        let length = String(scalar).utf8.count
        result += escape(scalar)
        bytes = bytes.dropFirst(length)
      case .error, .emptyInput:
        result += String(format: "\\x%02x", bytes.first!)
        bytes = bytes.dropFirst()
      }
    }
    return result
  }

  private static func escape(_ scalar: Unicode.Scalar) -> String {
    switch scalar {
    case "\n": return "\\n"
    case "\r": return "\\r"
    case "\t": return "\\t"
    case "\\": return "\\\\"
    case _ where scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value):
      return String(format: "\\x%02x", scalar.value)
    default: return String(scalar)
    }
  }
}
