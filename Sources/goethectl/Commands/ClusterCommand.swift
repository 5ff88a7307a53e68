import ArgumentParser
import GoetheKit

struct ClusterCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cluster", abstract: "The cluster: its nodes, who leads, and how each node is.",
    subcommands: [ClusterStatusCommand.self])
}

struct ClusterStatusCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "status", abstract: "Show every node of the cluster as the server's node sees it.",
    discussion: """
      Any node answers for the whole cluster. A node's role is leader, follower, or unreachable when \
      its heartbeat has not reached the answering node for several seconds; LAG is how many commits \
      it is behind the leader. -o json prints one object: cluster, leader, epoch, and nodes, each \
      with id, address, role, epoch, healthy, last_seen (UTC) and lag. Exits 4 when the node cannot \
      be reached.
      """)

  @OptionGroup var global: GlobalOptions

  func run() async throws {
    let status = try await global.withClient { try await $0.clusterStatus() }
    ClusterPrinter(console: global.console).print(status)
  }
}
