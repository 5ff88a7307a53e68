import ArgumentParser

/// How long replay and consume read: following new events, and at most how many.
struct ReadingOptions: ParsableArguments {
  @Flag(name: [.short, .long], help: "Keep printing new events until Ctrl-C.")
  var follow = false

  @Option(help: "Print at most this many events.")
  var limit: UInt64?
}
