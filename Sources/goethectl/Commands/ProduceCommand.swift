import ArgumentParser
import Foundation
import GoetheKit

struct ProduceCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "produce", abstract: "Append events to a topic and print their ids.",
    discussion: """
      With PAYLOAD, one event. Otherwise events come from stdin (or --file): one per line by \
      default (blank lines are skipped), or the whole input as one event with --whole. Lines are \
      sent as they arrive over one stream, in batches that do not wait for each other, and each id \
      is printed as soon as its event is stored (none with --quiet; a terminal gets a summary on \
      stderr at the end), so that produce can follow a growing file (see EXAMPLES in the manual). With \
      --expect-seq the batches go one at a time, each conditional on the head the last one left. \
      A line over the server's event size limit ends the input there: the lines before it are \
      stored, and the error names the line and what was stored.
      """)

  @Argument(help: "The topic.", completion: DynamicCompletion.topics)
  var topic: String

  @Argument(help: "The payload of one event.")
  var payload: String?

  @Option(
    help: ArgumentHelp("Read events from this file instead of stdin (- is stdin).", valueName: "path"),
    completion: .file())
  var file: String?

  @Flag(help: "One event per line (the default for stdin and --file).")
  var lines = false

  @Flag(help: "The whole input is one event.")
  var whole = false

  @Option(
    name: .customLong("expect-seq"),
    help: ArgumentHelp(
      "Append only if the topic's head sequence is N (0 for an empty topic); optimistic concurrency.", valueName: "n"))
  var expectSequence: UInt64?

  @Flag(name: [.short, .long], help: "Print no ids; a terminal still gets the summary on stderr.")
  var quiet = false

  @OptionGroup var global: GlobalOptions

  func validate() throws {
    if whole, lines { throw ValidationError("--whole and --lines exclude each other") }
    let reading = [(file != nil, "--file"), (whole, "--whole"), (lines, "--lines")].first { $0.0 }?.1
    if payload != nil, let reading {
      throw ValidationError(
        "a PAYLOAD and \(reading) exclude each other; give the event as PAYLOAD or read stdin/--file")
    }
    if let path, !FileManager.default.isReadableFile(atPath: path) {
      throw ValidationError("cannot read --file \(path)")
    }
  }

  /// The file to read, or nil for stdin: no --file, or `--file -` as in cat and kcat.
  var path: String? { file == "-" ? nil : file }

  /// The input as messages name it.
  var inputName: String { path ?? "stdin" }

  func run() async throws {
    let console = global.console
    let printer = AckPrinter(console: console, quiet: quiet)
    if let payload {
      let result = try await global.withClient { client in
        try await client.append([Data(payload.utf8)], to: topic, expectedSequence: expectSequence)
      }
      printer.print(result)
      return
    }
    if whole {
      let data = try readAll()
      guard !data.isEmpty else {
        throw GoetheError(.invalidArgument, "the input is empty; events need at least one byte")
      }
      let result = try await global.withClient { client in
        try await client.append([data], to: topic, expectedSequence: expectSequence)
      }
      printer.print(result)
      return
    }
    try await produceLines(printer: printer)
    printer.summarize()
  }

  private func readAll() throws -> Data {
    if let path { return try Data(contentsOf: URL(fileURLWithPath: path)) }
    return try FileHandle.standardInput.readToEnd() ?? Data()
  }
}
