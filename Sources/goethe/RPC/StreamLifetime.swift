/// Runs the body of a streaming handler until it ends or the store shuts down, whichever comes
/// first; at shutdown the stream ends with UNAVAILABLE.
///
/// Streams that wait on the store's notifier end by themselves when it closes, but a body waiting
/// for its client's next message (a v1 consumer holding an event) does not; so the body runs as a
/// child task beside a watch on the notifier, and whichever ends first cancels the other. Both are
/// awaited: nothing of the stream outlives the handler.
func runStream(store: any EventLog, _ body: @escaping @Sendable () async throws -> Void) async throws {
  try await withThrowingTaskGroup(of: Void.self) { group in
    group.addTask { try await body() }
    group.addTask {
      try await store.waitUntilWaitsEnd()
      throw EventLogWaits.ended
    }
    defer { group.cancelAll() }
    try await group.next()
  }
}
