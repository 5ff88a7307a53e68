import GRPCCore
import GoetheKit
import NIOHPACK

/// The status a call ends with, as gRPC's trailers carry it.
enum GRPCStatusTrailers {
  /// The response headers that open every answer.
  static let responseHeaders: HPACKHeaders = [":status": "200", "content-type": "application/grpc"]

  /// Trailers for `error` (or OK when nil); `trailersOnly` makes them the whole response.
  static func make(_ error: RPCError?, trailersOnly: Bool) -> HPACKHeaders {
    var headers = trailersOnly ? responseHeaders : HPACKHeaders()
    guard let error else {
      headers.add(name: "grpc-status", value: "0")
      return headers
    }
    headers.add(name: "grpc-status", value: "\(error.code.rawValue)")
    if !error.message.isEmpty { headers.add(name: "grpc-message", value: GRPCStatusMessage.encoded(error.message)) }
    for (key, value) in error.metadata where !reserved(key) {
      if case .string(let text) = value { headers.add(name: key, value: text) }
    }
    return headers
  }

  /// Whether `key` is one the status itself or HTTP/2 sets: an error's metadata may carry such keys
  /// (one received as another call's answer does), and sent again they would break the stream.
  static func reserved(_ key: String) -> Bool { GRPCStatusMessage.reserved(key) }

  /// Any error a handler throws, as a status: Goethe's errors by their code, cancellation as
  /// CANCELLED, anything unforeseen as INTERNAL.
  static func status(of error: any Error) -> RPCError {
    switch error {
    case let error as RPCError: error
    case let error as GoetheError: error.rpcError
    case is CancellationError: RPCError(code: .cancelled, message: "the call was cancelled")
    default: RPCError(code: .internalError, message: "\(error)")
    }
  }
}
