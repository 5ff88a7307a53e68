import ArgumentParser

/// The stored cursor a command works on: a topic and one of its consumers.
struct CursorArguments: ParsableArguments {
  @Argument(help: "The topic.", completion: DynamicCompletion.topics)
  var topic: String

  @Argument(help: "The consumer.", completion: DynamicCompletion.consumers)
  var consumer: String
}
