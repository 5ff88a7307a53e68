/// What a node that does not lead keeps from its readers: the events of writes past the high
/// watermark, which a failover could still undo (``FollowerReplica``).
///
/// Entries are in commit-index order, each the last event id of a topic that a write made; the
/// high watermark passing an entry shows its topic up to that id. A write that creates a topic
/// (again, after a deletion) shows none of the topic's events until it is passed, whatever an
/// earlier entry of a topic of that name showed.
struct HiddenWrites {
  private struct Entry {
    var index: UInt64
    var topic: String
    var lastID: UInt64
    var createsTopic = false
  }

  private var entries: [Entry] = []
  /// For each topic with hidden events, the last event id readers may see.
  private var visible: [String: UInt64] = [:]
  /// Topics the map does not name stay hidden until the high watermark reaches this index: those
  /// that writes of this node in flight when it stepped down may create.
  private var unnamedHiddenThrough: UInt64 = 0

  /// The last event id of `topic` that readers may see under `highWatermark`.
  func visibleThrough(_ topic: String, highWatermark: UInt64) -> UInt64 {
    visible[topic] ?? (highWatermark < unnamedHiddenThrough ? 0 : .max)
  }

  /// Hides the events a write past the high watermark appended, or every event of the topic it
  /// created.
  mutating func hide(_ write: CommittedWrite) {
    switch write.change {
    case .createTopic(let name, _):
      visible[name] = 0
      entries.append(Entry(index: write.index, topic: name, lastID: 0, createsTopic: true))
    case .append(let topic, let created, let firstID, _, let payloads, _):
      if created != nil {
        visible[topic] = 0
      } else if visible[topic] == nil {
        visible[topic] = firstID - 1
      }
      entries.append(
        Entry(
          index: write.index, topic: topic, lastID: firstID + UInt64(payloads.count) - 1, createsTopic: created != nil))
    default:
      break
    }
  }

  /// Shows what the high watermark has passed, in one pass over the entries.
  mutating func reveal(through highWatermark: UInt64) {
    let passed = entries.prefix { $0.index <= highWatermark }
    guard !passed.isEmpty || unnamedHiddenThrough > 0 else { return }
    let rest = entries.dropFirst(passed.count)
    // A topic of that name created again further on shows nothing of the older one's.
    let createdAgain = Set(rest.filter(\.createsTopic).map(\.topic))
    for entry in passed where !createdAgain.contains(entry.topic) {
      visible[entry.topic] = entry.lastID
    }
    entries = Array(rest)
    let stillHidden = Set(entries.map(\.topic))
    visible = visible.filter { stillHidden.contains($0.key) }
    if highWatermark >= unnamedHiddenThrough { unnamedHiddenThrough = 0 }
  }

  /// Hides exactly what the store holds past the high watermark.
  mutating func hideOnly(_ appends: [UnconfirmedAppends]) {
    entries = appends.map { Entry(index: $0.lastIndex, topic: $0.topic, lastID: $0.lastID) }
    visible = Dictionary(appends.map { ($0.topic, $0.visibleThrough) }, uniquingKeysWith: { first, _ in first })
    unnamedHiddenThrough = 0
  }

  /// Holds each topic of `heads` at most at its head there, and hides every other topic, until the
  /// high watermark reaches `index` (for ever with `.max`, until ``hideOnly(_:)`` or
  /// ``showAll()``): so that writes up to it that are not accounted for show nothing.
  mutating func holdAll(through index: UInt64, heads: [String: UInt64]) {
    for (topic, head) in heads {
      visible[topic] = min(visible[topic] ?? head, head)
      entries.append(Entry(index: index, topic: topic, lastID: .max))
    }
    unnamedHiddenThrough = max(unnamedHiddenThrough, index)
  }

  /// Shows everything.
  mutating func showAll() { self = HiddenWrites() }
}
