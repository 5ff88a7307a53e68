import GoetheKit
import Testing

@testable import goethe

/// The deduplication window: what it answers for, and what it forgets.
@Suite struct ProducerWindowTests {
  private static func entry(_ firstID: UInt64, index: UInt64 = 1) -> ProducerWindow.Entry {
    ProducerWindow.Entry(topic: "t", firstID: firstID, firstSequence: firstID, count: 1, commitIndex: index)
  }

  private static func stamp(_ sequence: UInt64, of producer: String = "p") -> ProducerStamp {
    ProducerStamp(producer: producer, sequence: sequence)
  }

  @Test func aRunIsRememberedBatchByBatchWithEachBatchsShare() {
    var window = ProducerWindow(span: 100, capacity: 10)
    window.remember(
      ProducerRun(producer: "p", firstSequence: 4, counts: [2, 3]), topic: "t", firstID: 1_000, firstSequence: 10,
      commitIndex: 7)
    #expect(window[Self.stamp(4)] == .init(topic: "t", firstID: 1_000, firstSequence: 10, count: 2, commitIndex: 7))
    #expect(window[Self.stamp(5)] == .init(topic: "t", firstID: 1_002, firstSequence: 12, count: 3, commitIndex: 7))
    #expect(window[Self.stamp(6)] == nil)
    #expect(window[Self.stamp(4, of: "q")] == nil)
  }

  @Test func batchesOlderThanTheSpanBeforeTheNewestAreForgotten() {
    var window = ProducerWindow(span: 100, capacity: 10)
    window.remember(Self.stamp(1), Self.entry(1_000))
    window.remember(Self.stamp(2), Self.entry(1_050))
    window.remember(Self.stamp(3), Self.entry(1_100))
    #expect(window.count == 3, "1,000 is exactly the span before 1,100: still in")
    window.remember(Self.stamp(4), Self.entry(1_101))
    #expect(window[Self.stamp(1)] == nil)
    #expect(window[Self.stamp(2)] != nil)
    #expect(window.count == 3)
  }

  @Test func theWindowHoldsAtMostItsCapacityNewestFirst() {
    var window = ProducerWindow(span: .max, capacity: 3)
    for sequence in 1...10 { window.remember(Self.stamp(UInt64(sequence)), Self.entry(UInt64(sequence))) }
    #expect(window.count == 3)
    #expect((1...10).filter { window[Self.stamp(UInt64($0))] != nil } == [8, 9, 10])
  }

  @Test func aBatchWhoseWriteIsNotYetDurableIsNeverForgotten() {
    var window = ProducerWindow(span: 100, capacity: 3)
    for sequence in 1...5 {
      window.remember(
        Self.stamp(UInt64(sequence)), Self.entry(UInt64(sequence), index: UInt64(sequence)), durableThrough: 1)
    }
    #expect(
      (1...5).filter { window[Self.stamp(UInt64($0))] != nil } == [2, 3, 4, 5], "only the durable first is forgotten")
    window.remember(Self.stamp(6), Self.entry(2_000, index: 6), durableThrough: 5)
    #expect((1...6).filter { window[Self.stamp(UInt64($0))] != nil } == [6], "durable now, and past the span")
  }

  @Test func aStampRememberedAgainIsForgottenOnlyWithItsNewerEntry() {
    var window = ProducerWindow(span: 100, capacity: 10)
    window.remember(Self.stamp(1), Self.entry(1_000))
    window.remember(Self.stamp(2), Self.entry(1_010))
    window.remember(Self.stamp(1), Self.entry(1_090, index: 2))
    window.remember(Self.stamp(3), Self.entry(1_150))
    #expect(window[Self.stamp(1)]?.firstID == 1_090)
    #expect(window[Self.stamp(2)] == nil)
  }

  @Test func forgettingAfterAnIndexDropsTheLaterWritesBatches() {
    var window = ProducerWindow(span: 100, capacity: 10)
    window.remember(Self.stamp(1), Self.entry(1_000, index: 1))
    window.remember(Self.stamp(2), Self.entry(1_001, index: 2))
    window.remember(Self.stamp(3), Self.entry(1_002, index: 3))
    window.forget(after: 1)
    #expect(window[Self.stamp(1)] != nil)
    #expect(window[Self.stamp(2)] == nil)
    #expect(window[Self.stamp(3)] == nil)
  }

  @Test func aLongRunOfBatchesKeepsItsMemoryBounded() {
    var window = ProducerWindow(span: 10, capacity: 1_000)
    for sequence in 1...50_000 {
      window.remember(Self.stamp(UInt64(sequence)), Self.entry(UInt64(sequence)))
    }
    #expect(window.count == 11)
    #expect(window[Self.stamp(49_990)] != nil)
    #expect(window[Self.stamp(49_989)] == nil)
  }
}
