import Foundation
import GoetheKit
import Testing

/// The real daemon: serving, stopping on SIGTERM, and keeping its data across restarts.
@Suite(.timeLimit(.minutes(1)))
struct DaemonLifecycleTests {
  @Test func servesStopsOnSIGTERMAndKeepsEventsAcrossARestart() async throws {
    try await withScratchDirectory { scratch in
      let data = scratch.appendingPathComponent("data")
      let first = try await Daemon.start(dataDirectory: data)
      defer { first.killIfRunning() }
      let stored = try await first.withClient { client in
        let result = try await client.append([Data("a".utf8), Data("b".utf8)], to: "orders")
        _ = try await client.append([Data("c".utf8)], to: "orders")
        let events = try await client.everything(in: "orders")
        #expect(events.map { String(decoding: $0.payload, as: UTF8.self) } == ["a", "b", "c"])
        #expect(events.first?.id == result.firstID)
        return events
      }

      let stopped = try await first.stop()
      #expect(stopped.status == 0 && !stopped.signalled, "\(stopped)")
      #expect(stopped.stderr.contains { $0.contains("goethe stopped") }, "\(stopped)")
      #expect(stopped.failureReports.isEmpty, "\(stopped)")

      let second = try await Daemon.start(dataDirectory: data)
      defer { second.killIfRunning() }
      try await second.withClient { client in
        #expect(try await client.everything(in: "orders") == stored)
        let next = try await client.append([Data("d".utf8)], to: "orders")
        #expect(next.firstSequence == 4)
        #expect(next.firstID > stored.last?.id ?? .max)
      }
      let again = try await second.stop()
      #expect(again.status == 0, "\(again)")
    }
  }
}
