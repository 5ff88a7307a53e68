import Foundation
import Logging

/// An object of the Kubernetes API, as the reflector follows it.
protocol KubernetesObject: Codable, Sendable, Equatable {
  var metadata: ObjectMeta { get }
}

extension Lease: KubernetesObject {}
extension EndpointSlice: KubernetesObject {}
extension ConfigMap: KubernetesObject {}

/// Follows a collection of the Kubernetes API as client-go's reflector does: lists it, then watches
/// from the list's resourceVersion, and lists again when the watch reports that version expired
/// (410 Gone) or fails. Each change yields the whole set, by name. While the API cannot be reached
/// the stream is silent, then current again.
struct KubernetesReflector<Object: KubernetesObject>: Sendable {
  let api: KubernetesAPI
  /// The collection's path, `/apis/GROUP/VERSION/namespaces/NS/RESOURCE`.
  let path: String
  /// The label and field selectors.
  let query: [String: String]
  /// How long to wait before listing again after a failure.
  let retry: Duration
  /// How long one watch request lasts before the server ends it and it is made again.
  var watchTimeout: Duration = .seconds(240)

  func snapshots(logger: Logger) -> AsyncThrowingStream<[String: Object], any Error> {
    let (stream, continuation) = AsyncThrowingStream<[String: Object], any Error>.makeStream()
    let task = Task {
      while !Task.isCancelled {
        do {
          try await follow { continuation.yield($0) }
        } catch let error as KubernetesAPIError where error.isExpired {
          logger.debug("the watch's resourceVersion expired; listing again", metadata: ["path": "\(path)"])
          continue
        } catch {
          if Task.isCancelled { break }
          logger.warning("following the Kubernetes API failed; trying again", metadata: ["error": "\(error)"])
        }
        do { try await Task.sleep(for: retry) } catch { break }
      }
      continuation.finish()
    }
    continuation.onTermination = { _ in task.cancel() }
    return stream
  }

  /// Lists, then watches until the watch fails; a watch the server ends is made again from the
  /// last version seen.
  private func follow(_ yield: ([String: Object]) -> Void) async throws {
    let list: ObjectList<Object> = try await api.list(path, query: query)
    var objects = Dictionary(list.items.map { ($0.metadata.name, $0) }, uniquingKeysWith: { _, last in last })
    var version = list.metadata.resourceVersion ?? ""
    yield(objects)
    let decoder = JSONDecoder()
    while true {
      try await api.watch(path, query: query, from: version, timeout: watchTimeout) { line in
        let kind = try decoder.decode(WatchEvent<Object>.Kind.self, from: line).type
        switch kind {
        case "ERROR":
          throw KubernetesAPIError(status: try decoder.decode(WatchEvent<KubernetesStatus>.self, from: line).object)
        case "BOOKMARK":
          let bookmark = try decoder.decode(WatchEvent<Bookmark>.self, from: line).object
          version = bookmark.metadata.resourceVersion ?? version
        default:
          let object = try decoder.decode(WatchEvent<Object>.self, from: line).object
          version = object.metadata.resourceVersion ?? version
          if kind == "DELETED" {
            objects.removeValue(forKey: object.metadata.name)
          } else {
            objects[object.metadata.name] = object
          }
          yield(objects)
        }
      }
    }
  }

  /// A bookmark's object: only its resourceVersion counts.
  private struct Bookmark: Decodable, Sendable {
    var metadata: ObjectList<Object>.ListMeta
  }
}
