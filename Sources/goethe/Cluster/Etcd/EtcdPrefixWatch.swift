import Foundation
import GRPCCore
import GoetheKit
import Logging

/// The keys under a prefix at one revision of the store.
struct EtcdPrefixSnapshot: Sendable {
  /// The revision of the store this snapshot is current at.
  var revision: Int64
  var values: [Data: Mvccpb_KeyValue]
}

extension EtcdClient {
  /// The keys under `prefix`: a snapshot at once, then a new one after each change, until the
  /// consumer is cancelled. A broken watch (etcd restarted, the connection lost, the history
  /// compacted) is taken up again from a fresh read, so an outage shows as a pause, after which
  /// the snapshot is current again. The stream fails once the client is closed.
  func snapshots(of prefix: String, logger: Logger) -> AsyncThrowingStream<EtcdPrefixSnapshot, any Error> {
    let (stream, continuation) = AsyncThrowingStream<EtcdPrefixSnapshot, any Error>.makeStream()
    let task = Task {
      var retry = EtcdRetryDelay()
      while !Task.isCancelled {
        do {
          let read = try await range(prefix: prefix)
          let first = EtcdPrefixSnapshot(
            revision: read.header.revision,
            values: Dictionary(read.kvs.map { ($0.key, $0) }, uniquingKeysWith: { $1 }))
          continuation.yield(first)
          retry.reset()
          try await watch(prefix: prefix, from: first.revision + 1) { responses in
            var snapshot = first
            for try await response in responses {
              if response.canceled || response.compactRevision > 0 {
                throw EtcdWatchEnded(reason: response.cancelReason.isEmpty ? "compacted" : response.cancelReason)
              }
              guard !response.events.isEmpty else { continue }
              for event in response.events {
                switch event.type {
                case .put: snapshot.values[event.kv.key] = event.kv
                default: snapshot.values[event.kv.key] = nil
                }
                snapshot.revision = max(snapshot.revision, event.kv.modRevision)
              }
              snapshot.revision = max(snapshot.revision, response.header.revision)
              continuation.yield(snapshot)
            }
          }
        } catch is CancellationError {
          break
        } catch {
          if isClosed {
            continuation.finish(throwing: GoetheError(.unavailable, "the connection to etcd at \(endpoints) is closed"))
            return
          }
          logger.debug("watching etcd again after a failure", metadata: ["prefix": "\(prefix)", "error": "\(error)"])
        }
        do { try await Task.sleep(for: retry.next()) } catch { break }
      }
      continuation.finish()
    }
    continuation.onTermination = { _ in task.cancel() }
    return stream
  }
}

/// A watch that etcd cancelled; it is taken up again.
struct EtcdWatchEnded: Error {
  var reason: String
}

/// How long to wait before trying etcd again: from 100 ms, doubling up to a limit.
struct EtcdRetryDelay: Sendable {
  var limit: Duration = .seconds(2)
  private var current: Duration = .milliseconds(100)

  init(limit: Duration = .seconds(2)) { self.limit = limit }

  mutating func next() -> Duration {
    defer { current = min(current * 2, limit) }
    return current
  }

  mutating func reset() { current = .milliseconds(100) }
}
