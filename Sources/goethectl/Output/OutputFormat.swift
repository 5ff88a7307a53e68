import ArgumentParser

/// How events, topics and cursors are printed: `-o text|json|raw`.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
  case text, json, raw
}
