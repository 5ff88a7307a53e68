import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A plain TCP socket to 127.0.0.1, for talking to the daemon below gRPC.
final class RawSocket {
  let descriptor: Int32

  /// A close-on-exec IPv4 stream socket (so that daemons started meanwhile do not inherit it).
  private static func makeSocket() throws -> Int32 {
    #if os(Linux)
      let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    #else
      let descriptor = socket(AF_INET, SOCK_STREAM, 0)
      if descriptor >= 0 {
        _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        var one: Int32 = 1
        _ = setsockopt(descriptor, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
      }
    #endif
    guard descriptor >= 0 else { throw E2EFailure("socket: \(String(cString: strerror(errno)))") }
    return descriptor
  }

  private static func loopback(port: Int) -> sockaddr_in {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port)).bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    return address
  }

  /// Connects to 127.0.0.1:`port`; reads give up after `timeout` seconds without data.
  init(port: Int, timeout: Int = 10) throws {
    descriptor = try Self.makeSocket()
    var address = Self.loopback(port: port)
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard connected == 0 else {
      // No close here: the socket is fully initialised, so deinit closes it. Closing it twice
      // could close a descriptor another thread has opened meanwhile under the same number.
      throw E2EFailure("connect to 127.0.0.1:\(port): \(String(cString: strerror(errno)))")
    }
    var limit = timeval(tv_sec: timeout, tv_usec: 0)
    _ = setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
  }

  deinit { close(descriptor) }

  /// Sends all of `bytes`; returns how many went out before the peer closed or reset the connection.
  @discardableResult
  func transmit(_ bytes: [UInt8]) -> Int {
    #if os(Linux)
      let flags = Int32(MSG_NOSIGNAL)
    #else
      let flags: Int32 = 0
    #endif
    var sent = 0
    while sent < bytes.count {
      let count = bytes[sent...].withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, flags) }
      if count < 0 && errno == EINTR { continue }
      guard count > 0 else { break }
      sent += count
    }
    return sent
  }

  /// Reads until the peer closes, an error or timeout, or `done` says the bytes so far suffice.
  func receive(until done: ([UInt8]) -> Bool = { _ in false }) -> [UInt8] {
    var received: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 16_384)
    while !done(received) {
      let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
      if count < 0 && errno == EINTR { continue }
      guard count > 0 else { break }
      received += buffer[0..<count]
    }
    return received
  }

  /// A port on 127.0.0.1 that was free a moment ago: bound to port 0, read back, released.
  static func freePort() throws -> Int {
    let descriptor = try makeSocket()
    defer { close(descriptor) }
    var address = loopback(port: 0)
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard bound == 0 else { throw E2EFailure("bind: \(String(cString: strerror(errno)))") }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let named = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
    }
    guard named == 0 else { throw E2EFailure("getsockname: \(String(cString: strerror(errno)))") }
    return Int(UInt16(bigEndian: address.sin_port))
  }

  /// `GET path` over HTTP/1.1: the status line and the body (read up to its Content-Length).
  static func httpGet(port: Int, path: String) throws -> (status: String, body: String) {
    let socket = try RawSocket(port: port)
    socket.transmit(Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8))
    let response = socket.receive { bytes in
      guard let (head, body) = split(bytes) else { return false }
      guard let length = contentLength(head) else { return false }
      return body.utf8.count >= length
    }
    guard let (head, body) = split(response) else {
      throw E2EFailure("no HTTP response: \(String(decoding: response, as: UTF8.self))")
    }
    return (String(head.split(separator: "\r\n").first ?? ""), body)
  }

  private static func split(_ bytes: [UInt8]) -> (head: String, body: String)? {
    let text = String(decoding: bytes, as: UTF8.self)
    guard let end = text.range(of: "\r\n\r\n") else { return nil }
    return (String(text[..<end.lowerBound]), String(text[end.upperBound...]))
  }

  private static func contentLength(_ head: String) -> Int? {
    for line in head.split(separator: "\r\n") where line.lowercased().hasPrefix("content-length:") {
      return Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces))
    }
    return nil
  }
}

/// Runs blocking socket work on a thread of its own, keeping the cooperative pool free.
func runBlocking<Result: Sendable>(_ body: @escaping @Sendable () throws -> Result) async throws -> Result {
  try await withCheckedThrowingContinuation { continuation in
    let thread = Thread { continuation.resume(with: Swift.Result { try body() }) }
    thread.name = "blocking-socket-io"
    thread.start()
  }
}
