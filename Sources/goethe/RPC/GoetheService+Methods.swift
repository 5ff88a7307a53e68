/// The routes of the `io.typusomega.goethe.Goethe` service: the v1 calls and the newer ones.
/// Calls that write (Consume commits cursors) are taken only on the cluster's leader; on a follower
/// the unary ones are sent on to it, and the streaming ones refused with its address.
extension GoetheService: RPCService {
  var methods: [String: RPCMethod] {
    let service = "/io.typusomega.goethe.Goethe/"
    let role = self.role
    let writes: [(String, RPCMethod)] = [
      ("Produce", .unary(produce)),
      ("Consume", .bidirectional(consume)),
      ("CreateTopic", .unary(createTopic)),
      ("Append", .unary(append)),
      ("AppendStream", .bidirectional(appendStream)),
      ("SetCursor", .unary(setCursor)),
      ("DeleteCursor", .unary(deleteCursor)),
    ]
    let reads: [(String, RPCMethod)] = [
      ("ListTopics", .unary(listTopics)),
      ("DescribeTopic", .unary(describeTopic)),
      ("TopicStats", .unary(topicStats)),
      ("Subscribe", .serverStreaming(subscribe)),
      ("GetCursor", .unary(getCursor)),
      ("ListCursors", .unary(listCursors)),
      ("ServerInfo", .unary(serverInfo)),
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
