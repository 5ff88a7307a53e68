import ArgumentParser
import Foundation

@main
enum Main {
  static func main() async {
    let arguments = GlobalOptions.hoisted(Array(CommandLine.arguments.dropFirst()))
    if arguments.isEmpty, isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 {
      exit(await ReplCommand.interactive(options: GlobalOptions()).rawValue)
    }
    exit(await run(arguments).rawValue)
  }

  /// Parses and runs one command line; a Ctrl-C cancels the command, which then exits 130.
  static func run(_ arguments: [String]) async -> ExitStatus {
    do {
      var command = try await Goethectl.asyncParseAsRoot(arguments)
      if var command = command as? any AsyncParsableCommand {
        try await Interrupt.cancellingOnSignal { try await command.run() }
      } else {
        try command.run()
      }
      return .success
    } catch {
      return report(error)
    }
  }
}
