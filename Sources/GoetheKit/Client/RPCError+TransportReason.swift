public import GRPCCore

extension RPCError {
  /// The most specific cause a transport error names, such as "connection refused"; the message
  /// when it names none.
  public var transportReason: String {
    let text = String(reflecting: self).lowercased()
    for reason in ["connection refused", "connection reset", "timed out", "no route to host", "network is unreachable"]
    where text.contains(reason) {
      return reason
    }
    return message
  }

  /// Whether the server refused the call's stream before processing any of it (``StreamRefused``),
  /// so that sending it again can do no harm.
  var streamRefused: Bool { cause is StreamRefused }

  /// Whether the call failed because no connection to its server could be made, so that none of
  /// it was sent.
  public var neverConnected: Bool {
    if ["connection refused", "no route to host", "network is unreachable"].contains(transportReason) { return true }
    // grpc-swift's words for a call it did not start: no connection came up, or none is up yet.
    let text = message.lowercased()
    return text.contains("could not establish a connection") || text.contains("isn't ready")
  }
}
