import GRPCCore

/// Ends a call whose deadline has passed with DEADLINE_EXCEEDED.
///
/// gRPC enforces a client's `grpc-timeout` by cancelling the call, so a handler that was still
/// working or waiting ends as cancelled; this names the real cause, for every RPC.
struct DeadlineInterceptor: ServerInterceptor {
  func intercept<Input: Sendable, Output: Sendable>(
    request: StreamingServerRequest<Input>,
    context: ServerContext,
    next: @Sendable (StreamingServerRequest<Input>, ServerContext) async throws -> StreamingServerResponse<Output>
  ) async throws -> StreamingServerResponse<Output> {
    guard let text = request.metadata[stringValues: "grpc-timeout"].first(where: { _ in true }),
      let timeout = GRPCTimeout.parse(text)
    else { return try await next(request, context) }
    let deadline = ContinuousClock.now + timeout
    var response: StreamingServerResponse<Output>
    do {
      response = try await next(request, context)
    } catch {
      throw Self.naming(error, deadline: deadline)
    }
    if case .success(var contents) = response.accepted {
      let producer = contents.producer
      contents.producer = { writer in
        do {
          return try await producer(writer)
        } catch {
          throw Self.naming(error, deadline: deadline)
        }
      }
      response.accepted = .success(contents)
    }
    return response
  }

  /// `error`, or DEADLINE_EXCEEDED if it is a cancellation that came once the deadline had passed.
  private static func naming(_ error: any Error, deadline: ContinuousClock.Instant) -> any Error {
    let cancelled = error is CancellationError || (error as? RPCError)?.code == .cancelled
    guard cancelled, ContinuousClock.now >= deadline else { return error }
    return RPCError(code: .deadlineExceeded, message: "the call's deadline passed before it finished")
  }
}

/// The `grpc-timeout` header: at most eight digits and a unit (gRPC over HTTP/2, "Timeout").
enum GRPCTimeout {
  static func parse(_ text: String) -> Duration? {
    let digits = text.dropLast()
    guard let unit = text.last, (1...8).contains(digits.count), digits.allSatisfy({ ("0"..."9").contains($0) }),
      let value = Int64(digits)
    else { return nil }
    switch unit {
    case "H": return .seconds(value * 3600)
    case "M": return .seconds(value * 60)
    case "S": return .seconds(value)
    case "m": return .milliseconds(value)
    case "u": return .microseconds(value)
    case "n": return .nanoseconds(value)
    default: return nil
    }
  }
}
