import GoetheKit

/// The routes of the `io.typusomega.goethe.Goethe` service: the v1 calls and the newer ones, each
/// with the access its caller needs (see ``AccessControl``). Calls that write (Consume commits
/// cursors) and those of shared consumers are taken only on the cluster's leader; on a follower the unary ones are sent on to it
/// (with the daemon's ``forwarder``), and the others refused with its address.
extension GoetheService: RPCService {
  var methods: [String: RPCMethod] {
    let service = "/io.typusomega.goethe.Goethe/"
    let role = self.role
    let gate = RouteAccess(control: access)
    let writes: [(String, RPCMethod)] = [
      ("Produce", gate.unary(.produce, topic: { $0.topic.id }, produce)),
      ("Consume", gate.bidirectional(.consume, topic: { $0.topic.id }, consume)),
      ("CreateTopic", gate.unary(.produce, topic: { $0.topic }, createTopic)),
      ("Append", gate.unary(.produce, topic: { $0.topic }, append)),
      ("AppendStream", gate.bidirectional(.produce, topic: { $0.topic }, appendStream)),
      ("SetCursor", gate.unary(.consume, topic: { $0.topic }, setCursor)),
      ("DeleteCursor", gate.unary(.consume, topic: { $0.topic }, deleteCursor)),
      ("SetRetention", gate.admin(setRetention)),
      ("DeleteTopic", gate.admin(deleteTopic)),
      ("PurgeTopic", gate.admin(purgeTopic)),
      ("SharedConsume", gate.bidirectional(.consume, topic: { $0.join.topic }, sharedConsume)),
      // The leader alone knows a shared consumer's members and what they hold.
      ("DescribeConsumer", gate.unary(.consume, topic: { $0.topic }, describeConsumer)),
      ("ResetConsumer", gate.unary(.consume, topic: { $0.topic }, resetConsumer)),
      ("ReplayParked", gate.unary(.consume, topic: { $0.topic }, replayParked)),
    ]
    let reads: [(String, RPCMethod)] = [
      ("ListTopics", gate.listing(.describe, listTopics)),
      ("DescribeTopic", gate.unary(.describe, topic: { $0.topic }, describeTopic)),
      ("TopicStats", gate.unary(.describe, topic: { $0.topic }, topicStats)),
      ("Subscribe", gate.serverStreaming(.consume, topic: { $0.topic }, subscribe)),
      ("GetCursor", gate.unary(.consume, topic: { $0.topic }, getCursor)),
      ("ListCursors", gate.listing(.consume, topic: { $0.topic }, listCursors)),
      ("ServerInfo", gate.known(serverInfo)),
    ]
    let forwarder = self.forwarder
    let routes =
      writes.map { name, method in
        let guarded =
          forwarder.map {
            method.forwardedToLeader(service + name, role: role, forwarder: $0, check: role.checkWritable)
          } ?? method.guarded(by: role.checkWritable)
        return (name, guarded)
      } + reads
    return Dictionary(uniqueKeysWithValues: routes.map { (service + $0.0, $0.1) })
  }
}
