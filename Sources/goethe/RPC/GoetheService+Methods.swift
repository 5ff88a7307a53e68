/// The routes of the `io.typusomega.goethe.Goethe` service: the v1 calls and the newer ones.
/// Calls that write (Consume commits cursors) are taken only on the cluster's leader.
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
    let routes = writes.map { ($0.0, $0.1.guarded(by: role.checkWritable)) } + reads
    return Dictionary(uniqueKeysWithValues: routes.map { (service + $0.0, $0.1) })
  }
}
