/// How gRPC carries a status's message in the `grpc-message` trailer, and which headers belong to
/// the protocol rather than to a call's metadata.
package enum GRPCStatusMessage {
  /// gRPC's encoding of `grpc-message`: printable ASCII but `%` as is, every other byte as `%XX`.
  package static func encoded(_ text: String) -> String {
    var encoded = ""
    for byte in text.utf8 {
      if (0x20...0x7e).contains(byte), byte != UInt8(ascii: "%") {
        encoded.unicodeScalars.append(Unicode.Scalar(byte))
      } else {
        let hex = String(byte, radix: 16, uppercase: true)
        encoded += hex.count == 1 ? "%0" + hex : "%" + hex
      }
    }
    return encoded
  }

  /// The message `encoded` carries; a `%` not followed by two hex digits stands for itself, as
  /// gRPC asks of a receiver.
  package static func decoded(_ encoded: String) -> String {
    var bytes: [UInt8] = []
    let utf8 = Array(encoded.utf8)
    var index = 0
    while index < utf8.count {
      if utf8[index] == UInt8(ascii: "%"), index + 2 < utf8.count,
        let byte = UInt8(String(decoding: utf8[index + 1...index + 2], as: UTF8.self), radix: 16)
      {
        bytes.append(byte)
        index += 3
      } else {
        bytes.append(utf8[index])
        index += 1
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Whether `key` is one the status itself or HTTP/2 sets, not a call's metadata: an error's
  /// metadata may carry such keys (one received as another call's answer does), and sent again
  /// they would break the stream.
  package static func reserved(_ key: String) -> Bool {
    key.hasPrefix(":") || ["grpc-status", "grpc-message", "content-type", "te"].contains(key.lowercased())
  }
}
