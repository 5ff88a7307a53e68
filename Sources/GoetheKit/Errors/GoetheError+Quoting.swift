extension GoetheError {
  /// How a message shows what someone typed: in double quotes, cut after 40 characters, with control
  /// characters, quotes and backslashes escaped as Swift writes them (`\n`, `\u{1B}`, `\"`), so that
  /// the message stays on one line and sends no escape sequence to a terminal.
  public static func quoted(_ text: String) -> String {
    let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
    return "\"" + shown.unicodeScalars.map { isControl($0) ? escaped($0) : $0.escaped(asASCII: false) }.joined() + "\""
  }

  /// `message` with its control characters escaped as ``quoted(_:)`` escapes them, and nothing else
  /// changed: for messages composed elsewhere, such as by an argument parser, that echo what was typed.
  public static func escapingControlCharacters(_ message: String) -> String {
    guard message.unicodeScalars.contains(where: isControl) else { return message }
    return message.unicodeScalars.map { isControl($0) ? escaped($0) : String($0) }.joined()
  }

  private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
    scalar.properties.generalCategory == .control
  }

  /// A control character as Swift escapes it in ASCII: `escaped(asASCII: false)` would leave the C1
  /// controls (U+0080 to U+009F) as they are, and terminals act on some of them.
  private static func escaped(_ control: Unicode.Scalar) -> String {
    control.escaped(asASCII: true)
  }
}
