import GRPCCore

extension GoetheError {
  /// The TLS failures a connection can end with, by the BoringSSL reason its cause names, and
  /// what each means to an operator: the server refused the client's certificate (a refused
  /// credential), the client did not trust the server's, or one side spoke TLS and the other not.
  private static let tlsReasons: [(reason: String, code: Code, message: String)] = [
    (
      "certificate_required", .unauthenticated,
      "it requires a client certificate (mutual TLS); give --tls-cert and --tls-key"
    ),
    ("certificate_expired", .unauthenticated, "the client certificate has expired"),
    (
      "unknown_ca", .unauthenticated,
      "the client certificate is not signed by the CA it trusts"
    ),
    ("bad_certificate", .unauthenticated, "it did not accept the client certificate"),
    (
      "certificate_verify_failed", .unreachable,
      "its certificate did not verify: it is expired, not signed by the CA trusted here (--tls-ca), or not made for this address"
    ),
    ("wrong_version_number", .unreachable, "it does not speak TLS; connect without --tls, --tls-ca and --tls-cert"),
  ]

  /// What a failed TLS connection to `server` means, when the error is one.
  static func tlsFailure(_ error: RPCError, server: ServerAddress) -> GoetheError? {
    let text = String(reflecting: error).lowercased()
    guard let match = tlsReasons.first(where: { text.contains($0.reason) }) else { return nil }
    let message =
      match.code == .unreachable
      ? "cannot talk to goethe at \(server) over TLS: \(match.message)"
      : "goethe at \(server) refused the connection: \(match.message)"
    return GoetheError(match.code, message, cause: error)
  }
}
