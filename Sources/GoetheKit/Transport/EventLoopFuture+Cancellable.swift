import GRPCCore
import NIOCore
import Synchronization

extension EventLoopFuture where Value: Sendable {
  /// The future's value; CANCELLED as soon as the waiting task is cancelled, and
  /// DEADLINE_EXCEEDED once `deadline` passes. The future itself goes on.
  /// - Parameter what: what the future stands for, for the deadline's message.
  func cancellableValue(until deadline: ContinuousClock.Instant? = nil, what: String) async throws -> Value {
    let waiter = Mutex<(continuation: CheckedContinuation<Value, any Error>?, gaveUp: RPCError?)>((nil, nil))
    /// Ends the wait with `error`, now or, before the waiter is there, as soon as it is.
    let giveUp: @Sendable (RPCError) -> Void = { error in
      let continuation = waiter.withLock { waiter in
        if waiter.gaveUp == nil { waiter.gaveUp = error }
        return waiter.continuation.take()
      }
      continuation?.resume(throwing: error)
    }
    let timer = deadline.map { deadline in
      eventLoop.scheduleTask(in: TimeAmount(ContinuousClock.now.duration(to: deadline))) {
        giveUp(RPCError(code: .deadlineExceeded, message: "the call's deadline passed while \(what)"))
      }
    }
    defer { timer?.cancel() }
    return try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { continuation in
        let gaveUp = waiter.withLock { waiter in
          if waiter.gaveUp == nil { waiter.continuation = continuation }
          return waiter.gaveUp
        }
        if let gaveUp { return continuation.resume(throwing: gaveUp) }
        whenComplete { result in waiter.withLock { $0.continuation.take() }?.resume(with: result) }
      }
    } onCancel: {
      giveUp(RPCError(code: .cancelled, message: "the call was cancelled while \(what)"))
    }
  }
}
