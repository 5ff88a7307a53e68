import Foundation

/// A `HOST:PORT` address: `127.0.0.1:1337`, `[::1]:1337`, `localhost:1337`, or `:1337` for every interface.
public struct ServerAddress: Hashable, Sendable, CustomStringConvertible {
  public var host: String
  public var port: Int

  public static let defaultServer = ServerAddress(host: "127.0.0.1", port: 1337)

  public init(host: String, port: Int) {
    self.host = host
    self.port = port
  }

  public init(parsing text: String) throws(GoetheError) {
    let invalid = GoetheError(
      .invalidArgument,
      "invalid address \(GoetheError.quoted(text)): use HOST:PORT, such as 127.0.0.1:1337 or [::1]:1337")
    guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
      (0...65_535).contains(port)
    else { throw invalid }
    var host = String(text[..<colon])
    if host.hasPrefix("[") && host.hasSuffix("]") {
      host = String(host.dropFirst().dropLast())
    } else if host.contains(":") {
      throw invalid
    }
    if host.isEmpty { host = "0.0.0.0" }
    if host == "localhost" { host = "127.0.0.1" }
    self.init(host: host, port: port)
  }

  /// Addresses separated by commas, `HOST:PORT[,HOST:PORT...]`, such as the nodes of a cluster.
  public static func list(parsing text: String) throws(GoetheError) -> [ServerAddress] {
    let parts = text.split(separator: ",", omittingEmptySubsequences: false).map {
      $0.trimmingCharacters(in: .whitespaces)
    }
    guard parts.allSatisfy({ !$0.isEmpty }) else {
      throw GoetheError(
        .invalidArgument,
        "invalid address list \(GoetheError.quoted(text)): use HOST:PORT[,HOST:PORT...], such as 10.0.0.1:1337,10.0.0.2:1337"
      )
    }
    var addresses: [ServerAddress] = []
    for part in parts {
      let address = try ServerAddress(parsing: part)
      if !addresses.contains(address) { addresses.append(address) }
    }
    return addresses
  }

  /// Whether the host is an IPv6 literal.
  public var isIPv6: Bool { host.contains(":") }

  public var description: String { isIPv6 ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
