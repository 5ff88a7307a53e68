import ArgumentParser

struct ReplCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "repl", abstract: "An interactive session: every goethectl command, with history and TAB completion.")

  @Flag(help: "When reading a script from stdin, go on after a failing command.")
  var continueOnError = false

  @OptionGroup var global: GlobalOptions

  func run() async throws {
    let status = await Self.session(options: global, continueOnError: continueOnError).run()
    if status != .success { throw ExitCode(status.rawValue) }
  }

  /// A session whose lines run as goethectl's command lines, with the session's options.
  static func session(options: GlobalOptions, continueOnError: Bool) -> Repl {
    Repl(options: options, continueOnError: continueOnError, tree: .session) { words, line in
      await Main.run(words, session: options, line: line)
    }
  }
}
