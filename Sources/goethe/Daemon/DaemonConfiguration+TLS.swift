import GoetheKit
import Logging

extension DaemonConfiguration {
  /// `off`, `tls` or `mtls`, for the log.
  var tlsMode: String { tlsCertificate == nil ? "off" : tlsClientCA == nil ? "tls" : "mtls" }

  /// The server's TLS, when its certificate and key are given.
  func serverTLS(logger: Logger) throws(GoetheError) -> ServerTLS? {
    guard let tlsCertificate, let tlsKey else { return nil }
    return try ServerTLS(certificate: tlsCertificate, key: tlsKey, clientCA: tlsClientCA, logger: logger)
  }

  /// How this node dials its peers (nil: plaintext). Under mutual TLS it presents its own certificate and trusts
  /// the client CA for theirs, so one CA signs every node's certificate; under TLS alone it
  /// trusts the system's roots.
  var peerTLS: PeerLinks.Security {
    guard let tlsCertificate, let tlsKey else { return nil }
    guard let tlsClientCA else { return ClientSecurity.TLS() }
    return ClientSecurity.TLS(certificateAuthority: tlsClientCA, certificate: tlsCertificate, key: tlsKey)
  }
}
