import Foundation

/// A network namespace per node on a bridge of its own, so that a test can cut the links between
/// nodes while every node still reaches etcd and the test, which stay in the host's namespace on
/// the bridge's address. Built with iproute2 (`ip netns`), which needs root; ``create(nodes:)``
/// says when it cannot be had.
///
/// A cut adds blackhole routes on both sides, so packets between the two nodes are dropped as by
/// a partition, while each keeps its links to everything else.
final class NetworkLab: Sendable {
  static let ip = "/usr/sbin/ip"

  /// A short random tag, in every name the lab creates, so that labs of parallel runs never meet.
  let tag: String
  /// The first three octets of the lab's /24.
  let subnet: String
  let nodes: Int

  var bridge: String { "gb\(tag)" }
  /// Where the host's namespace, and etcd in it, is reached from the nodes.
  var hostAddress: String { "\(subnet).1" }
  func namespace(_ node: Int) -> String { "gn\(tag)-\(node)" }
  func address(_ node: Int) -> String { "\(subnet).\(10 + node)" }

  private init(tag: String, subnet: String, nodes: Int) {
    self.tag = tag
    self.subnet = subnet
    self.nodes = nodes
  }

  /// A lab of `nodes` namespaces, or nil when this machine cannot make one (no root, no iproute2,
  /// no namespaces), with the reason.
  static func create(nodes: Int) -> (NetworkLab?, reason: String?) {
    guard FileManager.default.isExecutableFile(atPath: ip) else { return (nil, "no \(ip)") }
    let tag = String(UInt32.random(in: 0..<UInt32.max), radix: 16)
    let lab = NetworkLab(tag: tag, subnet: "10.\(Int.random(in: 100...250)).\(Int.random(in: 0...255))", nodes: nodes)
    do {
      try lab.build()
      return (lab, nil)
    } catch {
      lab.destroy()
      return (nil, "\(error)")
    }
  }

  private func build() throws {
    try Self.run("link", "add", bridge, "type", "bridge")
    try Self.run("addr", "add", "\(hostAddress)/24", "dev", bridge)
    try Self.run("link", "set", bridge, "up")
    for node in 0..<nodes {
      let (outside, inside) = ("gv\(tag)\(node)", "gp\(tag)\(node)")
      try Self.run("netns", "add", namespace(node))
      try Self.run("link", "add", outside, "type", "veth", "peer", "name", inside, "netns", namespace(node))
      try Self.run("link", "set", outside, "master", bridge)
      try Self.run("link", "set", outside, "up")
      try Self.run("-n", namespace(node), "link", "set", "lo", "up")
      try Self.run("-n", namespace(node), "addr", "add", "\(address(node))/24", "dev", inside)
      try Self.run("-n", namespace(node), "link", "set", inside, "up")
    }
  }

  /// Cuts `a` and `b` off from each other, in both directions.
  func cut(_ a: Int, from b: Int) throws {
    try Self.run("-n", namespace(a), "route", "add", "blackhole", "\(address(b))/32")
    try Self.run("-n", namespace(b), "route", "add", "blackhole", "\(address(a))/32")
  }

  /// Mends every cut.
  func heal() throws {
    for node in 0..<nodes {
      for other in 0..<nodes where other != node {
        try? Self.run("-n", namespace(node), "route", "del", "blackhole", "\(address(other))/32")
      }
    }
  }

  /// Removes the namespaces and the bridge; the veth pairs go with their namespaces.
  func destroy() {
    for node in 0..<nodes { try? Self.run("netns", "del", namespace(node)) }
    try? Self.run("link", "del", bridge)
  }

  /// The command line that runs `arguments` in `node`'s namespace.
  func inNamespace(_ node: Int, _ arguments: [String]) -> [String] {
    [Self.ip, "netns", "exec", namespace(node)] + arguments
  }

  private static func run(_ arguments: String...) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: ip)
    process.arguments = arguments
    let errors = Pipe()
    process.standardError = errors
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      throw E2EFailure(
        "ip \(arguments.joined(separator: " ")): \(message.trimmingCharacters(in: .whitespacesAndNewlines))")
    }
  }
}
