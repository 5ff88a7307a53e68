import Foundation
import GoetheKit
import Logging
import NIOCertificateReloading
import NIOSSL
import Synchronization
import X509

/// The server's TLS: its certificate and key, reread when their files change, and with a client
/// CA, mutual TLS, where only certificates that CA signed are accepted (not the system's roots).
struct ServerTLS: Sendable {
  let sslContext: NIOSSLContext
  /// Rereads the certificate and key every ``reloadInterval``; it runs in the daemon's
  /// ServiceGroup. A handshake uses the pair read last; connections already open keep theirs.
  let reloader: TimedCertificateReloader

  /// How often the certificate and key files are reread.
  static let reloadInterval = Duration.seconds(2)

  init(certificate: String, key: String, clientCA: String?, logger: Logger) throws(GoetheError) {
    for (flag, path) in [("--tls-cert", certificate), ("--tls-key", key), ("--tls-client-ca", clientCA)] {
      guard let path, !FileManager.default.isReadableFile(atPath: path) else { continue }
      throw GoetheError(.invalidArgument, "\(flag): cannot read \(path)")
    }
    var settings = TimedCertificateReloader.Configuration(
      refreshInterval: Self.reloadInterval,
      certificateSource: .init(location: .file(path: certificate), format: .pem),
      privateKeySource: .init(location: .file(path: key), format: .pem))
    // A file that cannot be read is reported once, not at every retry.
    let failing = Mutex(false)
    settings.onCertificateLoaded = { diff in
      failing.withLock { $0 = false }
      guard let previous = diff.previousX509CertificateChain?.first,
        let current = diff.currentX509CertificateChain.first, previous != current
      else { return }
      logger.notice(
        "TLS certificate reloaded",
        metadata: ["serial": "\(current.serialNumber)", "not-after": "\(current.notValidAfter)"])
    }
    settings.onCertificateLoadFailed = { failure in
      let reported = failing.withLock { failing in
        defer { failing = true }
        return failing
      }
      guard !reported else { return }
      logger.warning(
        "cannot reload the TLS certificate; keeping the current one", metadata: ["error": "\(failure.error)"])
    }
    do {
      reloader = try TimedCertificateReloader.makeReloaderValidatingSources(configuration: settings)
    } catch {
      throw GoetheError(.invalidArgument, "--tls-cert \(certificate) with --tls-key \(key): \(error)")
    }
    do {
      var configuration =
        if let clientCA {
          try TLSConfiguration.makeServerConfigurationWithMTLS(
            certificateReloader: reloader, trustRoots: .file(clientCA))
        } else {
          try TLSConfiguration.makeServerConfiguration(certificateReloader: reloader)
        }
      configuration.applicationProtocols = ["h2"]
      configuration.minimumTLSVersion = .tlsv12
      sslContext = try NIOSSLContext(configuration: configuration)
    } catch {
      throw GoetheError(.invalidArgument, "cannot set up TLS with --tls-client-ca \(clientCA ?? "-"): \(error)")
    }
  }
}
