import GRPCCore
import GoetheKit
import NIOCore

/// Sends a write that reached a follower on to the leader, and its answer back: so a client that
/// knows one node's address, as Goethe v1's do, can write through any node. The call carries
/// ``CallContext/forwardedHeader``, so that a node that has just stopped leading does not send it
/// on again; it refuses it, naming the leader.
final class LeaderForwarder: Sendable {
  private let links: PeerLinks

  /// - Parameter maxResponseSize: the largest answer taken from the leader; v1 `Produce` sends
  ///   the event back, which may be as large as the daemon's requests.
  init(peerTLS: PeerLinks.Security, maxResponseSize: Int) {
    links = PeerLinks(
      security: peerTLS, maxResponseSize: max(GoetheClientTransport.defaultMaxResponseSize, maxResponseSize))
  }

  /// How long a forwarded call may take.
  static let timeout = Duration.seconds(30)

  /// The leader's answer to the unary call `path` with the request message `request`, as a gRPC
  /// frame; the leader's refusal is thrown as it came.
  func forward(_ path: String, _ request: ByteBuffer, to leader: ClusterMember) async throws -> ByteBuffer {
    guard let (_, client) = links.clients(for: [leader]).first else {
      throw GoetheError.notLeader("this node cannot reach the leader at \(leader.address); retry shortly", leader: nil)
    }
    let parts = path.split(separator: "/")
    guard parts.count == 2 else { throw RPCError(code: .unimplemented, message: "no method \(path)") }
    var options = CallOptions.defaults
    options.timeout = Self.timeout
    // A leader that cannot be reached is an answer: the client retries, not this node.
    options.waitForReady = false
    var metadata = Metadata()
    metadata.addString("1", forKey: CallContext.forwardedHeader)
    do {
      let answer = try await client.unary(
        request: ClientRequest(message: Array(request.readableBytesView), metadata: metadata),
        descriptor: MethodDescriptor(fullyQualifiedService: String(parts[0]), method: String(parts[1])),
        serializer: RawMessage(), deserializer: RawMessage(), options: options
      ) { response in try response.message }
      return GRPCFrameBytes(answer).buffer
    } catch let refusal as RPCError {
      throw Self.passedOn(refusal, from: leader)
    }
  }

  /// The leader's refusal as this node passes it on: its code, message and goethe's own metadata,
  /// without the trailers of the leader's response (`grpc-status`, `content-type`...), which are
  /// this node's to send. A failure to talk to the leader at all is this node's own: a write
  /// that never left it may be sent again (``NotLeader``); one whose connection broke may or may
  /// not have been stored.
  private static func passedOn(_ refusal: RPCError, from leader: ClusterMember) -> any Error {
    guard refusal.metadata[stringValues: GoetheError.originKey].first(where: { _ in true }) != nil else {
      let reason = refusal.transportReason
      if refusal.neverConnected {
        return GoetheError.notLeader(
          "this node cannot reach the leader at \(leader.address) (\(reason)); retry shortly", leader: nil)
      }
      return GoetheError(
        .unavailable,
        "the connection to the leader at \(leader.address) failed while the write was sent on (\(reason)); "
          + "it may or may not be stored")
    }
    var metadata = Metadata()
    for entry in refusal.metadata where entry.key.hasPrefix("goethe-") {
      switch entry.value {
      case .string(let value): metadata.addString(value, forKey: entry.key)
      case .binary(let value): metadata.addBinary(value, forKey: entry.key)
      }
    }
    return RPCError(code: refusal.code, message: refusal.message, metadata: metadata)
  }

  func close() { links.closeAll() }
}

/// A message passed on as its bytes.
private struct RawMessage: MessageSerializer, MessageDeserializer {
  func serialize<Bytes: GRPCContiguousBytes>(_ message: [UInt8]) throws -> Bytes { Bytes(message) }
  func deserialize<Bytes: GRPCContiguousBytes>(_ bytes: Bytes) throws -> [UInt8] { bytes.withUnsafeBytes { Array($0) } }
}

extension RPCMethod {
  /// The unary method `path` on the leader; on a follower that knows its leader, the call is sent
  /// on to it (unless it was sent on already); otherwise `check` refuses it.
  func forwardedToLeader(
    _ path: String, role: ClusterRole, forwarder: LeaderForwarder, check: @escaping @Sendable () throws -> Void
  ) -> RPCMethod {
    guard case .unary(let handler) = self else { return guarded(by: check) }
    return .unary { request, context in
      if let leader = role.leaderToForwardTo, !context.forwarded {
        return try await forwarder.forward(path, request, to: leader)
      }
      try check()
      return try await handler(request, context)
    }
  }
}
