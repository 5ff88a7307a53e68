import Foundation
import GoetheKit

extension ProduceCommand {
  /// One event per line of stdin or --file. A line over the server's event size limit ends the
  /// input there: the lines before it are stored, and the error names it and what was stored, so
  /// that nothing after it is dropped unsaid. Any other failure says which lines were stored too.
  func produceLines(printer: AckPrinter) async throws {
    let reader = try LineReader(path: path)
    let stored = StoredLines()
    do {
      let (oversized, limit) = try await global.withClient { client in
        let limit = try await client.serverInfo().maxEventSize
        let fits: @Sendable (InputLine) -> Bool = { limit <= 0 || $0.payload.count <= limit }
        let oversized =
          if let expected = expectSequence {
            try await appendOneAtATime(
              client, from: reader, expecting: expected, fits: fits, stored: stored, printer: printer)
          } else {
            try await stream(client, from: reader, fits: fits, stored: stored, printer: printer)
          }
        return (oversized, limit)
      }
      if let oversized {
        let rest = stored.count == 0 ? "" : ", nothing from line \(oversized.number) on"
        throw GoetheError(
          .tooLarge,
          "line \(oversized.number) of \(inputName) is \(oversized.payload.count) bytes, over the server's limit of "
            + "\(limit) bytes (\(ByteSize(limit))); \(stored.summary)\(rest)")
      }
    } catch var error as GoetheError where stored.count > 0 && error.code != .tooLarge {
      error.message += "; \(stored.summary) before that"
      throw error
    }
  }

  /// One stream, batches in flight: each id is printed once its event is stored. Returns the first
  /// line that does not fit, after everything before it is stored.
  private func stream(
    _ client: GoetheClient, from reader: LineReader, fits: @escaping @Sendable (InputLine) -> Bool,
    stored: StoredLines, printer: AckPrinter
  ) async throws -> InputLine? {
    try await client.withProducer(
      to: topic,
      onAcknowledgement: { result in
        stored.acknowledged(result.count)
        printer.print(result)
        printer.console.flush()
      }
    ) { producer in
      while let lines = await reader.nextBatch() {
        for line in lines {
          guard fits(line) else { return line }
          stored.sent(line)
          try await producer.send(line.payload)
        }
      }
      return nil
    }
  }

  /// Each append is conditional on the head the previous one left, so they go one at a time.
  private func appendOneAtATime(
    _ client: GoetheClient, from reader: LineReader, expecting expected: UInt64,
    fits: (InputLine) -> Bool, stored: StoredLines, printer: AckPrinter
  ) async throws -> InputLine? {
    var next = expected
    while let batch = await reader.nextBatch() {
      let fitting = batch.prefix(while: fits)
      if !fitting.isEmpty {
        fitting.forEach(stored.sent)
        let result = try await client.append(fitting.map(\.payload), to: topic, expectedSequence: next)
        stored.acknowledged(result.count)
        printer.print(result)
        printer.console.flush()
        next = result.firstSequence + UInt64(result.count) - 1
      }
      if fitting.count < batch.count { return batch[fitting.count] }
    }
    return nil
  }
}
