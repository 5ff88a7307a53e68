import ArgumentParser
import Foundation
import GoetheKit

/// Topic and consumer names for TAB, asked of the running server: a short deadline, no output on
/// failure, nothing when the server is down.
enum DynamicCompletion {
  static let topics = CompletionKind.custom { words, _, prefix async in
    await ask(words) { client in try await client.topics().map(\.name) }.filter { $0.hasPrefix(prefix) }
  }

  /// Consumers of the topic named on the line, or of every topic if none is.
  static let consumers = CompletionKind.custom { words, _, prefix async in
    let cursors = await ask(words) { client in try await client.cursors() }
    let named = cursors.filter { words.contains($0.topic) }
    return Array(Set((named.isEmpty ? cursors : named).map(\.consumer))).sorted().filter { $0.hasPrefix(prefix) }
  }

  private static func ask<Value: Sendable>(
    _ words: [String], _ query: @escaping @Sendable (GoetheClient) async throws -> [Value]
  ) async -> [Value] {
    let server = words.lastIndex { $0 == "--server" || $0 == "-s" }.flatMap {
      words.indices.contains($0 + 1) ? words[$0 + 1] : nil
    }
    guard
      let address = try? ServerAddress(
        parsing: server ?? ProcessInfo.processInfo.environment["GOETHE_SERVER"] ?? "127.0.0.1:1337")
    else { return [] }
    return (try? await GoetheClient.withConnection(to: address, timeout: .seconds(1), query)) ?? []
  }
}
