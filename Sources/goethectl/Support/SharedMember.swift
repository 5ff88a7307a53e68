import Foundation
import GoetheKit
import Synchronization

/// `consume`'s member of a shared consumer: prints each batch it is given, then acknowledges it;
/// ends when it is caught up (without following), after `limit` events, or on Ctrl-C, and then
/// leaves so that the server stores its acks and gives what it still holds to the others.
struct SharedMember: Sendable {
  var topic: String
  var consumer: String
  var settings: SharedConsumerSettings
  var limit: UInt64?
  var follow: Bool
  var console: Console
  var layout: EventLayout

  /// How this process names itself among the members.
  static var name: String { "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)" }

  func run(_ client: GoetheClient) async throws {
    if limit == 0 { return }
    await noteRetentionGap(client)
    let joined = JoinedMembership()
    // The membership runs in a task of its own, so that Ctrl-C, which cancels this task, stops it
    // gracefully instead of cutting its stream: the acks sent are stored before it ends.
    let work = Task { try await printDeliveries(client, joined) }
    let printed = try await withTaskCancellationHandler {
      try await work.value
    } onCancel: {
      joined.stop()
    }
    console.summary("consumed \(printed == 1 ? "1 event" : "\(printed) events")")
    try Task.checkCancellation()
  }

  /// The note that retention removed events after the consumer's cursor (its ack floor), so
  /// that it resumes at the first retained event, as a read from a cursor says it.
  private func noteRetentionGap(_ client: GoetheClient) async {
    guard let info = try? await client.describeTopic(topic), let first = info.firstEventID,
      let cursor = info.consumers.first(where: { $0.consumer == consumer }), cursor.sequence + 1 < info.firstSequence
    else { return }
    console.noteResumingAtFirstRetained("consumer \(consumer)'s cursor", first)
  }

  private func printDeliveries(_ client: GoetheClient, _ joined: JoinedMembership) async throws -> UInt64 {
    let prefetch = min(limit ?? 256, 256)
    return try await client.joinConsumer(
      topic: topic, consumer: consumer, member: Self.name, settings: settings, prefetch: prefetch
    ) { membership in
      joined.set(membership)
      let printer = EventPrinter(console: console, layout: layout)
      var printed: UInt64 = 0
      for try await batch in membership {
        if batch.isEmpty {
          if follow { continue }
          break
        }
        let room = Int(min(UInt64(batch.count), (limit ?? .max) - printed))
        let shown = batch.prefix(room).map(\.event)
        // Printed and acknowledged before a Ctrl-C stops the membership, or not at all.
        let done = joined.unlessStopped {
          shown.forEach(printer.print)
          console.flush()
          membership.ack(shown.map(\.id))
        }
        guard done else { break }
        printed += UInt64(shown.count)
        if printed == limit { break }
      }
      membership.stop()
      for try await _ in membership {}
      return printed
    }
  }
}

/// The membership once joined, for the cancellation handler to stop; one joined after the stop
/// is stopped at once. A batch is printed and acknowledged wholly before the stop or not at all,
/// since an ack sent after the stop is not read.
private final class JoinedMembership: Sendable {
  private let state = Mutex<(membership: ConsumerMembership?, stopped: Bool)>((nil, false))

  func set(_ membership: ConsumerMembership) {
    if state.withLock({ state in
      state.membership = membership
      return state.stopped
    }) {
      membership.stop()
    }
  }

  /// Runs `body` unless the membership is stopped, holding the stop off meanwhile.
  func unlessStopped(_ body: () -> Void) -> Bool {
    state.withLock { state in
      guard !state.stopped else { return false }
      body()
      return true
    }
  }

  func stop() {
    state.withLock { state in
      state.stopped = true
      return state.membership
    }?.stop()
  }
}
