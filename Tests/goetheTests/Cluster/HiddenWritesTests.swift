import Foundation
import GoetheKit
import Testing

@testable import goethe

/// What a node that does not lead hides, entry by entry, as the high watermark moves.
@Suite struct HiddenWritesTests {
  private static let record = TopicRecord(number: 1, granularity: .hour, created: 0)

  private static func append(
    _ index: UInt64, to topic: String, ids: ClosedRange<UInt64>, creating: Bool = false
  )
    -> CommittedWrite
  {
    CommittedWrite(
      index: index, epoch: 1,
      change: .append(
        topic: topic, created: creating ? record : nil, firstID: ids.lowerBound, firstSequence: 1,
        payloads: ids.map { _ in Data([1]) }))
  }

  @Test func eventsShowAsTheHighWatermarkPassesTheirWrites() {
    var hidden = HiddenWrites()
    hidden.hide(Self.append(5, to: "a", ids: 11...20))
    hidden.hide(Self.append(6, to: "a", ids: 21...30))
    #expect(hidden.visibleThrough("a", highWatermark: 4) == 10)
    hidden.reveal(through: 5)
    #expect(hidden.visibleThrough("a", highWatermark: 5) == 20)
    hidden.reveal(through: 6)
    #expect(hidden.visibleThrough("a", highWatermark: 6) == .max)
    #expect(hidden.visibleThrough("other", highWatermark: 6) == .max)
  }

  /// A topic deleted and created again past the high watermark shows none of the new topic's
  /// events when the older one's writes are passed: their ids may be lower than the older ones.
  @Test func aTopicCreatedAgainShowsNothingOfItUntilItsCreationIsPassed() {
    var hidden = HiddenWrites()
    hidden.hide(Self.append(101, to: "a", ids: 51...60))
    hidden.hide(CommittedWrite(index: 102, epoch: 1, change: .deleteTopic(topic: "a")))
    hidden.hide(CommittedWrite(index: 103, epoch: 1, change: .createTopic(name: "a", record: Self.record)))
    hidden.hide(Self.append(104, to: "a", ids: 1...5))
    #expect(hidden.visibleThrough("a", highWatermark: 100) == 0)
    hidden.reveal(through: 101)
    #expect(hidden.visibleThrough("a", highWatermark: 101) == 0, "the older topic's last id was shown")
    hidden.reveal(through: 103)
    #expect(hidden.visibleThrough("a", highWatermark: 103) == 0)
    hidden.reveal(through: 104)
    #expect(hidden.visibleThrough("a", highWatermark: 104) == .max)
  }

  /// Holding every topic at its head hides what lands after it, and any topic created meanwhile,
  /// until the high watermark reaches the last write planned.
  @Test func heldTopicsShowNothingPastTheirHeadsUntilTheHighWatermarkReachesTheLastWrite() {
    var hidden = HiddenWrites()
    hidden.hideOnly([UnconfirmedAppends(topic: "a", lastIndex: 7, visibleThrough: 10, lastID: 20)])
    hidden.holdAll(through: 9, heads: ["a": 20, "b": 40])
    #expect(hidden.visibleThrough("a", highWatermark: 6) == 10)
    #expect(hidden.visibleThrough("b", highWatermark: 6) == 40)
    #expect(hidden.visibleThrough("new", highWatermark: 6) == 0)
    hidden.reveal(through: 8)
    #expect(hidden.visibleThrough("a", highWatermark: 8) == 20)
    #expect(hidden.visibleThrough("new", highWatermark: 8) == 0)
    hidden.reveal(through: 9)
    for topic in ["a", "b", "new"] { #expect(hidden.visibleThrough(topic, highWatermark: 9) == .max) }
  }
}
