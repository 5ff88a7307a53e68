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
    guard let connection = try? GlobalOptions.parse(connectionWords(words)).connection() else { return [] }
    return
      (try? await GoetheClient.withConnection(
        to: connection.servers, security: connection.security, timeout: .seconds(1), query)) ?? []
  }

  /// The options of the line being completed that say where to connect and how: each with its
  /// value, the last of each winning.
  private static func connectionWords(_ words: [String]) -> [String] {
    var picked: [String] = []
    var index = words.startIndex
    while index < words.endIndex {
      let word = words[index]
      if GlobalOptions.connectionOptions.contains(word), index + 1 < words.endIndex {
        picked += [word, words[index + 1]]
        index += 2
      } else {
        if word == "--tls" { picked.append(word) }
        index += 1
      }
    }
    return picked
  }
}
