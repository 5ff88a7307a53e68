import ArgumentParser

struct ReplCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "repl", abstract: "An interactive session: every goethectl command, with history and TAB completion.")

  @Flag(help: "When reading a script from stdin, go on after a failing command.")
  var continueOnError = false

  @OptionGroup var global: GlobalOptions

  func run() async throws {
    let status = await Repl(options: global, continueOnError: continueOnError).run()
    if status != .success { throw ExitCode(status.rawValue) }
  }
}
