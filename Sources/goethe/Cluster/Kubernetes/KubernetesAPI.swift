import AsyncHTTPClient
import Foundation
import GoetheKit
import NIOCore
import NIOHTTP1
import NIOSSL

/// A small client of the Kubernetes REST API: JSON over HTTPS on async-http-client, with the
/// service account's bearer token, read again for every request because projected tokens rotate.
struct KubernetesAPI: Sendable {
  let settings: KubernetesAPISettings
  /// The deadline of each request-response call; a watch has its own.
  let requestTimeout: Duration
  private let tls: TLSConfiguration?

  init(settings: KubernetesAPISettings, requestTimeout: Duration = .seconds(5)) {
    self.settings = settings
    self.requestTimeout = requestTimeout
    if let caFile = settings.caFile {
      var tls = TLSConfiguration.makeClientConfiguration()
      // Only the cluster's CA: the API server's certificate is not one the system's roots sign.
      tls.trustRoots = .file(caFile)
      self.tls = tls
    } else {
      self.tls = nil
    }
  }

  /// The object at `path`, or nil if there is none (404).
  func get<Object: Decodable>(_ path: String) async throws -> Object? {
    let (status, body) = try await send(.GET, path)
    if status == 404 { return nil }
    return try decode(status, body, expecting: 200)
  }

  /// The objects of the collection at `path` that `query` selects, with the list's version.
  func list<Object: Decodable & Sendable>(_ path: String, query: [String: String]) async throws -> ObjectList<Object> {
    let (status, body) = try await send(.GET, path + Self.queryString(query))
    return try decode(status, body, expecting: 200)
  }

  /// Creates `object` in the collection at `path`; nil if one of its name exists (409 AlreadyExists).
  func create<Object: Codable>(_ object: Object, in path: String) async throws -> Object? {
    let (status, body) = try await send(.POST, path, body: try JSONEncoder().encode(object))
    if status == 409 { return nil }
    return try decode(status, body, expecting: 201)
  }

  /// Replaces the object at `path` with `object`, whose resourceVersion guards the write; nil if
  /// that version is no longer the object's (409 Conflict) or the object is gone (404).
  func replace<Object: Codable>(_ path: String, with object: Object) async throws -> Object? {
    let (status, body) = try await send(.PUT, path, body: try JSONEncoder().encode(object))
    if status == 409 || status == 404 { return nil }
    return try decode(status, body, expecting: 200)
  }

  /// Watches the collection at `path` from `resourceVersion`, and hands `receive` each event's line
  /// until the server ends the watch after `timeout`.
  func watch(
    _ path: String, query: [String: String], from resourceVersion: String, timeout: Duration,
    receive: (Data) throws -> Void
  ) async throws {
    var query = query
    query["watch"] = "1"
    query["resourceVersion"] = resourceVersion
    query["allowWatchBookmarks"] = "true"
    query["timeoutSeconds"] = String(timeout.components.seconds)
    let response = try await execute(
      request(.GET, path + Self.queryString(query), body: nil), deadline: timeout + requestTimeout)
    guard response.status == .ok else {
      let body = try await response.body.collect(upTo: 1 << 20)
      throw KubernetesAPIError(status: Int(response.status.code), body: Data(body.readableBytesView), path: path)
    }
    var pending = Data()
    for try await chunk in response.body {
      pending.append(contentsOf: chunk.readableBytesView)
      while let end = pending.firstIndex(of: UInt8(ascii: "\n")) {
        let line = pending[pending.startIndex..<end]
        pending = Data(pending[pending.index(after: end)...])
        if !line.isEmpty { try receive(Data(line)) }
      }
    }
  }

  // MARK: Requests

  private func send(_ method: HTTPMethod, _ path: String, body: Data? = nil) async throws -> (Int, Data) {
    let response = try await execute(request(method, path, body: body), deadline: requestTimeout)
    let collected = try await response.body.collect(upTo: 16 << 20)
    return (Int(response.status.code), Data(collected.readableBytesView))
  }

  private func execute(_ request: HTTPClientRequest, deadline: Duration) async throws -> HTTPClientResponse {
    do {
      return try await HTTPClient.shared.execute(request, timeout: TimeAmount(deadline))
    } catch let error as HTTPClientError {
      throw GoetheError(.unavailable, "the Kubernetes API at \(settings.server) failed: \(error)")
    }
  }

  private func request(_ method: HTTPMethod, _ path: String, body: Data?) throws -> HTTPClientRequest {
    var request = HTTPClientRequest(url: settings.server + path)
    request.method = method
    request.tlsConfiguration = tls
    request.headers.add(name: "Accept", value: "application/json")
    if let token = try settings.token() { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
    if let body {
      request.headers.add(name: "Content-Type", value: "application/json")
      request.body = .bytes(ByteBuffer(bytes: body))
    }
    return request
  }

  private func decode<Object: Decodable>(_ status: Int, _ body: Data, expecting expected: Int) throws -> Object {
    guard status == expected || status == 200 else {
      throw KubernetesAPIError(status: status, body: body, path: "")
    }
    return try JSONDecoder().decode(Object.self, from: body)
  }

  private static func queryString(_ query: [String: String]) -> String {
    guard !query.isEmpty else { return "" }
    var components = URLComponents()
    components.queryItems = query.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
    return "?" + (components.percentEncodedQuery ?? "")
  }
}

/// A refusal of the Kubernetes API, with its Status's reason and message.
struct KubernetesAPIError: Error, CustomStringConvertible {
  var status: Int
  var reason: String?
  var message: String?

  init(status: Int, body: Data, path: String) {
    self.status = status
    let decoded = try? JSONDecoder().decode(KubernetesStatus.self, from: body)
    reason = decoded?.reason
    message = decoded?.message ?? (path.isEmpty ? nil : path)
  }

  init(status: KubernetesStatus) {
    self.status = status.code ?? 0
    reason = status.reason
    message = status.message
  }

  /// 410 Gone: the resourceVersion a watch started from is older than the API still holds.
  var isExpired: Bool { status == 410 }

  var description: String {
    "the Kubernetes API answered \(status)" + (reason.map { " \($0)" } ?? "") + (message.map { ": \($0)" } ?? "")
  }
}
