import ArgumentParser
import Foundation
import GoetheKit

@main
enum Main {
  static func main() async {
    // A write to a pipe whose reader went away fails with EPIPE, which StandardOutput turns into a
    // quiet exit; SwiftNIO ignores SIGPIPE as well, but only once it opens its first socket.
    signal(SIGPIPE, SIG_IGN)
    let arguments = Array(CommandLine.arguments.dropFirst())
    let status: ExitStatus
    // Global options alone (or nothing): a session on a terminal, a script from a file or pipe
    // (`goethectl -s HOST:PORT < script`), else the help.
    if let options = try? GlobalOptions.parse(arguments),
      isatty(STDIN_FILENO) == 1 ? isatty(STDOUT_FILENO) == 1 : StandardInput.isFileOrPipe
    {
      status = await ReplCommand.session(options: options, continueOnError: false).run()
    } else {
      status = await run(arguments)
    }
    StandardOutput.flush()
    exit(status.rawValue)
  }

  /// Parses and runs one command line, as typed on goethectl's command line or as a line of a
  /// `session`, which adds the options the session was started with. A Ctrl-C cancels the command,
  /// which then exits 130. In a session a second Ctrl-C does not end the process, and commands may
  /// not read stdin, which carries the session's own input.
  /// - Parameter line: the line of a script the words come from, for error messages.
  static func run(_ words: [String], session: GlobalOptions? = nil, line: Int? = nil) async -> ExitStatus {
    defer { StandardOutput.flush() }
    do {
      let arguments = GlobalOptions.hoisted(words)
      try CommandWords.check(arguments)
      try DashWords.check(arguments, commandLine: session == nil ? ["goethectl"] : [])
      var command = try await Goethectl.asyncParseAsRoot(session?.filling(arguments) ?? arguments)
      if session != nil, let produce = command as? ProduceCommand, produce.payload == nil, produce.path == nil {
        throw GoetheError(.invalidArgument, "in a session, produce needs a PAYLOAD or --file")
      }
      if let repl = command as? ReplCommand {
        // A session handles Ctrl-C itself: at the prompt and for each command it runs.
        try await repl.run()
      } else if var command = command as? any AsyncParsableCommand {
        try await Interrupt.cancellingOnSignal(exitOnSecond: session == nil) { try await command.run() }
      } else {
        try command.run()
      }
      return .success
    } catch {
      return report(error, at: line.map { "line \($0)" })
    }
  }
}
