import Foundation
import GoetheKit
import Testing

@testable import goethe

/// A clustered store takes its own writes only as the leader of its current epoch, checked as
/// each write is planned: a write that reaches the store after its node stepped down, or after
/// the store took a newer leader's writes, is refused and changes nothing. Real stores.
@Suite struct LocalWritesTests {
  @Test func aStoreThatStoppedLeadingRefusesItsOwnWritesButAppliesALeaders() async throws {
    try await withStore { store in
      try store.lead(epoch: 3)
      _ = try await store.append(payloads("a"), to: "t", createTopic: true)
      store.stopLocalWrites(through: 2)
      _ = try await store.append(payloads("b"), to: "t")
      #expect(store.lastCommitIndex == 2, "an older epoch's end does not stop a newer leadership")

      store.stopLocalWrites(through: 3)
      await expectError(.unavailable, mentioning: ["does not lead"]) {
        _ = try await store.append(payloads("late"), to: "t")
      }
      await expectError(.unavailable) { _ = try await store.createTopic("u") }
      await expectError(.unavailable) { _ = try await store.setCursor(topic: "t", consumer: "c", to: .end) }
      #expect(store.lastCommitIndex == 2, "nothing refused was committed")
      #expect(try store.allEvents(in: "t").map(\.payloadText) == ["a", "b"])

      try await withStore { leader in
        try leader.lead(epoch: 4)
        _ = try await leader.append(payloads("a"), to: "t", createTopic: true)
        _ = try await leader.append(payloads("b"), to: "t")
        _ = try await leader.append(payloads("c"), to: "t")
        try await store.truncate(after: 0)
        try await store.apply(leader.committedWrites(after: 0))
        #expect(try store.allEvents(in: "t").map(\.payloadText) == ["a", "b", "c"], "a leader's writes still apply")
      }
    }
  }

  @Test func aStoreThatAppliedANewerLeadersWritesRefusesItsOwnUnderTheOlderEpoch() async throws {
    try await withStore { newer in
      try newer.lead(epoch: 5)
      _ = try await newer.append(payloads("a"), to: "t", createTopic: true)
      try await withStore { deposed in
        try deposed.lead(epoch: 4)
        try await deposed.apply(newer.committedWrites(after: 0))
        await expectError(.unavailable) { _ = try await deposed.append(payloads("late"), to: "t") }
        #expect(try await deposed.committedWrites(after: 0) == newer.committedWrites(after: 0))
      }
    }
  }
}
