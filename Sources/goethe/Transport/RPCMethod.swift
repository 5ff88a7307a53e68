import GRPCCore
import GoetheKit
import NIOCore
import SwiftProtobuf

/// One method of a service, as the server runs it: typed handlers wrapped over frame bytes, so the
/// serving path stays free of generic look-ups at run time. Each handler is given its call's
/// ``CallContext``, which access checks read.
enum RPCMethod: Sendable {
  /// One request, one response.
  case unary(@Sendable (ByteBuffer, CallContext) async throws -> ByteBuffer)
  /// One request, any number of responses.
  case serverStreaming(@Sendable (ByteBuffer, CallContext, any ResponseSink) async throws -> Void)
  /// Requests and responses as they come, each side ending on its own.
  case bidirectional(@Sendable (RequestMessages, CallContext, any ResponseSink) async throws -> Void)

  static func unary<Request: Message, Response: Message>(
    _ handler: @escaping @Sendable (Request) async throws -> Response
  ) -> RPCMethod {
    .unary { (request: Request, _: CallContext) in try await handler(request) }
  }

  static func unary<Request: Message, Response: Message>(
    _ handler: @escaping @Sendable (Request, CallContext) async throws -> Response
  ) -> RPCMethod {
    .unary { bytes, context in try await handler(try decodeRequest(bytes), context).grpcFrame() }
  }

  static func serverStreaming<Request: Message, Response: Message>(
    _ handler: @escaping @Sendable (Request, ResponseWriter<Response>) async throws -> Void
  ) -> RPCMethod {
    .serverStreaming { (request: Request, _: CallContext, response: ResponseWriter<Response>) in
      try await handler(request, response)
    }
  }

  static func serverStreaming<Request: Message, Response: Message>(
    _ handler: @escaping @Sendable (Request, CallContext, ResponseWriter<Response>) async throws -> Void
  ) -> RPCMethod {
    .serverStreaming { bytes, context, sink in
      try await handler(try decodeRequest(bytes), context, ResponseWriter(sink: sink))
    }
  }

  static func bidirectional<Request: Message, Response: Message>(
    _ handler: @escaping @Sendable (RequestStream<Request>, ResponseWriter<Response>) async throws -> Void
  ) -> RPCMethod {
    .bidirectional { (requests: RequestStream<Request>, _: CallContext, response: ResponseWriter<Response>) in
      try await handler(requests, response)
    }
  }

  static func bidirectional<Request: Message, Response: Message>(
    _ handler: @escaping @Sendable (RequestStream<Request>, CallContext, ResponseWriter<Response>) async throws -> Void
  ) -> RPCMethod {
    .bidirectional { requests, context, sink in
      try await handler(RequestStream(messages: requests), context, ResponseWriter(sink: sink))
    }
  }
}

extension RPCMethod {
  /// The method, preceded by `check`, which refuses the call by throwing before it begins.
  func guarded(by check: @escaping @Sendable () throws -> Void) -> RPCMethod {
    switch self {
    case .unary(let handler):
      .unary { bytes, context in
        try check()
        return try await handler(bytes, context)
      }
    case .serverStreaming(let handler):
      .serverStreaming { bytes, context, sink in
        try check()
        try await handler(bytes, context, sink)
      }
    case .bidirectional(let handler):
      .bidirectional { requests, context, sink in
        try check()
        try await handler(requests, context, sink)
      }
    }
  }
}

/// A request that does not decode as its message ends the call with INTERNAL, as in gRPC's servers.
func decodeRequest<Request: Message>(_ bytes: ByteBuffer) throws -> Request {
  do {
    return try Request(grpcMessage: bytes)
  } catch {
    throw RPCError(code: .internalError, message: "the request is not a valid \(Request.protoMessageName): \(error)")
  }
}

/// A service the server routes calls to, by path (`/package.Service/Method`).
protocol RPCService: Sendable {
  var methods: [String: RPCMethod] { get }
}

/// Where a streaming call's responses go; each write returns once the stream can take more.
protocol ResponseSink: Sendable {
  func write(_ frame: ByteBuffer) async throws
}

/// Writes one message type to a call's response stream.
struct ResponseWriter<Response: Message>: Sendable {
  let sink: any ResponseSink

  func write(_ response: Response) async throws { try await sink.write(try response.grpcFrame()) }
}

/// A streaming call's request messages as they arrive, and the back-pressure they are read under.
struct RequestMessages: Sendable {
  let stream: AsyncThrowingStream<ByteBuffer, any Error>
  let flow: RequestFlow
}

/// The messages a client sends on a streaming call, in order. It ends when the client half-closes
/// the stream, and when the call is cancelled.
struct RequestStream<Request: Message>: AsyncSequence {
  let messages: RequestMessages
  /// Sees each message before the handler does, and ends the call by throwing.
  private var admit: @Sendable (Request) throws -> Void = { _ in }

  init(messages: RequestMessages) { self.messages = messages }

  /// The stream whose every message `check` admits first, as well as the checks before it.
  func admitting(_ check: @escaping @Sendable (Request) throws -> Void) -> RequestStream {
    var stream = self
    let earlier = admit
    stream.admit = { request in
      try earlier(request)
      try check(request)
    }
    return stream
  }

  struct AsyncIterator: AsyncIteratorProtocol {
    var stream: AsyncThrowingStream<ByteBuffer, any Error>.AsyncIterator
    let flow: RequestFlow
    let admit: @Sendable (Request) throws -> Void

    mutating func next() async throws -> Request? {
      guard let bytes = try await stream.next() else { return nil }
      flow.consumed(bytes.storageCapacity)
      let request: Request = try decodeRequest(bytes)
      try admit(request)
      return request
    }
  }

  func makeAsyncIterator() -> AsyncIterator {
    AsyncIterator(stream: messages.stream.makeAsyncIterator(), flow: messages.flow, admit: admit)
  }
}
