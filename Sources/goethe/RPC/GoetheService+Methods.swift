/// The routes of the `io.typusomega.goethe.Goethe` service: the v1 calls and the newer ones.
extension GoetheService: RPCService {
  var methods: [String: RPCMethod] {
    let service = "/io.typusomega.goethe.Goethe/"
    let routes: [(String, RPCMethod)] = [
      ("Produce", .unary(produce)),
      ("Consume", .bidirectional(consume)),
      ("CreateTopic", .unary(createTopic)),
      ("ListTopics", .unary(listTopics)),
      ("DescribeTopic", .unary(describeTopic)),
      ("TopicStats", .unary(topicStats)),
      ("Append", .unary(append)),
      ("AppendStream", .bidirectional(appendStream)),
      ("Subscribe", .serverStreaming(subscribe)),
      ("GetCursor", .unary(getCursor)),
      ("SetCursor", .unary(setCursor)),
      ("ListCursors", .unary(listCursors)),
      ("DeleteCursor", .unary(deleteCursor)),
      ("ServerInfo", .unary(serverInfo)),
    ]
    return Dictionary(uniqueKeysWithValues: routes.map { (service + $0.0, $0.1) })
  }
}
