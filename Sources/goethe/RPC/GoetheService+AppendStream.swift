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
      try await withThrowingTaskGroup(of: Void.self) { group in
        // The queue ends with the requests, also when they end by an error (a refused batch):
        // waitForAll waits for the taker too, which would otherwise wait for ever.
        group.addTask {
          defer { queue.finish() }
          for try await batch in request { try await queue.put(batch) }
        }
        group.addTask {
          while let batches = try await queue.takeAll() {
            for run in Self.appendRuns(batches) {
              try await appendTogether(run, answeringTo: response)
            }
          }
        }
        try await group.waitForAll()
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
