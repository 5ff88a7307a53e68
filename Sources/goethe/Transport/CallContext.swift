/// Who makes a call, as its connection and headers tell: what the method's access checks read.
struct CallContext: Sendable {
  /// The request's `authorization` header, as sent.
  var authorization: String?
  /// The common name of the client certificate verified under mutual TLS.
  var certificateName: String?
  /// Whether another node sent this call on to this one: a node does not send it on again.
  var forwarded = false

  /// The request header with which a node sends a call on to its leader.
  static let forwardedHeader = "goethe-forwarded"

  /// A call that carries no credentials.
  static let anonymous = CallContext()
}
