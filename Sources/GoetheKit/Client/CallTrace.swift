import GRPCCore

/// One call as a client's debug output shows it: its method, how it ended and how long it took.
public struct CallRecord: Sendable {
  /// Such as `goethe.Goethe/Append`.
  public var method: String
  /// `OK`, or the gRPC status code of the failure, such as `unavailable`.
  public var status: String
  /// From the call's start to its answer, or to the end of a stream.
  public var duration: Duration
}

/// Reports each call once it ends: a unary call when its answer is in, a stream when it ends or
/// fails. A stream the caller stops reading early is not reported.
struct CallTracer: ClientInterceptor {
  let report: @Sendable (CallRecord) -> Void

  func intercept<Input: Sendable, Output: Sendable>(
    request: StreamingClientRequest<Input>, context: ClientContext,
    next: (StreamingClientRequest<Input>, ClientContext) async throws -> StreamingClientResponse<Output>
  ) async throws -> StreamingClientResponse<Output> {
    let started = ContinuousClock.now
    let (method, report) = (context.descriptor.fullyQualifiedMethod, report)
    let done: @Sendable (String) -> Void = { status in
      report(CallRecord(method: method, status: status, duration: .now - started))
    }
    let response: StreamingClientResponse<Output>
    do {
      response = try await next(request, context)
    } catch {
      done(Self.status(of: error))
      throw error
    }
    switch response.accepted {
    case .failure(let error):
      done(Self.status(of: error))
      return response
    case .success(var contents):
      contents.bodyParts = RPCAsyncSequence(wrapping: ReportingEnd(base: contents.bodyParts, done: done))
      return StreamingClientResponse(accepted: .success(contents))
    }
  }

  static func status(of error: any Error) -> String {
    (error as? RPCError).map { "\($0.code)" } ?? (error is CancellationError ? "cancelled" : "failed")
  }
}

/// A sequence that reports how it ended: `OK` at its end, the status of the error it throws.
private struct ReportingEnd<Base: AsyncSequence & Sendable>: AsyncSequence, Sendable where Base.Element: Sendable {
  typealias Element = Base.Element

  let base: Base
  let done: @Sendable (String) -> Void

  struct AsyncIterator: AsyncIteratorProtocol {
    var base: Base.AsyncIterator
    let done: @Sendable (String) -> Void
    var ended = false

    mutating func next() async throws -> Element? {
      guard !ended else { return nil }
      do {
        guard let element = try await base.next() else {
          ended = true
          done("OK")
          return nil
        }
        return element
      } catch {
        ended = true
        done(CallTracer.status(of: error))
        throw error
      }
    }
  }

  func makeAsyncIterator() -> AsyncIterator {
    AsyncIterator(base: base.makeAsyncIterator(), done: done)
  }
}
