/// What a caller may do: everything, or one kind of access to the topics a glob matches.
enum Grant: Sendable, Equatable, CustomStringConvertible {
  /// Every call, on every topic, and the cluster's own calls.
  case admin
  case topics(TopicAccess, TopicGlob)

  /// Parses `admin`, `produce:GLOB`, `consume:GLOB` or `describe:GLOB`.
  init?(parsing text: String) {
    if text == "admin" {
      self = .admin
      return
    }
    let pieces = text.split(separator: ":", maxSplits: 1)
    guard pieces.count == 2, let access = TopicAccess(rawValue: String(pieces[0])), !pieces[1].isEmpty else {
      return nil
    }
    self = .topics(access, TopicGlob(String(pieces[1])))
  }

  var description: String {
    switch self {
    case .admin: "admin"
    case .topics(let access, let glob): "\(access.rawValue):\(glob)"
    }
  }

  func allows(_ access: TopicAccess, on topic: String) -> Bool {
    switch self {
    case .admin: true
    case .topics(let granted, let glob): granted == access && glob.matches(topic)
    }
  }

  func allows(_ access: TopicAccess) -> Bool {
    switch self {
    case .admin: true
    case .topics(let granted, _): granted == access
    }
  }
}

/// The kinds of access to a topic that a grant gives.
enum TopicAccess: String, Sendable {
  /// Appending, and creating topics.
  case produce
  /// Reading, subscribing, and the consumers' cursors.
  case consume
  /// Listing, describing, statistics.
  case describe

  /// What a refusal says the caller may not do, as in "may not read topic x".
  var verb: String {
    switch self {
    case .produce: "produce to"
    case .consume: "consume from"
    case .describe: "describe"
    }
  }
}
