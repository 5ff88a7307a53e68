import SwiftProtobuf

/// Routes whose callers are checked against the auth file before their handlers run: by the
/// topic a request names, for every message of a stream, or for the caller alone.
struct RouteAccess: Sendable {
  let control: AccessControl

  /// One request, whose topic the caller needs `access` to.
  func unary<Request: Message, Response: Message>(
    _ access: TopicAccess, topic: @escaping @Sendable (Request) -> String,
    _ handler: @escaping @Sendable (Request) async throws -> Response
  ) -> RPCMethod {
    .unary { (request: Request, context: CallContext) in
      try control.require(access, on: topic(request), context)
      return try await handler(request)
    }
  }

  /// One request, whose topic the caller needs `access` to, and a stream of responses.
  func serverStreaming<Request: Message, Response: Message>(
    _ access: TopicAccess, topic: @escaping @Sendable (Request) -> String,
    _ handler: @escaping @Sendable (Request, ResponseWriter<Response>) async throws -> Void
  ) -> RPCMethod {
    .serverStreaming { (request: Request, context: CallContext, response: ResponseWriter<Response>) in
      try control.require(access, on: topic(request), context)
      try await handler(request, response)
    }
  }

  /// A stream of requests, each of whose topics the caller needs `access` to; a request without
  /// a topic (a later message of a session) is left to the handler. The caller is checked before
  /// the first request arrives, so that a stranger's stream ends at once.
  func bidirectional<Request: Message, Response: Message>(
    _ access: TopicAccess, topic: @escaping @Sendable (Request) -> String,
    _ handler: @escaping @Sendable (RequestStream<Request>, ResponseWriter<Response>) async throws -> Void
  ) -> RPCMethod {
    let control = control
    return .bidirectional {
      (requests: RequestStream<Request>, context: CallContext, response: ResponseWriter<Response>) in
      _ = try control.requireSome(access, context)
      let checked = requests.admitting { request in
        let name = topic(request)
        if !name.isEmpty { try control.require(access, on: name, context) }
      }
      try await handler(checked, response)
    }
  }

  /// A call open to any caller the auth file knows: it shows no topic's events.
  func known<Request: Message, Response: Message>(
    _ handler: @escaping @Sendable (Request) async throws -> Response
  ) -> RPCMethod {
    .unary { (request: Request, context: CallContext) in
      try control.requireKnown(context)
      return try await handler(request)
    }
  }

  /// A call for callers with the admin grant.
  func admin<Request: Message, Response: Message>(
    _ handler: @escaping @Sendable (Request) async throws -> Response
  ) -> RPCMethod {
    .unary { (request: Request, context: CallContext) in
      try control.requireAdmin(context)
      return try await handler(request)
    }
  }

  /// A stream of requests and responses for callers with the admin grant, checked before the
  /// first request is read.
  func admin<Request: Message, Response: Message>(
    _ handler: @escaping @Sendable (RequestStream<Request>, ResponseWriter<Response>) async throws -> Void
  ) -> RPCMethod {
    .bidirectional {
      (requests: RequestStream<Request>, context: CallContext, response: ResponseWriter<Response>) in
      try control.requireAdmin(context)
      try await handler(requests, response)
    }
  }

  /// A listing, of the topic a request names or else of every topic: the caller needs `access`
  /// to that topic, or to some topic, and the handler answers with the topics its filter passes.
  func listing<Request: Message, Response: Message>(
    _ access: TopicAccess, topic: @escaping @Sendable (Request) -> String = { _ in "" },
    _ handler: @escaping @Sendable (Request, _ visible: @escaping @Sendable (String) -> Bool) async throws -> Response
  ) -> RPCMethod {
    .unary { (request: Request, context: CallContext) in
      let named = topic(request)
      guard named.isEmpty else {
        try control.require(access, on: named, context)
        return try await handler(request) { _ in true }
      }
      return try await handler(request, try control.requireSome(access, context))
    }
  }
}
