import GRPCCore
import NIOCore
import Synchronization

extension EventLoopFuture where Value: Sendable {
  /// The future's value; CancellationError as soon as the waiting task is cancelled, and
  /// DEADLINE_EXCEEDED once `deadline` passes (the future itself goes on).
  /// - Parameter what: what the future stands for, for the deadline's message.
  func cancellableValue(until deadline: ContinuousClock.Instant? = nil, what: String) async throws -> Value {
    let waiter = Mutex<(continuation: CheckedContinuation<Value, any Error>?, cancelled: Bool)>((nil, false))
    let timer = deadline.map { deadline in
      eventLoop.scheduleTask(in: TimeAmount(ContinuousClock.now.duration(to: deadline))) {
        waiter.withLock { $0.continuation.take() }?.resume(
          throwing: RPCError(code: .deadlineExceeded, message: "the call's deadline passed while \(what)"))
      }
    }
    defer { timer?.cancel() }
    return try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { continuation in
        let cancelled = waiter.withLock { waiter in
          if !waiter.cancelled { waiter.continuation = continuation }
          return waiter.cancelled
        }
        if cancelled { return continuation.resume(throwing: CancellationError()) }
        whenComplete { result in
          waiter.withLock { $0.continuation.take() }?.resume(with: result)
        }
      }
    } onCancel: {
      let continuation = waiter.withLock { waiter in
        waiter.cancelled = true
        return waiter.continuation.take()
      }
      continuation?.resume(throwing: CancellationError())
    }
  }
}
