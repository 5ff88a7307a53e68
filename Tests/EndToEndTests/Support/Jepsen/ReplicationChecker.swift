import Foundation
import GoetheKit

/// Checks what every node holds after the faults have healed against the producers' history, in
/// Jepsen's terms:
/// - **lost**: an acknowledged event missing from a node;
/// - **duplicated**: an event stored more than once;
/// - **reordered**: sequences that are not 1, 2, 3…, ids that do not grow, a producer's
///   acknowledged events out of the order it appended them, or an acknowledged event stored
///   under another id or sequence than it was acknowledged with;
/// - **divergent**: nodes that hold different events;
/// - **phantom**: an event nobody appended.
struct ReplicationChecker {
  var acknowledged: [ProducerWorkload.Acknowledged]
  var indeterminate: Set<String>

  /// The anomalies in what `nodes` hold (node id → events); none means the history holds.
  func anomalies(in nodes: [String: [StoredEvent]]) -> [String] {
    var found: [String] = []
    let sorted = nodes.sorted { $0.key < $1.key }
    guard let (reference, events) = sorted.first else { return ["no node to check"] }
    for (node, other) in sorted.dropFirst() where other != events {
      let at =
        zip(events, other).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(events.count, other.count)
      found.append(
        "divergent: \(node) holds \(other.count) events, \(reference) \(events.count); first difference at \(at)")
    }
    for (node, held) in sorted { found += anomalies(of: node, held) }
    return found
  }

  private func anomalies(of node: String, _ events: [StoredEvent]) -> [String] {
    var found: [String] = []
    var seen: [String: StoredEvent] = [:]
    for (offset, event) in events.enumerated() {
      let payload = String(decoding: event.payload, as: UTF8.self)
      if seen[payload] != nil { found.append("duplicated on \(node): \(payload)") }
      seen[payload] = event
      if event.sequence != UInt64(offset + 1) {
        found.append("reordered on \(node): event \(offset + 1) has sequence \(event.sequence)")
      }
      if offset > 0, event.id <= events[offset - 1].id {
        found.append("reordered on \(node): id \(event.id) after \(events[offset - 1].id)")
      }
    }
    let appended = Set(acknowledged.map(\.payload)).union(indeterminate)
    for payload in seen.keys where !appended.contains(payload) { found.append("phantom on \(node): \(payload)") }
    for write in acknowledged {
      guard let event = seen[write.payload] else {
        found.append("lost on \(node): \(write.payload) (acknowledged as sequence \(write.sequence))")
        continue
      }
      if event.id != write.id || event.sequence != write.sequence {
        found.append(
          "reordered on \(node): \(write.payload) acknowledged as \(write.id)/\(write.sequence), stored as \(event.id)/\(event.sequence)"
        )
      }
    }
    for producer in Set(acknowledged.map(\.producer)) {
      let sequences = acknowledged.filter { $0.producer == producer }.compactMap { seen[$0.payload]?.sequence }
      if sequences != sequences.sorted() { found.append("reordered on \(node): producer \(producer)'s events") }
    }
    return found
  }
}
