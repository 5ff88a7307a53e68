import ArgumentParser
import Foundation
import GoetheKit

/// `--template` and `--delimiter`, for the commands that print events.
struct EventLayoutOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "Print each event by this template, such as '{time} {id} {payload}' (fields: topic, id, seq, time, payload; \\t and \\n are read as escapes).",
      valueName: "template"))
  var template: String?

  @Option(
    name: [.customShort("D", allowingJoined: true), .long],
    help: ArgumentHelp(
      "What follows each event with -o raw or --template instead of a line break, such as '\\0' (for xargs -0) or '\\n--\\n'.",
      valueName: "text"))
  var delimiter: String?

  /// The layout, checked against the output format: a template is a format of its own, and a
  /// delimiter ends only raw and template output.
  func layout(for format: OutputFormat) throws(GoetheError) -> EventLayout {
    var layout = EventLayout()
    if let template {
      guard format == .text else {
        throw GoetheError(.invalidArgument, "--template and -o \(format.rawValue) exclude each other")
      }
      layout.template = try EventLayout.template(template)
    }
    if let delimiter {
      guard format == .raw || template != nil else {
        throw GoetheError(.invalidArgument, "--delimiter applies to -o raw and --template only")
      }
      layout.delimiter = Data(EventLayout.unescaped(delimiter).utf8)
    }
    return layout
  }
}
