import GRPCCore
import GoetheKit
import SwiftProtobuf
import Synchronization

/// The standard `grpc.health.v1.Health` service: SERVING while the daemon runs, NOT_SERVING once it
/// begins to shut down. Knows the overall status (""), the Goethe service, and
/// `io.typusomega.goethe.Leader`, which is SERVING only on the cluster's leader, so that a load
/// balancer or a Kubernetes Service can find the writer.
final class HealthService: Sendable {
  typealias Request = Grpc_Health_V1_HealthCheckRequest
  typealias Response = Grpc_Health_V1_HealthCheckResponse

  static let leaderService = "io.typusomega.goethe.Leader"
  private static let known: Set<String> = ["", "io.typusomega.goethe.Goethe", leaderService]

  private struct State {
    var serving = true
    var leading = false
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

  /// Whether this node leads its cluster now; tells every watcher.
  func markLeading(_ leading: Bool) {
    let watchers = state.withLock { state in
      state.leading = leading
      return Array(state.watchers.values)
    }
    for watcher in watchers { watcher.yield() }
  }

  func check(request: Request) async throws -> Response {
    guard Self.known.contains(request.service) else {
      throw RPCError(code: .notFound, message: "unknown service \(request.service)")
    }
    return status(of: request.service)
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
    var sent = status(of: request.service)
    try await response.write(sent)
    for await _ in changes {
      let now = status(of: request.service)
      guard now != sent else { continue }
      sent = now
      try await response.write(now)
    }
    let last = status(of: request.service)
    if last != sent { try await response.write(last) }
  }

  private func status(of service: String) -> Response {
    let serving = state.withLock { $0.serving && (service != Self.leaderService || $0.leading) }
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
