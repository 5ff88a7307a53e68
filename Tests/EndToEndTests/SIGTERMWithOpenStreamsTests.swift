import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import GoetheKit
import SwiftProtobuf
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// SIGTERM while streams are open: they end with UNAVAILABLE and the daemon still exits 0.
@Suite(.timeLimit(.minutes(1)))
struct SIGTERMWithOpenStreamsTests {
  @Test func anOpenFollowEndsAsUnavailableOnSIGTERMAndTheDaemonExits() async throws {
    try await withScratchDirectory { scratch in
      let daemon = try await Daemon.start(dataDirectory: scratch.appendingPathComponent("data"))
      defer { daemon.killIfRunning() }
      let (outcome, exit) = try await daemon.withClient { client in
        _ = try await client.append([Data("a".utf8)], to: "orders")
        let (started, startedSignal) = AsyncStream.makeStream(of: Void.self)
        return try await withThrowingTaskGroup(of: Result<Int, GoetheError>.self) { group in
          group.addTask {
            do {
              return .success(
                try await client.subscribe("orders", follow: true) { subscription in
                  var count = 0
                  for try await batch in subscription {
                    count += batch.count
                    if count == 1 { startedSignal.yield() }
                  }
                  return count
                })
            } catch let error as GoetheError {
              return .failure(error)
            }
          }
          var starts = started.makeAsyncIterator()
          await starts.next()
          daemon.signal(SIGTERM)
          // If the stream kept the daemon from exiting, this kills it after its deadline and throws.
          let exit = try await daemon.child.waitForExit(within: .seconds(20))
          return (try await group.next(), exit)
        }
      }
      switch outcome {
      case .failure(let error): expectShutdownCode(error.code, "\(error)")
      case .success(let count): Issue.record("the follow ended without an error after \(count) events")
      case nil: Issue.record("no outcome")
      }
      #expect(exit.status == 0 && !exit.signalled, "\(exit)")
      #expect(exit.stderr.contains { $0.contains("goethe stopped") }, "\(exit)")
    }
  }

  /// A Goethe v1 consumer that has received an event and is still working on it when the daemon is
  /// told to stop: the daemon ends its stream with UNAVAILABLE rather than waiting for the consumer's
  /// next message, and exits once the consumer has read that.
  @Test func aV1ConsumerHoldingAnEventDoesNotBlockTheShutdown() async throws {
    try await withScratchDirectory { scratch in
      let daemon = try await Daemon.start(dataDirectory: scratch.appendingPathComponent("data"))
      defer { daemon.killIfRunning() }
      _ = try await daemon.withClient { client in try await client.append([Data("a".utf8)], to: "orders") }

      let transport = try HTTP2ClientTransport.Posix(
        target: .ipv4(address: "127.0.0.1", port: daemon.port), transportSecurity: .plaintext)
      let (received, code, streamEnd) = try await withGRPCClient(transport: transport) { grpc in
        let stub = Io_Typusomega_Goethe_Goethe.Client(wrapping: grpc)
        let (outgoing, outbox) = AsyncStream.makeStream(of: Io_Typusomega_Goethe_Cursor.self)
        outbox.yield(
          .with {
            $0.topic.id = "orders"
            $0.consumer = "worker"
          })
        defer { outbox.finish() }
        return try await stub.consume(
          requestProducer: { writer in
            for await message in outgoing { try await writer.write(message) }
          },
          onResponse: { response -> (Data?, GoetheError.Code?, String) in
            var replies = response.messages.makeAsyncIterator()
            let received = try await replies.next()?.currentEvent.payload
            daemon.signal(SIGTERM)
            // A deadline: if the daemon does not end the stream, killing it does (as "unreachable").
            let watchdog = Task {
              try await Task.sleep(for: .seconds(5))
              daemon.signal(SIGKILL)
            }
            defer { watchdog.cancel() }
            do {
              let next = try await replies.next()
              return (received, nil, next.map { "another message: \($0)" } ?? "the stream ended without an error")
            } catch let error as RPCError {
              return (received, GoetheError(error).code, "\(error)")
            }
          })
      }
      let exit = try await daemon.child.waitForExit(within: .seconds(10))
      #expect(received == Data("a".utf8))
      expectShutdownCode(code, streamEnd)
      #expect(exit.status == 0 && !exit.signalled, "\(exit)")
      #expect(exit.stderr.contains { $0.contains("goethe stopped") }, "\(exit)")
    }
  }

  /// A stream ended by SIGTERM ends with UNAVAILABLE, "the server is shutting down".
  /// SIGTERM while replays scan a large topic on several connections: the daemon stops serving,
  /// waits for the scans to end, then closes the store, and exits 0 with every event kept.
  @Test func replaysUnderLoadEndCleanlyOnSIGTERMAndTheStoreStaysWhole() async throws {
    try await withScratchDirectory { scratch in
      let data = scratch.appendingPathComponent("data")
      let daemon = try await Daemon.start(dataDirectory: data, ["--sync", "never"])
      defer { daemon.killIfRunning() }
      let batch = Array(repeating: Data(repeating: 0x61, count: 100), count: 500)
      try await daemon.withClient { client in
        for _ in 0..<200 { _ = try await client.append(batch, to: "big") }
      }
      let readers = 6
      let (exit, endings) = try await withThrowingTaskGroup(of: GoetheError.Code?.self) { group in
        let (started, startedSignal) = AsyncStream.makeStream(of: Void.self)
        for _ in 0..<readers {
          group.addTask {
            do {
              try await daemon.withClient { client in
                var firstPass = true
                while !Task.isCancelled {
                  let announce = firstPass
                  firstPass = false
                  try await client.subscribe("big") { subscription in
                    var announced = !announce
                    for try await _ in subscription where !announced {
                      announced = true
                      startedSignal.yield()
                    }
                  }
                }
              }
            } catch let error as GoetheError {
              return error.code
            }
            return nil
          }
        }
        var starts = started.makeAsyncIterator()
        for _ in 0..<readers { await starts.next() }
        daemon.signal(SIGTERM)
        let exit = try await daemon.child.waitForExit(within: .seconds(30))
        var endings: [GoetheError.Code?] = []
        for try await ending in group { endings.append(ending) }
        return (exit, endings)
      }
      #expect(exit.status == 0 && !exit.signalled, "\(exit)")
      #expect(exit.stderr.contains { $0.contains("goethe stopped") }, "\(exit)")
      #expect(!exit.stderr.contains { $0.contains("Fatal error") }, "\(exit)")
      #expect(endings.allSatisfy { [.unavailable, .unreachable].contains($0) }, "\(endings)")
      let restarted = try await Daemon.start(dataDirectory: data)
      defer { restarted.killIfRunning() }
      let events = try await restarted.withClient { try await $0.everything(in: "big") }
      #expect(events.count == 100_000)
      #expect(events.map(\.sequence) == Array(1...100_000))
    }
  }

  private func expectShutdownCode(
    _ code: GoetheError.Code?, _ detail: String, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    #expect(code == .unavailable, "\(detail)", sourceLocation: sourceLocation)
  }
}
