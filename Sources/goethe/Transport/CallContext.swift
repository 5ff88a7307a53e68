/// Who makes a call, as its connection and headers tell: what the method's access checks read.
struct CallContext: Sendable {
  /// The request's `authorization` header, as sent.
  var authorization: String?
  /// The common name of the client certificate verified under mutual TLS.
  var certificateName: String?

  /// A call that carries no credentials.
  static let anonymous = CallContext()
}
