extension AsyncThrowingStream where Element: Sendable, Failure == any Error {
  /// What `view` makes of each element, whenever that changes: how a coordinator turns its
  /// backend's snapshots into the members or the leadership it reports.
  func changes<View: Equatable & Sendable>(
    _ view: @escaping @Sendable (Element) -> View
  ) -> AsyncThrowingStream<View, any Error> {
    let (stream, continuation) = AsyncThrowingStream<View, any Error>.makeStream()
    let task = Task {
      var last: View?
      do {
        for try await element in self {
          let current = view(element)
          if current != last {
            last = current
            continuation.yield(current)
          }
        }
        continuation.finish()
      } catch {
        continuation.finish(throwing: error)
      }
    }
    continuation.onTermination = { _ in task.cancel() }
    return stream
  }
}
