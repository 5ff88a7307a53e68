import NIOCore
import NIOSSL
import NIOTLS
import SwiftASN1
import Synchronization
import X509

/// What a connection's start established about its client, for the calls on it: whether it came
/// in plaintext to a server that requires TLS, and the name its verified client certificate
/// carries (its subject's common name), under mutual TLS.
final class ConnectionPeer: Sendable {
  private struct State {
    var plaintextToTLS = false
    var certificateName: String?
  }

  private let state = Mutex(State())

  /// The client spoke plaintext to a TLS server: its calls are refused with a status that says so.
  var cameInPlaintextToTLS: Bool { state.withLock { $0.plaintextToTLS } }

  /// The common name of the client certificate that the handshake verified.
  var certificateName: String? { state.withLock { $0.certificateName } }

  fileprivate func markPlaintextToTLS() { state.withLock { $0.plaintextToTLS = true } }

  fileprivate func recordCertificate(_ certificate: NIOSSLCertificate?) {
    let name = certificate.flatMap(Self.commonName)
    state.withLock { $0.certificateName = name }
  }

  private static func commonName(_ certificate: NIOSSLCertificate) -> String? {
    guard let parsed = try? Certificate(derEncoded: certificate.toDERBytes()) else { return nil }
    for name in parsed.subject {
      for attribute in name where attribute.type == .RDNAttributeType.commonName {
        return String(describing: attribute.value)
      }
    }
    return nil
  }
}

/// The first handler of a connection to a TLS server. A connection that opens with a TLS record
/// gets the TLS handler; one that opens in plaintext stays plaintext, so that its calls can be
/// refused with a status that tells the client to use TLS, rather than closed in a way the client
/// can only report as a broken connection. The rest of the pipeline (`configure`) is added behind
/// it only then, so that the HTTP/2 handler's first frames go out through TLS, or not at all.
final class TLSDetector: ChannelInboundHandler, RemovableChannelHandler {
  typealias InboundIn = ByteBuffer
  typealias InboundOut = ByteBuffer

  /// The first byte of a TLS handshake record, which every TLS client sends first.
  private static let handshakeRecord: UInt8 = 0x16

  private let sslContext: NIOSSLContext
  private let peer: ConnectionPeer
  private let timeout: TimeAmount
  private let configure: () throws -> Void
  private var deadline: Scheduled<Void>?

  /// - Parameter timeout: how long the client may take to send its first byte.
  init(
    sslContext: NIOSSLContext, peer: ConnectionPeer, timeout: TimeAmount,
    configure: @escaping () throws -> Void
  ) {
    self.sslContext = sslContext
    self.peer = peer
    self.timeout = timeout
    self.configure = configure
  }

  func handlerAdded(context: ChannelHandlerContext) {
    let channel = context.channel
    deadline = context.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
  }

  func handlerRemoved(context: ChannelHandlerContext) { deadline?.cancel() }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    deadline?.cancel()
    let bytes = unwrapInboundIn(data)
    let pipeline = context.pipeline.syncOperations
    do {
      if bytes.getInteger(at: bytes.readerIndex, as: UInt8.self) == Self.handshakeRecord {
        try pipeline.addHandlers(
          [NIOSSLServerHandler(context: sslContext), PeerCertificateRecorder(peer: peer)], position: .after(self))
      } else {
        peer.markPlaintextToTLS()
      }
      try configure()
    } catch {
      return context.close(promise: nil)
    }
    context.fireChannelRead(data)
    pipeline.removeHandler(context: context, promise: nil)
  }
}

/// Notes the client certificate once the TLS handshake has verified it.
private final class PeerCertificateRecorder: ChannelInboundHandler, RemovableChannelHandler {
  typealias InboundIn = ByteBuffer
  typealias InboundOut = ByteBuffer

  private let peer: ConnectionPeer

  init(peer: ConnectionPeer) { self.peer = peer }

  func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
    if let event = event as? TLSUserEvent, case .handshakeCompleted = event {
      let handler = try? context.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self)
      peer.recordCertificate(handler?.peerCertificate)
      context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }
    context.fireUserInboundEventTriggered(event)
  }
}
