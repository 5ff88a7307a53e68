/// The interactive session.
struct Repl {
  let options: GlobalOptions
  let continueOnError: Bool

  func run() async -> ExitStatus {
    .success
  }
}
