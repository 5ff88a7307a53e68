import GRPCCore
import GoetheKit
import SwiftProtobuf
import Synchronization

/// The standard `grpc.health.v1.Health` service: SERVING while the daemon runs, NOT_SERVING once it
/// begins to shut down. Knows the overall status ("") and the Goethe service.
final class HealthService: Sendable {
  typealias Request = Grpc_Health_V1_HealthCheckRequest
  typealias Response = Grpc_Health_V1_HealthCheckResponse

  private static let known: Set<String> = ["", "io.typusomega.goethe.Goethe"]

  private struct State {
    var serving = true
    var watchers: [Int: AsyncStream<Void>.Continuation] = [:]
    var nextWatcher = 0
  }

  private let state = Mutex(State())

  /// Marks the daemon as shutting down and tells every watcher.
  func markNotServing() {
    let watchers = state.withLock { state in
      state.serving = false
      return Array(state.watchers.values)
    }
    for watcher in watchers {
      watcher.yield()
      watcher.finish()
    }
  }

  func check(request: Request) async throws -> Response {
    guard Self.known.contains(request.service) else {
      throw RPCError(code: .notFound, message: "unknown service \(request.service)")
    }
    return status
  }

  func watch(request: Request, response: ResponseWriter<Response>) async throws {
    guard Self.known.contains(request.service) else {
      try await response.write(.with { $0.status = .serviceUnknown })
      return
    }
    let (changes, continuation) = AsyncStream<Void>.makeStream()
    let token = state.withLock { state in
      state.nextWatcher += 1
      if state.serving { state.watchers[state.nextWatcher] = continuation } else { continuation.finish() }
      return state.nextWatcher
    }
    defer { _ = state.withLock { $0.watchers.removeValue(forKey: token) } }
    try await response.write(status)
    for await _ in changes { try await response.write(status) }
  }

  private var status: Response {
    let serving = state.withLock { $0.serving }
    return .with { $0.status = serving ? .serving : .notServing }
  }
}

extension HealthService: RPCService {
  var methods: [String: RPCMethod] {
    [
      "/grpc.health.v1.Health/Check": .unary(check),
      "/grpc.health.v1.Health/Watch": .serverStreaming(watch),
    ]
  }
}
