import Synchronization

/// The progress line of a long step: clients count what they did, and a ticker shows the count on
/// goethectl's progress line, which appears only on a terminal.
final class BenchProgress: Sendable {
  private static let redrawInterval = Duration.milliseconds(200)

  private let done = Atomic<Int>(0)

  func advance(by count: Int) {
    done.wrappingAdd(count, ordering: .relaxed)
  }

  /// Runs `body` with the progress line showing the count towards `total`, and removes the line
  /// before returning, so that what is printed next starts on a clean line.
  func showing<Result: Sendable>(
    total: Int, on console: Console, _ body: () async throws -> Result
  ) async throws -> Result {
    try await withThrowingTaskGroup(of: Void.self) { group in
      group.addTask { await self.redraw(towards: total, on: console) }
      defer { group.cancelAll() }
      return try await body()
    }
  }

  private func redraw(towards total: Int, on console: Console) async {
    var meter = ProgressMeter(console: console, total: UInt64(total))
    while (try? await Task.sleep(for: Self.redrawInterval)) != nil {
      meter.advance(by: done.exchange(0, ordering: .relaxed))
    }
    meter.finish()
  }
}
