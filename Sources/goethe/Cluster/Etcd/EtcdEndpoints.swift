import GoetheKit

/// The etcd servers a coordinator dials, from `etcd://HOST:PORT[,HOST:PORT...]`.
struct EtcdEndpoints: Sendable, Hashable, CustomStringConvertible {
  /// In the order given; the client tries them in this order.
  let addresses: [ServerAddress]

  init(addresses: [ServerAddress]) {
    precondition(!addresses.isEmpty, "etcd endpoints need at least one address")
    self.addresses = addresses
  }

  init(parsing text: String) throws(GoetheError) {
    let invalid = GoetheError(
      .invalidArgument,
      "invalid etcd endpoints \(GoetheError.quoted(text)): use etcd://HOST:PORT[,HOST:PORT...], such as etcd://127.0.0.1:2379"
    )
    let scheme = "etcd://"
    guard text.hasPrefix(scheme) else { throw invalid }
    var addresses: [ServerAddress] = []
    for part in text.dropFirst(scheme.count).split(separator: ",", omittingEmptySubsequences: false) {
      // Every endpoint names its host: an empty one (`:2379`) would mean every interface.
      guard !part.isEmpty, !part.hasPrefix(":"), let address = try? ServerAddress(parsing: String(part)),
        address.port != 0
      else {
        throw invalid
      }
      addresses.append(address)
    }
    self.init(addresses: addresses)
  }

  var description: String { addresses.map(\.description).joined(separator: ",") }
}
