import GRPCCore

/// How a client checks the server and proves who it is: TLS (with a client certificate for
/// mutual TLS) and a bearer token, each optional. The default is plaintext without a token.
public struct ClientSecurity: Sendable, Equatable {
  /// TLS, or nil for plaintext.
  public var tls: TLS?
  /// Sent with every call as `authorization: Bearer TOKEN`.
  public var token: String?

  public struct TLS: Sendable, Equatable {
    /// The PEM file of the CA that signed the server's certificate; nil trusts the system's roots.
    public var certificateAuthority: String?
    /// The PEM files of the client certificate and its key, for mutual TLS.
    public var certificate: String?
    public var key: String?

    public init(certificateAuthority: String? = nil, certificate: String? = nil, key: String? = nil) {
      self.certificateAuthority = certificateAuthority
      self.certificate = certificate
      self.key = key
    }
  }

  public init(tls: TLS? = nil, token: String? = nil) {
    self.tls = tls
    self.token = token
  }

  /// Whether `token` can travel in a header: printable ASCII without spaces.
  public static func isValidToken(_ token: String) -> Bool {
    !token.isEmpty && token.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F }
  }

  var interceptors: [any ClientInterceptor] { token.map { [BearerToken(token: $0)] } ?? [] }
}

/// Adds the client's token to every call.
private struct BearerToken: ClientInterceptor {
  let token: String

  func intercept<Input: Sendable, Output: Sendable>(
    request: StreamingClientRequest<Input>, context: ClientContext,
    next: (StreamingClientRequest<Input>, ClientContext) async throws -> StreamingClientResponse<Output>
  ) async throws -> StreamingClientResponse<Output> {
    var request = request
    request.metadata.replaceOrAddString("Bearer \(token)", forKey: "authorization")
    return try await next(request, context)
  }
}

extension GoetheError {
  /// A client that could not be set up with its TLS files.
  init(tlsSetup error: any Error, security: ClientSecurity) {
    let files = [security.tls?.certificateAuthority, security.tls?.certificate, security.tls?.key].compactMap { $0 }
    self.init(
      .invalidArgument, "cannot use the TLS files \(files.joined(separator: ", ")): \(error)", cause: error)
  }
}
