import Foundation
import GoetheKit
import SwiftProtobuf

extension GoetheService {
  typealias AppendRequest = Io_Typusomega_Goethe_AppendRequest
  typealias AppendResponse = Io_Typusomega_Goethe_AppendResponse

  /// A producer's stream. Batches are appended in the order they arrive and answered in that
  /// order once durable. While one append is being written (and synced), the batches that arrive
  /// gather, and the next append takes them together: one write and one sync for many batches.
  func appendStream(
    request: RequestStream<AppendRequest>, response: ResponseWriter<AppendResponse>
  ) async throws {
    let queue = BatchingQueue<AppendRequest>(capacity: RequestFlow.highWatermark)
    try await runStream(store: store) {
      // The reader's task returns the error the requests ended with, if any; the appender's
      // throws what refused a batch.
      try await withThrowingTaskGroup(of: (any Error)?.self) { group in
        // The requests end the queue, also when they end by an error; the batches queued before
        // it are still appended and answered, then the stream ends with that error.
        group.addTask {
          defer { queue.finish() }
          do {
            for try await batch in request { try await queue.put(batch) }
            return nil
          } catch {
            return error
          }
        }
        group.addTask {
          while let batches = try await queue.takeAll() {
            for run in Self.appendRuns(batches) {
              try await appendTogether(run, answeringTo: response)
            }
          }
          return nil
        }
        // A refused batch ends the stream at once, while its client may still be sending: the
        // reader, waiting on the client or on a full queue, is stopped.
        var requestsFailure: (any Error)?
        do {
          while let ended = try await group.next() { requestsFailure = requestsFailure ?? ended }
        } catch {
          group.cancelAll()
          throw error
        }
        if let requestsFailure { throw requestsFailure }
      }
    }
  }

  /// Consecutive batches go into one append where ``joins(_:runEndingIn:)`` allows.
  static func appendRuns(_ batches: [AppendRequest]) -> [[AppendRequest]] {
    var runs: [[AppendRequest]] = []
    for batch in batches {
      if let last = runs.last?.last, joins(batch, runEndingIn: last) {
        runs[runs.count - 1].append(batch)
      } else {
        runs.append([batch])
      }
    }
    return runs
  }

  /// Appends `run` and answers each batch with its share of the ids.
  private func appendTogether(_ run: [AppendRequest], answeringTo response: ResponseWriter<AppendResponse>) async throws
  {
    for result in try await append(run) { try await response.write(AppendResponse(result)) }
  }
}
