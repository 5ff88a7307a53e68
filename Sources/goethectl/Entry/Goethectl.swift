import ArgumentParser
import GoetheKit

struct Goethectl: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "goethectl",
    abstract: "The operator's tool for Goethe: topics, producing, tailing, replays, consumers.",
    discussion: """
      Positions (--from, --to, cursor set): \(PositionArguments.help)

      Exit codes: 0 success, 1 the operation failed, 2 usage error, 3 not found, \
      4 cannot reach the server (refused, no answer within --timeout, not a goethe server there, or \
      TLS on one side only), 5 the server refused the credentials (no token, an unknown token, or no \
      grant for the call), 130 interrupted, 141 the reader of the output went away (as in goethectl replay t --from beginning | head).

      JSON (-o json): one object per line; times in UTC (RFC 3339 with Z) whatever TZ and --utc say; \
      ids are strings, as they pass 2^53. Events (tail, replay, consume): topic, id, seq, time, \
      payload, encoding (utf8, or base64 when the payload is not UTF-8). produce: topic, id, seq, \
      time. Topics (topic list, describe, create, set): topic, events, bytes, head_seq, first_seq, \
      first_id, first_time, last_id, last_time, index_granularity, retention (max_age, max_events, \
      max_bytes; null for no limit), created, consumers (cursors). topic purge: topic, removed, \
      events, first_id. topic delete: topic, deleted, events. Cursors: topic, consumer, \
      id, seq, lag, updated. topic stats: topic, start, count, last_id.

      Without a command (global options alone may be given), goethectl opens an interactive session on \
      a terminal, and runs the commands of a file or pipe on stdin as a script: goethectl < script \
      (see: goethectl repl).

      Security: --tls (the system's roots) or --tls-ca FILE for a TLS server, --tls-cert and --tls-key \
      for mutual TLS, --token, --token-file or GOETHE_TOKEN for a server with an auth file. \
      goethectl context add NAME saves a server with its credentials; context use NAME makes it the \
      default, and --context NAME picks one for a command. Flags win over the environment, which wins \
      over the context.
      """,
    version: "goethectl \(GoetheVersion.current)",
    subcommands: [
      TopicCommand.self, ProduceCommand.self, TailCommand.self, ReplayCommand.self, ConsumeCommand.self,
      CursorCommand.self, ConsumerCommand.self, ClusterCommand.self, ContextCommand.self, BenchCommand.self,
      ReplCommand.self,
      CompletionCommand.self, VersionCommand.self,
    ])
}
