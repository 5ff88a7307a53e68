import NIOCore
import NIOPosix

/// Where the store runs what blocks for long: fsyncs, and reads whose length the caller does not
/// bound (a topic's cursors, its statistics, the last N events, committed writes, compaction).
/// They run on NIO's blocking thread pool, so that they hold neither a thread of Swift's
/// cooperative pool nor an event loop, whose other connections would wait meanwhile. Reads of one
/// bounded batch (at most 1 MiB) stay on the caller's thread: the hop would cost more than the read.
enum BlockingIO {
  /// Runs `body` on the pool; a caller cancelled before it starts gets `CancellationError`
  /// instead (NIO's pool drops the work of a cancelled task).
  static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await NIOThreadPool.singleton.runIfActive(body)
  }

  /// Runs `body` on the pool to its end, even when the caller is cancelled meanwhile: for writes,
  /// which the store expects to finish once begun. A write turn that did not run would leave the
  /// writes queued behind it waiting for ever.
  static func runToEnd<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    // Waiting for a future ignores the caller's cancellation, and spares the hop through a task of
    // its own: the future completes on the caller's event loop when it has one.
    try await NIOThreadPool.singleton.runIfActive(eventLoop: MultiThreadedEventLoopGroup.singleton.any(), body).get()
  }
}
