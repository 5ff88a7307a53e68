import Foundation
import SwiftProtobuf

/// Conversions between the wire messages and GoetheKit's value types, used by both sides.
extension Io_Typusomega_Goethe_Event {
  public init(_ event: StoredEvent) {
    self.init()
    id = String(event.id)
    topic.id = event.topic
    payload = event.payload
    sequence = event.sequence
    timeUnixNano = event.id
  }

  /// The event as a subscription with `compact_events` sends it: without the id string and the
  /// topic, which the reader knows.
  public init(compact event: StoredEvent) {
    self.init()
    payload = event.payload
    sequence = event.sequence
    timeUnixNano = event.id
  }
}

extension StoredEvent {
  /// The event in a wire message; throws if its id is not a decimal number.
  /// - Parameter topic: the topic of a compact event, which names none.
  public init(_ message: Io_Typusomega_Goethe_Event, topic: String? = nil) throws(GoetheError) {
    let id: UInt64
    if message.id.isEmpty, message.timeUnixNano != 0 {
      id = message.timeUnixNano
    } else if let decimal = UInt64(message.id) {
      id = decimal
    } else {
      throw GoetheError(.invalidArgument, "event id \"\(message.id)\" is not a decimal number")
    }
    self.init(
      topic: message.hasTopic ? message.topic.id : topic ?? "", id: id, sequence: message.sequence,
      payload: message.payload)
  }
}

extension Io_Typusomega_Goethe_TopicInfo {
  public init(_ info: TopicInfo) {
    self.init()
    name = info.name
    indexGranularitySeconds = info.granularity.seconds
    createdUnixNano = info.created
    headSequence = info.headSequence
    firstEventID = info.firstEventID ?? 0
    lastEventID = info.lastEventID ?? 0
    consumers = info.consumers.map(Io_Typusomega_Goethe_CursorInfo.init)
    eventCount = info.eventCount
    bytes = info.bytes
    if !info.retention.isNone { retention = .init(info.retention) }
  }
}

extension Io_Typusomega_Goethe_RetentionLimits {
  public init(_ limits: RetentionLimits) {
    self.init()
    maxAgeNanos = limits.maxAge ?? 0
    maxEvents = limits.maxEvents ?? 0
    maxBytes = limits.maxBytes ?? 0
  }
}

extension RetentionLimits {
  public init(_ message: Io_Typusomega_Goethe_RetentionLimits) {
    func limit(_ value: UInt64) -> UInt64? { value == 0 ? nil : value }
    self.init(
      maxAge: limit(message.maxAgeNanos), maxEvents: limit(message.maxEvents), maxBytes: limit(message.maxBytes))
  }
}

extension TopicInfo {
  public init(_ message: Io_Typusomega_Goethe_TopicInfo) throws(GoetheError) {
    let count = message.hasEventCount ? message.eventCount : message.headSequence
    self.init(
      name: message.name, granularity: try Granularity(seconds: message.indexGranularitySeconds),
      created: message.createdUnixNano, headSequence: message.headSequence,
      firstEventID: count > 0 ? message.firstEventID : nil, lastEventID: count > 0 ? message.lastEventID : nil,
      consumers: message.consumers.map(CursorInfo.init), eventCount: count, bytes: message.bytes,
      retention: RetentionLimits(message.retention))
  }
}

extension Io_Typusomega_Goethe_CursorInfo {
  public init(_ cursor: CursorInfo) {
    self.init()
    topic = cursor.topic
    consumer = cursor.consumer
    eventID = cursor.eventID
    sequence = cursor.sequence
    updatedUnixNano = cursor.updated
    lag = cursor.lag
  }
}

extension CursorInfo {
  public init(_ message: Io_Typusomega_Goethe_CursorInfo) {
    self.init(
      topic: message.topic, consumer: message.consumer, eventID: message.eventID, sequence: message.sequence,
      updated: message.updatedUnixNano, lag: message.lag)
  }
}

extension Io_Typusomega_Goethe_Position {
  public init(_ position: Position) {
    self.init()
    switch position {
    case .beginning: beginning = true
    case .end: end = true
    case .event(let id): eventID = id
    case .time(let time): timeUnixNano = time
    }
  }
}

extension Io_Typusomega_Goethe_SubscribeStart {
  public init(_ start: StartInfo, headSequence: UInt64) {
    self.init()
    resolution =
      switch start.resolution {
      case .exact: .exact
      case .nearest: .nearest
      case .waiting: .waiting
      case .firstRetained: .firstRetained
      }
    eventID = start.eventID ?? 0
    sequence = start.sequence ?? 0
    self.headSequence = headSequence
  }
}

extension StartInfo {
  public init(_ message: Io_Typusomega_Goethe_SubscribeStart) {
    let resolution: Resolution =
      switch message.resolution {
      case .nearest: .nearest
      case .waiting: .waiting
      case .firstRetained: .firstRetained
      default: .exact
      }
    self.init(
      resolution: resolution, eventID: resolution == .waiting ? nil : message.eventID,
      sequence: resolution == .waiting ? nil : message.sequence)
  }
}

extension Io_Typusomega_Goethe_NodeState {
  public init(_ state: NodeState) {
    self.init()
    nodeID = state.nodeID
    address = state.address
    role = state.role.rawValue
    epoch = state.epoch
    commitIndex = state.commitIndex
    lag = state.lag
    freeDiskBytes = state.freeDiskBytes
    version = state.version
    startedUnixNano = state.started
    incarnation = state.incarnation
    heartbeat = state.heartbeat
  }
}

extension NodeState {
  /// The state in a wire message; throws if it names a role this version does not know.
  public init(_ message: Io_Typusomega_Goethe_NodeState) throws(GoetheError) {
    guard let role = Role(rawValue: message.role) else {
      throw GoetheError(.invalidArgument, "node \(message.nodeID) has the unknown role \"\(message.role)\"")
    }
    self.init(
      nodeID: message.nodeID, address: message.address, role: role, epoch: message.epoch,
      commitIndex: message.commitIndex, lag: message.lag, freeDiskBytes: message.freeDiskBytes,
      version: message.version, started: message.startedUnixNano, incarnation: message.incarnation,
      heartbeat: message.heartbeat)
  }
}

extension Io_Typusomega_Goethe_ClusterStatus {
  public init(_ status: ClusterStatus) {
    self.init()
    cluster = status.cluster
    leader = status.leader ?? ""
    epoch = status.epoch
    nodes = status.nodes.map { node in
      .with {
        $0.state = Io_Typusomega_Goethe_NodeState(node.state)
        $0.health = node.health.rawValue
        $0.lastSeenUnixNano = node.lastSeen ?? 0
      }
    }
  }
}

extension ClusterStatus {
  public init(_ message: Io_Typusomega_Goethe_ClusterStatus) throws(GoetheError) {
    var nodes: [NodeStatus] = []
    for node in message.nodes {
      guard let health = NodeStatus.Health(rawValue: node.health) else {
        throw GoetheError(.invalidArgument, "node \(node.state.nodeID) has the unknown health \"\(node.health)\"")
      }
      nodes.append(
        NodeStatus(
          state: try NodeState(node.state), health: health,
          lastSeen: node.lastSeenUnixNano == 0 ? nil : node.lastSeenUnixNano))
    }
    self.init(
      cluster: message.cluster, leader: message.leader.isEmpty ? nil : message.leader, epoch: message.epoch,
      nodes: nodes)
  }
}
