import GoetheKit

/// A cluster's status as a table of its nodes, or as one JSON object.
struct ClusterPrinter {
  let console: Console

  func print(_ status: ClusterStatus) {
    if console.format == .json {
      console.json([
        ("cluster", .string(status.cluster)), ("leader", status.leader.map { .string($0) } ?? .null),
        ("epoch", .number(status.epoch)),
        ("nodes", .raw("[" + status.nodes.map(nodeObject).joined(separator: ",") + "]")),
      ])
      return
    }
    console.out(
      "cluster \(status.cluster): "
        + (status.leader.map { "leader \($0), epoch \(status.epoch)" } ?? "no leader (epoch \(status.epoch))"))
    var table = Table(header: ["NODE", "ADDRESS", "ROLE", "EPOCH", "HEALTH", "LAST SEEN", "LAG"])
    for node in status.nodes {
      table.rows.append([
        node.state.nodeID, node.state.address, role(of: node), String(node.state.epoch), node.health.rawValue,
        node.lastSeen.map(console.time) ?? "never", String(node.state.lag),
      ])
    }
    table.render(console)
  }

  /// leader or follower as the node says, or unreachable when it has not been heard from.
  private func role(of node: NodeStatus) -> String {
    node.health == .unreachable ? "unreachable" : node.state.role.rawValue
  }

  private func nodeObject(_ node: NodeStatus) -> String {
    JSONValue.object([
      ("id", .string(node.state.nodeID)), ("address", .string(node.state.address)), ("role", .string(role(of: node))),
      ("epoch", .number(node.state.epoch)), ("healthy", .raw(node.health == .alive ? "true" : "false")),
      ("last_seen", node.lastSeen.map { .string(console.jsonTime($0)) } ?? .null), ("lag", .number(node.state.lag)),
    ])
  }
}
