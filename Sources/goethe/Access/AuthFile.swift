import Crypto
import Foundation
import GoetheKit

/// The callers an auth file names, one a line: `NAME SHA256HEX GRANT...`.
///
/// `SHA256HEX` is the hex SHA-256 of the caller's token (`printf %s "$TOKEN" | sha256sum`), or `-`
/// for a caller that authenticates by client certificate alone, whose subject's common name is
/// `NAME`. Blank lines and lines starting with `#` are skipped. The file holds no token, only
/// hashes, so reading it does not reveal one.
struct AuthFile: Sendable {
  struct Caller: Sendable, Equatable {
    let name: String
    /// The SHA-256 of the caller's token; nil when it authenticates by certificate only.
    let tokenDigest: [UInt8]?
    let grants: [Grant]
  }

  let callers: [Caller]

  init(callers: [Caller]) { self.callers = callers }

  /// Reads and parses the file at `path`; an error names the line at fault.
  init(contentsOf path: String) throws(GoetheError) {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw GoetheError(.invalidArgument, "cannot read auth file \(path)")
    }
    try self.init(parsing: String(decoding: data, as: UTF8.self), source: path)
  }

  init(parsing text: String, source: String) throws(GoetheError) {
    var callers: [Caller] = []
    var names = Set<String>()
    for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).map(String.init)
      guard let name = fields.first, !name.hasPrefix("#") else { continue }
      func invalid(_ why: String) -> GoetheError { GoetheError(.invalidArgument, "\(source):\(index + 1): \(why)") }
      guard fields.count >= 3 else { throw invalid("expected NAME SHA256HEX GRANT..., with at least one grant") }
      guard names.insert(name).inserted else { throw invalid("\(name) is named twice") }
      let digest: [UInt8]?
      if fields[1] == "-" {
        digest = nil
      } else {
        guard let bytes = Self.hexBytes(fields[1]), bytes.count == SHA256.byteCount else {
          throw invalid("the token's hash must be 64 hex digits (printf %s \"$TOKEN\" | sha256sum), or -")
        }
        digest = bytes
      }
      var grants: [Grant] = []
      for text in fields.dropFirst(2) {
        guard let grant = Grant(parsing: text) else {
          throw invalid("\(text) is not a grant: use admin, produce:GLOB, consume:GLOB or describe:GLOB")
        }
        grants.append(grant)
      }
      callers.append(Caller(name: name, tokenDigest: digest, grants: grants))
    }
    self.callers = callers
  }

  /// The caller whose token this is. Every caller's hash is compared, each in constant time,
  /// so the time taken tells nothing about which hash, or how much of one, the token matched.
  func caller(token: String) -> Caller? {
    let digest = Array(SHA256.hash(data: Data(token.utf8)))
    var found: Caller?
    for caller in callers {
      if let stored = caller.tokenDigest, Self.constantTimeEqual(stored, digest) { found = caller }
    }
    return found
  }

  /// The caller a client certificate's common name names.
  func caller(certificateName: String) -> Caller? {
    callers.first { $0.name == certificateName }
  }

  private static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    guard a.count == b.count else { return false }
    var difference: UInt8 = 0
    for index in a.indices { difference |= a[index] ^ b[index] }
    return difference == 0
  }

  private static func hexBytes(_ text: String) -> [UInt8]? {
    let digits = Array(text.utf8)
    guard digits.count % 2 == 0 else { return nil }
    var bytes: [UInt8] = []
    for index in stride(from: 0, to: digits.count, by: 2) {
      guard let high = hexValue(digits[index]), let low = hexValue(digits[index + 1]) else { return nil }
      bytes.append(high << 4 | low)
    }
    return bytes
  }

  private static func hexValue(_ digit: UInt8) -> UInt8? {
    switch digit {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
    default: nil
    }
  }
}
