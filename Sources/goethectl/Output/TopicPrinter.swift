import Foundation
import GoetheKit

/// Topics and their consumers as tables, key-value text or JSON lines.
struct TopicPrinter {
  let console: Console

  func table(_ topics: [TopicInfo]) {
    var table = Table(header: ["TOPIC", "EVENTS", "LAST EVENT", "INDEX"])
    for topic in topics {
      table.rows.append([
        topic.name, String(topic.eventCount), topic.lastEventID.map(console.time) ?? "-", topic.granularity.description,
      ])
    }
    table.render(console)
  }

  func describe(_ topic: TopicInfo) {
    let lines: [(String, String)] = [
      ("topic", topic.name),
      ("events", String(topic.eventCount)),
      ("head sequence", String(topic.headSequence)),
      ("first event", topic.firstEventID.map { "\($0)  \(console.time($0))" } ?? "-"),
      ("last event", topic.lastEventID.map { "\($0)  \(console.time($0))" } ?? "-"),
      ("time index", "per \(topic.granularity)"),
      ("created", console.time(topic.created)),
      ("bytes", ByteSize(Int(clamping: topic.bytes)).description),
      ("retention", retention(topic.retention)),
    ]
    for (key, value) in lines {
      console.out(console.paint((key + ":").padding(toLength: 15, withPad: " ", startingAt: 0), .bold) + value)
    }
    guard !topic.consumers.isEmpty else {
      console.out(console.paint("consumers:".padding(toLength: 15, withPad: " ", startingAt: 0), .bold) + "none")
      return
    }
    console.out("")
    CursorPrinter(console: console).table(topic.consumers, withTopic: false)
  }

  /// The limits as a person reads them: `max age 7d, max events 1000`, or `none`.
  func retention(_ limits: RetentionLimits) -> String {
    let parts = [
      limits.maxAge.map { "max age \(RetentionAge.format($0))" },
      limits.maxEvents.map { "max events \($0)" },
      limits.maxBytes.map { "max bytes \(ByteSize(Int(clamping: $0)))" },
    ].compactMap { $0 }
    return parts.isEmpty ? "none" : parts.joined(separator: ", ")
  }

  func json(_ topic: TopicInfo) {
    let fields: KeyValuePairs<String, JSONValue> = [
      "topic": .string(topic.name), "events": .number(topic.eventCount), "bytes": .number(topic.bytes),
      "head_seq": .number(topic.headSequence), "first_seq": .number(topic.firstSequence),
      "first_id": topic.firstEventID.map { .string(String($0)) } ?? .null,
      "first_time": topic.firstEventID.map { .string(console.jsonTime($0)) } ?? .null,
      "last_id": topic.lastEventID.map { .string(String($0)) } ?? .null,
      "last_time": topic.lastEventID.map { .string(console.jsonTime($0)) } ?? .null,
      "index_granularity": .string(topic.granularity.description),
      "retention": .raw(
        JSONValue.object([
          ("max_age", topic.retention.maxAge.map { .string(RetentionAge.format($0)) } ?? .null),
          ("max_events", topic.retention.maxEvents.map { .number($0) } ?? .null),
          ("max_bytes", topic.retention.maxBytes.map { .number($0) } ?? .null),
        ])),
      "created": .string(console.jsonTime(topic.created)),
      "consumers": .raw(
        "[" + topic.consumers.map { CursorPrinter(console: console).object($0) }.joined(separator: ",") + "]"),
    ]
    console.json(fields)
  }
}

struct CursorPrinter {
  let console: Console

  func table(_ cursors: [CursorInfo], withTopic: Bool = true) {
    var table = Table(header: (withTopic ? ["TOPIC"] : []) + ["CONSUMER", "EVENT", "SEQ", "LAG", "UPDATED"])
    for cursor in cursors {
      table.rows.append(
        (withTopic ? [cursor.topic] : []) + [
          cursor.consumer, cursor.eventID == 0 ? "beginning" : String(cursor.eventID), String(cursor.sequence),
          String(cursor.lag), console.time(cursor.updated),
        ])
    }
    table.render(console)
  }

  func fields(_ cursor: CursorInfo) -> [(String, JSONValue)] {
    [
      ("topic", .string(cursor.topic)), ("consumer", .string(cursor.consumer)), ("id", .string(String(cursor.eventID))),
      ("seq", .number(cursor.sequence)), ("lag", .number(cursor.lag)),
      ("updated", .string(console.jsonTime(cursor.updated))),
    ]
  }

  func object(_ cursor: CursorInfo) -> String {
    JSONValue.object(fields(cursor))
  }

  func print(_ cursors: [CursorInfo]) {
    switch console.format {
    case .json: cursors.forEach { console.out(object($0)) }
    case .raw: cursors.forEach { console.out("\($0.topic) \($0.consumer) \($0.eventID)") }
    case .text: table(cursors)
    }
  }
}
